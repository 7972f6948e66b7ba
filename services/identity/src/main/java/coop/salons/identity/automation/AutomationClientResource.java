package coop.salons.identity.automation;

import coop.salons.common.security.Caller;
import coop.salons.identity.automation.AutomationDtos.ClientSecret;
import coop.salons.identity.automation.AutomationDtos.ClientView;
import coop.salons.identity.automation.AutomationDtos.CreateClient;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An organisation's automation clients, for scripts (docs/adr/0029): owners make one with a role,
 * see when each last obtained a token, rotate its secret and revoke it. The secret is answered at
 * creation and rotation only.
 */
@Path("/api/v1/organizations/{org}/automation-clients")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "automation clients")
public class AutomationClientResource {

  @Inject AutomationClientService clients;
  @Inject Caller caller;

  @GET
  @Operation(summary = "The organisation's automation clients (owners), with their last use")
  public List<ClientView> list(@PathParam("org") String org) {
    return clients.list(org, caller.id());
  }

  @POST
  @Operation(
      summary = "Make an automation client acting with a role in this organisation (owners)",
      description =
          "Answers its client id and secret (shown only now) and the token URL: a script obtains"
              + " tokens with the client credentials grant.")
  @APIResponse(responseCode = "201", description = "Made, with its secret")
  public Response create(@PathParam("org") String org, @Valid @NotNull CreateClient request) {
    ClientSecret made = clients.create(org, caller.id(), request);
    return Response.created(
            URI.create("/api/v1/organizations/" + org + "/automation-clients/" + made.id()))
        .entity(made)
        .build();
  }

  @POST
  @Path("/{id}/secret")
  @Operation(summary = "A new secret (owners); the old one stops working at once")
  public ClientSecret rotate(@PathParam("org") String org, @PathParam("id") UUID id) {
    return clients.rotate(org, caller.id(), id);
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Revoke an automation client (owners): every service refuses it at once")
  @APIResponse(responseCode = "204", description = "Revoked")
  public Response revoke(@PathParam("org") String org, @PathParam("id") UUID id) {
    clients.revoke(org, caller.id(), id);
    return Response.noContent().build();
  }
}
