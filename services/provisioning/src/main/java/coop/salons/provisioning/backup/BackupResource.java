package coop.salons.provisioning.backup;

import coop.salons.common.api.ProblemException;
import coop.salons.common.security.Caller;
import coop.salons.membership.OrganizationAccess;
import coop.salons.provisioning.instance.Instance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An instance's backups (admins take and list them) and restores from them (owners, naming the
 * instance to confirm): long work, answered 202 with a {@code Location} to follow.
 */
@Path("/api/v1/organizations/{org}/instances/{instance}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "backups")
public class BackupResource {

  @Inject OrganizationAccess access;
  @Inject Caller caller;
  @Inject InstanceBackups backups;
  @Inject ExitBundles exits;
  @Inject InstanceStorage storage;
  @Inject InstanceSpecs specs;
  @Inject coop.salons.provisioning.ProvisioningConfig config;

  /** A backup as listed: its size and age, never where the hoster keeps it. */
  public record BackupView(
      UUID id,
      String kind,
      String state,
      Long sizeBytes,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      Long ageSeconds,
      String error) {

    static BackupView of(InstanceBackup b) {
      return new BackupView(
          b.id,
          b.kind,
          b.state,
          b.sizeBytes,
          b.startedAt,
          b.finishedAt,
          b.finishedAt == null
              ? null
              : Duration.between(b.finishedAt, OffsetDateTime.now()).toSeconds(),
          b.error);
    }
  }

  /** A restore and how far it went. */
  public record RestoreView(
      UUID id,
      UUID backupId,
      String step,
      String state,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt,
      String error) {

    static RestoreView of(InstanceRestore r) {
      return new RestoreView(r.id, r.backupId, r.step, r.state, r.startedAt, r.finishedAt, r.error);
    }
  }

  /** What a restore asks: the instance's short name, typed again, since it replaces its data. */
  public record RestoreRequest(@NotNull @Size(max = 40) String confirm) {}

  public record Backups(List<BackupView> items) {}

  @GET
  @Path("/storage")
  @Transactional
  @Operation(
      summary =
          "What the instance stores (database, uploaded files, messages) and what its retention"
              + " will remove at its next pass; whether the server enforces it (admins)")
  public InstanceStorage.StorageView storage(
      @PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "admin");
    return storage.of(specs.specOf(instance(org, instance).id));
  }

  @GET
  @Path("/backups")
  @Transactional
  @Operation(summary = "The instance's backups, newest first, with size and age (admins)")
  public Backups list(@PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "admin");
    Instance i = instance(org, instance);
    return new Backups(backups.list(i.id).stream().map(BackupView::of).toList());
  }

  @POST
  @Path("/backups")
  @Transactional
  @Operation(summary = "Take a backup now (admins): database, media or files, secrets, encrypted")
  @APIResponse(responseCode = "202", description = "Accepted: follow Location until done")
  public Response take(@PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "admin");
    InstanceBackup b = backups.start(instance(org, instance), "on-demand");
    return Response.accepted(BackupView.of(b))
        .location(URI.create(base(org, instance) + "/backups/" + b.id))
        .build();
  }

  @GET
  @Path("/backups/{backup}")
  @Transactional
  @Operation(summary = "One backup (admins)")
  public BackupView get(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("backup") String backup) {
    access.require(org, caller.id(), "admin");
    return BackupView.of(backup(instance(org, instance), backup));
  }

  @POST
  @Path("/backups/{backup}/restore")
  @Transactional
  @Operation(
      summary =
          "Restore the instance in place from this backup (owners): its server stops, its"
              + " database, media and secrets become the backup's, it starts again. Send the"
              + " instance's short name as confirm.")
  @APIResponse(responseCode = "202", description = "Accepted: follow Location until done")
  public Response restore(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("backup") String backup,
      @Valid @NotNull RestoreRequest request) {
    access.require(org, caller.id(), "owner");
    Instance i = instance(org, instance);
    InstanceBackup b = backup(i, backup);
    if (!i.slug.equals(request.confirm())) {
      throw ProblemException.invalid(
          "confirm",
          "must be the instance's short name ("
              + i.slug
              + "): a restore replaces everything written since the backup");
    }
    InstanceRestore r = backups.restore(i, b);
    return Response.accepted(RestoreView.of(r))
        .location(URI.create(base(org, instance) + "/restores/" + r.id))
        .build();
  }

  /**
   * A link to download a backup's exit bundle: anyone holding it may, until it expires, so it is
   * given to owners only and never stored.
   */
  public record ExitLinkView(String url, OffsetDateTime expiresAt) {}

  @POST
  @Path("/backups/{backup}/exit-link")
  @Transactional
  @Operation(
      summary =
          "A signed link, expiring, to download this backup as an exit bundle (owners): the"
              + " database, media or files and the server's keys, unencrypted, with a"
              + " configuration, a compose file and the steps to run it outside the platform")
  @APIResponse(responseCode = "200", description = "The link and when it expires")
  public ExitLinkView exitLink(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("backup") String backup) {
    access.require(org, caller.id(), "owner");
    ExitBundles.Link link = exits.link(backup(instance(org, instance), backup));
    io.quarkus.logging.Log.infof(
        "Exit bundle link for backup %s of %s/%s given to %s", backup, org, instance, caller.id());
    String path = "/api/v1/exit-bundles/" + link.token();
    return new ExitLinkView(
        config.publicUrl().map(u -> u.replaceAll("/+$", "") + path).orElse(path), link.expiresAt());
  }

  @GET
  @Path("/restores/{restore}")
  @Transactional
  @Operation(summary = "A restore and the step it is at (admins)")
  public RestoreView restoreOf(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("restore") String restore) {
    access.require(org, caller.id(), "admin");
    Instance i = instance(org, instance);
    InstanceRestore r = InstanceRestore.findById(uuid(restore));
    if (r == null || !r.instanceId.equals(i.id)) {
      throw ProblemException.notFound("No restore " + restore + " of '" + instance + "'.");
    }
    return RestoreView.of(r);
  }

  private static String base(String org, String instance) {
    return "/api/v1/organizations/" + org + "/instances/" + instance;
  }

  private static Instance instance(String org, String slug) {
    Instance i =
        Instance.find("organizationSlug = ?1 and slug = ?2 and state <> 'deleted'", org, slug)
            .firstResult();
    if (i == null) {
      throw ProblemException.notFound("No instance '" + slug + "' in '" + org + "'.");
    }
    return i;
  }

  private static InstanceBackup backup(Instance i, String id) {
    InstanceBackup b = InstanceBackup.findById(uuid(id));
    if (b == null || !b.instanceId.equals(i.id)) {
      throw ProblemException.notFound("No backup " + id + " of '" + i.slug + "'.");
    }
    return b;
  }

  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return new UUID(0, 0);
    }
  }
}
