package coop.salons.portal.instance;

import coop.salons.portal.PageContext;
import coop.salons.portal.PortalConfig;
import coop.salons.portal.Problems;
import coop.salons.portal.organization.IdentityClient;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * An instance's backups (docs/adr/0032): the list with size and age, taking one now (admins), and
 * restoring from one (owners, typing the instance's short name), whose progress the restore's own
 * page shows step by step, with a Refresh button while it runs (no script, and no timed refresh
 * that a person could not stop: WCAG 2.2.1).
 */
@Path("/app/organizations/{org}/instances/{slug}")
@Produces(MediaType.TEXT_HTML)
public class BackupPages {

  /** The restore's steps, in order, as the page shows them. */
  static final List<String> STEPS =
      List.of("checking", "stopping", "secrets", "database", "media", "starting", "done");

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance backups(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        ProvisioningClient.Instance instance,
        List<BackupLine> backups,
        boolean running,
        List<String> errors,
        String unavailable,
        ExitLine exit,
        StorageLine storage);

    static native TemplateInstance restore(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        ProvisioningClient.Instance instance,
        ProvisioningClient.Restore restore,
        List<StepLine> steps,
        int percent);
  }

  /** A backup as the page shows it. */
  public record BackupLine(String id, String state, String taken, String size, String error) {

    static BackupLine of(ProvisioningClient.Backup b) {
      String size = b.sizeBytes() == null ? "" : bytes(b.sizeBytes());
      String taken =
          b.startedAt() == null
              ? ""
              : b.startedAt()
                      .withOffsetSameInstant(java.time.ZoneOffset.UTC)
                      .toLocalDateTime()
                      .withNano(0)
                      .toString()
                      .replace('T', ' ')
                  + " UTC";
      return new BackupLine(b.id(), b.state(), taken, size, b.error() == null ? "" : b.error());
    }
  }

  /** A size as people read it. */
  static String bytes(long bytes) {
    return bytes >= 1 << 20
        ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
        : String.format(Locale.ROOT, "%d KiB", Math.max(bytes == 0 ? 0 : 1, bytes / 1024));
  }

  /** What the instance stores, as a chart and figures, and what its retention will remove. */
  public record StorageLine(
      ProvisioningClient.Storage view,
      List<coop.salons.portal.billing.Charts.Segment> chart,
      String database,
      String media,
      String remote,
      String mediaToRemove) {

    static StorageLine of(ProvisioningClient.Storage s) {
      return new StorageLine(
          s,
          coop.salons.portal.billing.Charts.stacked(
              List.of("database", "media", "remote"),
              List.of(s.databaseBytes(), s.mediaBytes(), s.remoteMediaBytes()),
              List.of("c1", "c2", "c3"),
              BackupPages::bytes),
          bytes(s.databaseBytes()),
          bytes(s.mediaBytes()),
          bytes(s.remoteMediaBytes()),
          bytes(s.retention().mediaBytesToRemove()));
    }

    public int chartWidth() {
      return coop.salons.portal.billing.Charts.WIDTH;
    }
  }

  /** An exit bundle's link as the page gives it: the portal's own, and until when it works. */
  public record ExitLine(String href, String until) {}

  /** One step of long work (a restore, an import): done, the current one, or still to come. */
  public record StepLine(String name, boolean done, boolean current) {

    /** Every step but the last ({@code done}), as far as the work is. */
    static List<StepLine> of(List<String> all, String step, String state) {
      int at = Math.max(0, all.indexOf(step));
      return all.subList(0, all.size() - 1).stream()
          .map(
              s -> {
                int n = all.indexOf(s);
                return new StepLine(
                    s, n < at || "done".equals(state), n == at && !"done".equals(state));
              })
          .toList();
    }

    static int percent(List<String> all, String step, String state) {
      return "done".equals(state) ? 100 : 100 * Math.max(0, all.indexOf(step)) / (all.size() - 1);
    }
  }

  @Inject PortalConfig config;
  @Inject PageContext pages;
  @Inject @RestClient ProvisioningClient provisioning;

  @GET
  @Path("/backups")
  @Operation(hidden = true)
  public Response page(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @QueryParam("lang") String lang,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    return Response.ok(render(organization, slug, lang, headers, List.of(), null)).build();
  }

  /**
   * An exit bundle's link (owners): provisioning signs it, the page gives the portal's own address
   * for it (which fetches the bundle from provisioning), so that it works wherever the portal does.
   */
  @POST
  @Path("/backups/{backup}/exit")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response exit(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @PathParam("backup") String backup,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    ProvisioningClient.ExitLink link;
    try {
      link = provisioning.exitLink(org, slug, backup);
    } catch (WebApplicationException e) {
      return shownAgain(e, organization, slug, headers);
    }
    String token = link.url().substring(link.url().lastIndexOf('/') + 1);
    String until =
        link.expiresAt()
                .withOffsetSameInstant(java.time.ZoneOffset.UTC)
                .toLocalDateTime()
                .withNano(0)
                .toString()
                .replace('T', ' ')
            + " UTC";
    return Response.ok(
            render(
                organization,
                slug,
                null,
                headers,
                List.of(),
                new ExitLine(ExitBundleDownload.PATH + "/" + token, until)))
        .header("Cache-Control", "no-store")
        .build();
  }

  @POST
  @Path("/backups")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response take(
      @PathParam("org") String org, @PathParam("slug") String slug, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    try {
      provisioning.takeBackup(org, slug);
    } catch (WebApplicationException e) {
      return shownAgain(e, organization, slug, headers);
    }
    return Response.seeOther(backupsUri(org, slug)).build();
  }

  @POST
  @Path("/backups/{backup}/restore")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response restore(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @PathParam("backup") String backup,
      @FormParam("confirm") String confirm,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    try {
      ProvisioningClient.Restore r =
          provisioning.restoreBackup(
              org, slug, backup, new ProvisioningClient.RestoreRequest(Problems.trim(confirm)));
      return Response.seeOther(
              URI.create(
                  "/app/organizations/" + org + "/instances/" + slug + "/restores/" + r.id()))
          .build();
    } catch (WebApplicationException e) {
      return shownAgain(e, organization, slug, headers);
    }
  }

  /** The instance's retention (admins): days messages are kept, days an unread file is kept. */
  @POST
  @Path("/retention")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response retention(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @FormParam("retentionDays") String retentionDays,
      @FormParam("mediaRetentionDays") String mediaRetentionDays,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    List<String> wrong = new java.util.ArrayList<>();
    Integer messages = days(retentionDays, "retentionDays", wrong);
    Integer media = days(mediaRetentionDays, "mediaRetentionDays", wrong);
    if (!wrong.isEmpty()) {
      return Response.status(400)
          .entity(render(organization, slug, null, headers, wrong, null))
          .build();
    }
    try {
      provisioning.changeRetention(
          org, slug, new ProvisioningClient.RetentionChange(messages, media));
    } catch (WebApplicationException e) {
      return shownAgain(e, organization, slug, headers);
    }
    return Response.seeOther(backupsUri(org, slug)).build();
  }

  /**
   * A number of days typed in a form: digits only (else a line in {@code wrong}); blank: unchanged.
   */
  private static Integer days(String value, String field, List<String> wrong) {
    String v = Problems.trim(value);
    if (v.isEmpty()) {
      return null;
    }
    if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 36500) {
      wrong.add(field + ": must be a number of days, 0 to 36500");
      return null;
    }
    return Integer.valueOf(v);
  }

  @GET
  @Path("/restores/{restore}")
  @Operation(hidden = true)
  public Response restoreProgress(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @PathParam("restore") String restore,
      @QueryParam("lang") String lang,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    ProvisioningClient.Instance instance = instance(org, slug);
    ProvisioningClient.Restore r;
    try {
      r = provisioning.restoreOf(org, slug, restore);
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() == 404 ? 404 : 502);
    }
    List<StepLine> steps = StepLine.of(STEPS, r.step(), r.state());
    int percent = StepLine.percent(STEPS, r.step(), r.state());
    String language = pages.language(lang, headers);
    return Response.ok(
            Templates.restore(
                    language, config.hosterName(), organization, instance, r, steps, percent)
                .setLocale(Locale.forLanguageTag(language)))
        .build();
  }

  /** The Backups page again, with a service's refusal as lines. */
  private Response shownAgain(
      WebApplicationException e,
      IdentityClient.Organization organization,
      String slug,
      HttpHeaders headers) {
    return Problems.shownAgain(
        e, errors -> render(organization, slug, null, headers, errors, null));
  }

  private TemplateInstance render(
      IdentityClient.Organization organization,
      String slug,
      String lang,
      HttpHeaders headers,
      List<String> errors,
      ExitLine exit) {
    String org = organization.slug();
    ProvisioningClient.Instance instance = instance(org, slug);
    List<BackupLine> backups = List.of();
    String unavailable = "";
    try {
      backups = provisioning.backups(org, slug).items().stream().map(BackupLine::of).toList();
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 403 || status == 404) {
        throw new WebApplicationException(status);
      }
      unavailable = "provisioning";
    }
    StorageLine storage = null;
    try {
      storage = StorageLine.of(provisioning.storage(org, slug));
    } catch (WebApplicationException e) {
      // no database yet, or not readable now: the page shows the backups without it
    }
    String language = pages.language(lang, headers);
    boolean running = backups.stream().anyMatch(b -> "running".equals(b.state()));
    return Templates.backups(
            language,
            config.hosterName(),
            organization,
            instance,
            backups,
            running,
            errors,
            unavailable,
            exit,
            storage)
        .setLocale(Locale.forLanguageTag(language));
  }

  private ProvisioningClient.Instance instance(String org, String slug) {
    try {
      return provisioning.get(org, slug);
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() == 404 ? 404 : 502);
    }
  }

  private static URI backupsUri(String org, String slug) {
    return URI.create("/app/organizations/" + org + "/instances/" + slug + "/backups");
  }
}
