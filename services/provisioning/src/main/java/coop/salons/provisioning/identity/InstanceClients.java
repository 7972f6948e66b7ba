package coop.salons.provisioning.identity;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Identity's API for the instances' OIDC clients, called with this service's own account. */
@Path("/api/v1/instance-clients/{instance}")
@RegisterRestClient(configKey = "identity")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface InstanceClients {

  /** The client an instance needs. */
  record Spec(
      String organization,
      String flavour,
      List<String> redirectUris,
      String backchannelLogoutUrl,
      String loginMode) {}

  /** An answer that carries a secret (creation and rotation only). */
  record Secret(String instanceId, String clientId, String secret) {}

  /** 201 with a {@link Secret} when the client is new, 200 without one when it was updated. */
  @PUT
  Response put(@PathParam("instance") String instance, Spec spec);

  @POST
  @Path("/secret")
  Secret rotate(@PathParam("instance") String instance);

  @DELETE
  Response delete(@PathParam("instance") String instance);
}
