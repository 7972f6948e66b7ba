package coop.salons.provisioning.commons;

import coop.salons.common.security.ServiceCallers;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import coop.salons.provisioning.runtime.ChatRuntime;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The associations' Matrix servers, for the commons service only: it reads their public room lists
 * to build the directory of the commons.
 */
@Path("/api/v1/commons/matrix-servers")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commons")
public class MatrixServersResource {

  static final Set<String> READERS = Set.of("salons-commons");

  @Inject JsonWebToken token;
  @Inject ProvisioningConfig config;
  @Inject ChatRuntime runtime;

  /**
   * One association's Matrix server.
   *
   * @param organization the organisation's slug
   * @param instance the instance's slug
   * @param serverName its Matrix server name
   * @param url where Matrix clients reach it
   * @param state its lifecycle state
   */
  public record MatrixServer(
      String organization, String instance, String serverName, String url, String state) {}

  @GET
  @Transactional
  @Operation(summary = "The associations' Matrix servers with a place (the commons service only)")
  @APIResponse(
      responseCode = "200",
      description = "The servers",
      content = @Content(schema = @Schema(implementation = MatrixServer.class)))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = "application/problem+json"))
  @APIResponse(
      responseCode = "403",
      description = "Not the commons service",
      content = @Content(mediaType = "application/problem+json"))
  public List<MatrixServer> list() {
    ServiceCallers.require(token, READERS, "list the associations' Matrix servers");
    return Instance.<Instance>list(
            "flavour = 'matrix' and state <> 'deleted' and url is not null"
                + " and organizationSlug <> ?1 order by organizationSlug, slug",
            coop.salons.provisioning.model.Commons.ORGANIZATION)
        .stream()
        .map(
            i -> {
              String name =
                  runtime.serverName(InstanceService.host(i, config.baseDomain()), i.localPort);
              return name == null
                  ? null
                  : new MatrixServer(i.organizationSlug, i.slug, name, i.url, i.state);
            })
        .filter(Objects::nonNull)
        .toList();
  }
}
