package coop.salons.portal.instance;

import coop.salons.portal.organization.PropagateAccessToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The provisioning service's imports of existing servers, with the signed-in user's own token. */
@RegisterRestClient(configKey = "provisioning")
@RegisterProvider(PropagateAccessToken.class)
@Path("/api/v1/organizations/{org}/instance-imports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ImportClient {

  /** An import and the step it is at. */
  record Import(
      String id,
      String slug,
      String step,
      String state,
      String serverName,
      String error,
      java.time.OffsetDateTime startedAt,
      java.time.OffsetDateTime finishedAt) {}

  record ImportRequest(String slug, String displayName, String bundleUrl) {}

  @POST
  Import start(@PathParam("org") String org, ImportRequest request);

  @GET
  @Path("/{import}")
  Import get(@PathParam("org") String org, @PathParam("import") String id);
}
