package coop.salons.provisioning.backup;

import coop.salons.provisioning.instance.Instance;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Exit bundles fetched through their signed links (docs/adr/0033): the link is the permission, as a
 * presigned URL is, so that an owner can hand it to whoever installs the association's server.
 */
@Path("/api/v1/exit-bundles")
@PermitAll
@Tag(name = "backups")
public class ExitBundleResource {

  @Inject ExitBundles exits;

  @GET
  @Path("/{token}")
  @Produces({"application/x-tar", "application/problem+json"})
  @Operation(
      summary =
          "Download an exit bundle (a tar) through the signed link an owner was given; no token"
              + " needed, the link expires")
  @APIResponse(
      responseCode = "200",
      description = "The bundle, as a tar",
      content =
          @Content(
              mediaType = "application/x-tar",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "404", description = "No bundle at this link (or it was changed)")
  @APIResponse(
      responseCode = "410",
      description = "The link has expired",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  public Response download(@PathParam("token") String token) {
    InstanceBackup b =
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> exits.backupOf(token));
    Instance i =
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
            .call(() -> Instance.findById(b.instanceId));
    String slug = i == null ? "instance" : i.slug;
    StreamingOutput body = out -> exits.write(b, slug, out);
    return Response.ok(body, "application/x-tar")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"" + ExitBundles.name(b, slug) + ".tar\"")
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }
}
