package coop.salons.portal.instance;

import coop.salons.portal.organization.PropagateAccessToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The provisioning service's instances API, called with the signed-in user's own token. */
@RegisterRestClient(configKey = "provisioning")
@RegisterProvider(PropagateAccessToken.class)
@Path("/api/v1/organizations/{org}/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ProvisioningClient {

  /** One step the supervisor took. */
  record Step(String name, String outcome, String detail, long generation) {}

  /** An instance, as the portal shows it. */
  record Instance(
      String slug,
      String displayName,
      String flavour,
      String version,
      String plan,
      String federation,
      String state,
      String desiredState,
      String url,
      String webClient,
      String reason,
      long generation,
      java.time.OffsetDateTime deletionScheduledAt,
      List<Step> steps,
      String customDomain,
      String dnsTarget,
      DomainProof domainProof,
      List<Condition> conditions,
      String signIn) {

    /**
     * Whether members sign in through the Matrix Authentication Service (every app, Element X
     * included) rather than Synapse's own single sign-on.
     */
    public boolean elementX() {
      return "mas".equals(signIn);
    }

    /** Whether the association proved the custom domain is its own (the TXT record was seen). */
    public boolean domainProven() {
      return domainProof != null && domainProof.provenAt() != null;
    }

    /**
     * What DNS said of the custom domain: {@code True} (it leads here), {@code False} or {@code
     * Unknown} (not looked up yet, or DNS did not answer).
     */
    public String domainStatus() {
      return condition("DomainPointed").map(Condition::status).orElse("Unknown");
    }

    /**
     * Whether the platform keeps the members' Mattermost accounts (accounts login mode): {@code
     * True}, {@code False} (then {@link #accountsMessage} says why) or {@code Unknown} (no sync
     * yet); null for an instance whose members sign in otherwise.
     */
    public String accountsStatus() {
      return condition("AccountsSynced").map(Condition::status).orElse(null);
    }

    /** Why the accounts are not kept, as the platform wrote it. */
    public String accountsMessage() {
      return condition("AccountsSynced").map(Condition::message).orElse("");
    }

    private java.util.Optional<Condition> condition(String type) {
      return conditions == null
          ? java.util.Optional.empty()
          : conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    public boolean deletionScheduled() {
      return "deletion-requested".equals(state);
    }

    /** The day the deletion becomes final, for people. */
    public String deletionDay() {
      return deletionScheduledAt == null ? "" : deletionScheduledAt.toLocalDate().toString();
    }

    public boolean ready() {
      return "ready".equals(state);
    }

    public boolean matrix() {
      return "matrix".equals(flavour);
    }

    /** The server's address as apps ask for it: the public URL without its trailing slash. */
    public String homeserver() {
      return url == null || !url.endsWith("/") ? url : url.substring(0, url.length() - 1);
    }

    public boolean suspended() {
      return "suspended".equals(state);
    }

    /** Still on its way: the page refreshes itself. */
    public boolean working() {
      return switch (state) {
        case "requested", "provisioning", "updating" -> true;
        default -> false;
      };
    }
  }

  /** One of an instance's conditions. */
  record Condition(String type, String status, String reason, String message) {}

  /** The TXT record that proves a custom domain, and when it was first seen. */
  public record DomainProof(String record, String value, java.time.OffsetDateTime provenAt) {}

  record Page(List<Instance> items, String nextCursor) {}

  /** What the form asks for. */
  record Create(
      String slug, String flavour, String displayName, String federation, String customDomain) {}

  @GET
  Page list(@PathParam("org") String org, @QueryParam("limit") int limit);

  @GET
  @Path("/{slug}")
  Instance get(@PathParam("org") String org, @PathParam("slug") String slug);

  @POST
  Instance create(@PathParam("org") String org, Create request);

  @POST
  @Path("/{slug}/suspend")
  Instance suspend(@PathParam("org") String org, @PathParam("slug") String slug);

  @POST
  @Path("/{slug}/resume")
  Instance resume(@PathParam("org") String org, @PathParam("slug") String slug);

  @DELETE
  @Path("/{slug}")
  Instance delete(@PathParam("org") String org, @PathParam("slug") String slug);

  @POST
  @Path("/{slug}/restore")
  Instance restore(@PathParam("org") String org, @PathParam("slug") String slug);

  @POST
  @Path("/{slug}/domain-check")
  Instance checkDomain(@PathParam("org") String org, @PathParam("slug") String slug);

  /** A backup as provisioning lists it. */
  record Backup(
      String id,
      String kind,
      String state,
      Long sizeBytes,
      java.time.OffsetDateTime startedAt,
      java.time.OffsetDateTime finishedAt,
      Long ageSeconds,
      String error) {}

  record Backups(List<Backup> items) {}

  /** A restore and the step it is at. */
  record Restore(
      String id,
      String backupId,
      String step,
      String state,
      java.time.OffsetDateTime startedAt,
      java.time.OffsetDateTime finishedAt,
      String error) {}

  record RestoreRequest(String confirm) {}

  @GET
  @Path("/{instance}/backups")
  Backups backups(@PathParam("org") String org, @PathParam("instance") String instance);

  @POST
  @Path("/{instance}/backups")
  Backup takeBackup(@PathParam("org") String org, @PathParam("instance") String instance);

  @POST
  @Path("/{instance}/backups/{backup}/restore")
  Restore restoreBackup(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("backup") String backup,
      RestoreRequest request);

  @GET
  @Path("/{instance}/restores/{restore}")
  Restore restoreOf(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("restore") String restore);

  /** A link to an exit bundle and until when it works. */
  record ExitLink(String url, java.time.OffsetDateTime expiresAt) {}

  @POST
  @Path("/{instance}/backups/{backup}/exit-link")
  ExitLink exitLink(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @PathParam("backup") String backup);

  /** What an instance stores and what its retention will remove. */
  record Storage(
      long databaseBytes,
      long mediaBytes,
      long mediaFiles,
      long remoteMediaBytes,
      long messages,
      Retention retention) {}

  record Retention(
      int messageDays,
      int mediaDays,
      boolean enforced,
      long messagesToRemove,
      long mediaFilesToRemove,
      long mediaBytesToRemove,
      String note) {}

  @GET
  @Path("/{instance}/storage")
  Storage storage(@PathParam("org") String org, @PathParam("instance") String instance);

  /** A change of retention; absent fields stay as they are. */
  record RetentionChange(Integer retentionDays, Integer mediaRetentionDays) {}

  @jakarta.ws.rs.PATCH
  @Path("/{instance}")
  Instance changeRetention(
      @PathParam("org") String org, @PathParam("instance") String instance, RetentionChange change);
}
