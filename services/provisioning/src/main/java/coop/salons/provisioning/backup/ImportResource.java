package coop.salons.provisioning.backup;

import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.common.security.Caller;
import coop.salons.membership.OrganizationAccess;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Bringing an existing Matrix server in (docs/adr/0035): an owner names an exit bundle's link and
 * the new instance's short name; the import's steps are followed at its {@code Location}.
 */
@Path("/api/v1/organizations/{org}/instance-imports")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
public class ImportResource {

  @Inject OrganizationAccess access;
  @Inject Caller caller;
  @Inject InstanceImports imports;

  /** What an import asks: the new instance's short name and the bundle's link (never kept). */
  public record ImportRequest(
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = "must be a short name") String slug,
      @Size(max = 100) @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "no control characters")
          String displayName,
      @NotNull @Size(max = 2000) @Pattern(regexp = "^https?://\\S+$", message = "must be a URL")
          String bundleUrl) {}

  /** An import and the step it is at. */
  public record ImportView(
      UUID id,
      String slug,
      String step,
      String state,
      String serverName,
      String error,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt) {

    static ImportView of(InstanceImport i) {
      return new ImportView(
          i.id, i.slug, i.step, i.state, i.serverName, i.error, i.startedAt, i.finishedAt);
    }
  }

  @POST
  @Transactional
  @Operation(
      summary =
          "Bring a Matrix server in from an exit bundle (owners): every file checked first, then"
              + " a new instance with the bundle's server name, signing key, database and media,"
              + " its users linked to the organisation's members by email")
  @APIResponse(responseCode = "202", description = "Accepted: follow Location until done")
  public Response start(@PathParam("org") String org, @Valid @NotNull ImportRequest request) {
    access.require(org, caller.id(), "owner");
    InstanceImport i =
        imports.start(org, request.slug(), request.displayName(), request.bundleUrl());
    return Response.accepted(ImportView.of(i))
        .location(URI.create("/api/v1/organizations/" + org + "/instance-imports/" + i.id))
        .build();
  }

  @GET
  @Path("/{import}")
  @Transactional
  @Operation(summary = "An import and the step it is at (admins)")
  public ImportView get(@PathParam("org") String org, @PathParam("import") String id) {
    access.require(org, caller.id(), "admin");
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      uuid = new UUID(0, 0);
    }
    InstanceImport i = InstanceImport.findById(uuid);
    if (i == null || !i.organizationSlug.equals(org)) {
      throw ProblemException.notFound("No import " + id + " in '" + org + "'.");
    }
    return ImportView.of(i);
  }
}
