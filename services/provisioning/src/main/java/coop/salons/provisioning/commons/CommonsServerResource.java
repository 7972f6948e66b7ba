package coop.salons.provisioning.commons;

import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where the commons server is: public, as its address is (the portal shows it to everyone, and the
 * commons service manages its rooms through it).
 */
@Path("/api/v1/commons/server")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commons")
public class CommonsServerResource {

  @Inject CommonsServer commons;
  @Inject ProvisioningConfig config;

  /**
   * The commons server as the public sees it.
   *
   * @param serverName its Matrix server name (in user ids and room aliases)
   * @param url where Matrix clients reach it (null until it has a place)
   * @param state its lifecycle state ({@code ready} once it answers)
   */
  public record CommonsServerView(
      String serverName,
      @Schema(nullable = true) String url,
      String state,
      @Schema(nullable = true) String host) {}

  @GET
  @Transactional
  @Operation(summary = "The commons server: its Matrix name, client URL and state (public)")
  @APIResponse(
      responseCode = "200",
      description = "The commons server",
      content = @Content(schema = @Schema(implementation = CommonsServerView.class)))
  @APIResponse(
      responseCode = "404",
      description = "This platform runs no commons server (or it has no place yet)",
      content = @Content(mediaType = "application/problem+json"))
  public CommonsServerView get() {
    Instance i =
        commons
            .find()
            .orElseThrow(() -> ProblemException.notFound("This platform runs no commons server."));
    String name =
        commons
            .serverName(i)
            .orElseThrow(() -> ProblemException.notFound("The commons server has no place yet."));
    return new CommonsServerView(
        name, i.url, i.state, InstanceService.host(i, config.baseDomain()));
  }
}
