package coop.salons.commons.server;

import coop.salons.common.api.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The commons server as members use it: its name, where a Matrix app reaches it, its Space. */
@Path("/api/v1/commons")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commons")
public class CommonsServerResource {

  @Inject CommonsServerAddress address;

  /**
   * @param serverName the Matrix server name (in room addresses)
   * @param homeserverUrl what to enter in a Matrix app to sign in with the platform account
   * @param ready whether it answers
   * @param space the address of the Space that groups the thematic rooms
   */
  public record CommonsView(
      String serverName,
      @Schema(nullable = true) String homeserverUrl,
      boolean ready,
      String space) {}

  @GET
  @Operation(summary = "The commons server: its name, its address for Matrix apps, its Space")
  @APIResponse(
      responseCode = "200",
      description = "The commons server",
      content = @Content(schema = @Schema(implementation = CommonsView.class)))
  @APIResponse(
      responseCode = "404",
      description = "This platform runs no commons server (yet)",
      content = @Content(mediaType = "application/problem+json"))
  public CommonsView get() {
    ProvisioningCommons.Server s =
        address
            .get()
            .orElseThrow(() -> ProblemException.notFound("This platform runs no commons server."));
    return new CommonsView(
        s.serverName(),
        s.url(),
        "ready".equals(s.state()),
        "#" + CommonsServerAddress.SPACE_ALIAS + ":" + s.serverName());
  }
}
