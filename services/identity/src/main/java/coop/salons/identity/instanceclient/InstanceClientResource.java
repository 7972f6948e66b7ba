package coop.salons.identity.instanceclient;

import coop.salons.common.api.ProblemException;
import coop.salons.common.security.ServiceCallers;
import coop.salons.identity.instanceclient.InstanceClientDtos.InstanceClientSecret;
import coop.salons.identity.instanceclient.InstanceClientDtos.InstanceClientSpec;
import coop.salons.identity.instanceclient.InstanceClientDtos.InstanceClientView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OIDC clients of chat instances, for the provisioning service only: create or update
 * (idempotent PUT), read (never the secret), rotate the secret, delete.
 */
@Path("/api/v1/instance-clients/{instance}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "instance clients")
public class InstanceClientResource {

  private static final Set<String> CALLERS = Set.of("salons-provisioning");

  @Inject InstanceClientService clients;
  @Inject JsonWebToken token;

  @PUT
  @Operation(
      summary =
          "Create the instance's client (201, with its secret, the only time it is shown) or bring"
              + " it to this spec (200, no secret)")
  @APIResponse(responseCode = "200", description = "Updated")
  @APIResponse(
      responseCode = "201",
      description = "Created, with its secret (the only time it is shown)")
  public Response put(
      @PathParam("instance") String instance, @Valid @NotNull InstanceClientSpec spec) {
    ServiceCallers.require(token, CALLERS, "manage instance clients");
    InstanceClientService.Put put = clients.put(instanceId(instance), spec);
    if (put.secretIfCreated() != null) {
      return Response.status(201)
          .entity(
              new InstanceClientSecret(instance, put.client().clientId(), put.secretIfCreated()))
          .build();
    }
    return Response.ok(put.client()).build();
  }

  @GET
  @Operation(summary = "The instance's client, without its secret")
  public InstanceClientView get(@PathParam("instance") String instance) {
    ServiceCallers.require(token, CALLERS, "manage instance clients");
    return clients.get(instanceId(instance));
  }

  @POST
  @Path("/secret")
  @Operation(summary = "Rotate the client's secret; the new one is in the answer, and only there")
  public InstanceClientSecret rotate(@PathParam("instance") String instance) {
    ServiceCallers.require(token, CALLERS, "manage instance clients");
    return clients.rotate(instanceId(instance));
  }

  @DELETE
  @Operation(summary = "Delete the instance's client")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(@PathParam("instance") String instance) {
    ServiceCallers.require(token, CALLERS, "manage instance clients");
    clients.delete(instanceId(instance));
    return Response.noContent().build();
  }

  private static UUID instanceId(String value) {
    try {
      UUID id = UUID.fromString(value);
      if (!id.toString().equals(value)) {
        throw new IllegalArgumentException();
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("instance", "must be a UUID in its canonical form");
    }
  }
}
