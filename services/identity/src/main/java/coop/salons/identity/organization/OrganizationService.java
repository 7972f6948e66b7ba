package coop.salons.identity.organization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.common.db.SingleReplica;
import coop.salons.identity.IdentityConfig;
import coop.salons.identity.access.OrganizationAccess;
import coop.salons.identity.keycloak.KeycloakDirectory;
import coop.salons.identity.member.MembershipEvent;
import coop.salons.identity.model.AutomationClient;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import coop.salons.identity.model.Role;
import coop.salons.identity.organization.OrganizationDtos.CreateOrganization;
import coop.salons.identity.organization.OrganizationDtos.OrganizationView;
import coop.salons.identity.quota.Quotas;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Organisations: the rows here and their Keycloak organisations, kept in step. A creation writes
 * the row first and the Keycloak side next; if the process stops in between, the reconciler
 * finishes it. A deletion is scheduled, then purged after the grace period with a final backup.
 */
@ApplicationScoped
public class OrganizationService {

  private static final Logger LOG = Logger.getLogger(OrganizationService.class);

  @Inject SingleReplica singleReplica;
  @Inject KeycloakDirectory keycloak;
  @Inject OrganizationAccess access;
  @Inject IdentityConfig config;
  @Inject Quotas quota;
  @Inject EntityManager em;
  @Inject ObjectMapper json;

  public OrganizationView create(
      String userId, String username, String email, CreateOrganization request) {
    if (!Slugs.isValid(request.slug())) {
      throw ProblemException.invalid("slug", OrganizationDtos.SLUG_MESSAGE);
    }
    if (Slugs.isReserved(request.slug())) {
      throw ProblemException.invalid("slug", "is reserved by the platform");
    }
    UUID id =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  if (Organization.bySlug(request.slug()) != null) {
                    throw ProblemException.conflict(
                        "The slug '" + request.slug() + "' is taken; choose another.");
                  }
                  checkOwnedOrganizations(userId);
                  OffsetDateTime now = OffsetDateTime.now();
                  Organization org = new Organization();
                  org.id = UUID.randomUUID();
                  org.slug = request.slug();
                  org.name = request.name().strip();
                  org.createdAt = now;
                  org.updatedAt = now;
                  org.persist();
                  Membership owner = new Membership();
                  owner.id = new Membership.Key(org.id, userId);
                  owner.username = username;
                  owner.email = email;
                  owner.role = Role.OWNER.id();
                  owner.joinedAt = now;
                  owner.persist();
                  MembershipEvent.record(org.slug, userId, "added", Role.OWNER);
                  return org.id;
                });
    try {
      linkToKeycloak(id);
    } catch (RuntimeException e) {
      // Nothing half-made stays behind: the row goes, and so does a Keycloak side if any.
      LOG.warnf(
          "Creating the Keycloak side of %s failed; undoing: %s", request.slug(), e.toString());
      QuarkusTransaction.requiringNew().run(() -> Organization.deleteById(id));
      keycloak.findOrganization(request.slug()).ifPresent(keycloak::deleteOrganization);
      throw e;
    }
    quota.claimMemberQuietly(
        request.slug(), userId); // the owner's slot (billing knows the org now)
    return QuarkusTransaction.requiringNew()
        .call(() -> view(Organization.findById(id), Role.OWNER));
  }

  /** Creates (or finds) the Keycloak organisation of a row and makes its members members there. */
  void linkToKeycloak(UUID id) {
    Organization org = QuarkusTransaction.requiringNew().call(() -> Organization.findById(id));
    String keycloakId = keycloak.ensureOrganization(org.slug, org.name);
    List<String> members =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Membership.<Membership>list("id.organizationId", id).stream()
                        .map(m -> m.id.userId())
                        .toList());
    members.forEach(userId -> keycloak.addMember(keycloakId, userId));
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Organization o = Organization.findById(id);
              o.keycloakId = keycloakId;
            });
  }

  @Transactional
  public OrganizationView get(String slug, String userId) {
    OrganizationAccess.Access a = access.require(slug, userId, Role.MEMBER);
    return view(a.organization(), a.role());
  }

  /**
   * Records the memberships Keycloak has and this service does not yet: someone who accepted an
   * invitation joined the Keycloak organisation, and becomes a member here (role member).
   */
  public void adoptAcceptedInvitations(String userId, String username, String email) {
    List<String> aliases = keycloak.organizationsOf(userId);
    if (aliases.isEmpty()) {
      return;
    }
    List<String> adopted =
        QuarkusTransaction.requiringNew().call(() -> adopt(aliases, userId, username, email));
    // Already members in Keycloak: their slots are claimed, even past the plan's limit, and the
    // invitation's slot is let go.
    adopted.forEach(
        slug -> {
          quota.claimMemberQuietly(slug, userId);
          quota.releaseInvitationQuietly(slug, email);
        });
  }

  private List<String> adopt(List<String> aliases, String userId, String username, String email) {
    List<String> adopted = new java.util.ArrayList<>();
    for (String alias : aliases) {
      Organization org = Organization.bySlug(alias);
      if (org != null && Membership.find(org.id, userId) == null) {
        Membership m = new Membership();
        m.id = new Membership.Key(org.id, userId);
        m.username = username;
        m.email = email;
        m.role = Role.MEMBER.id();
        m.joinedAt = OffsetDateTime.now();
        m.persist();
        MembershipEvent.record(org.slug, userId, "added", Role.MEMBER);
        adopted.add(org.slug);
      }
    }
    return adopted;
  }

  /** The caller's organisations, by slug, a page at a time. */
  @Transactional
  public Page<OrganizationView> mine(String userId, Integer limit, String cursor) {
    int size = Cursors.limit(limit, 20, config.maxPageSize());
    String after = Cursors.decode(cursor);
    List<Object[]> rows =
        em.createQuery(
                "select o, m.role, (select count(x) from Membership x where x.id.organizationId = o.id"
                    + " and x.automation = false)"
                    + " from Organization o, Membership m"
                    + " where m.id.organizationId = o.id and m.id.userId = :user"
                    + " and o.slug > :after order by o.slug",
                Object[].class)
            .setParameter("user", userId)
            .setParameter("after", after == null ? "" : after)
            .setMaxResults(size + 1)
            .getResultList();
    List<OrganizationView> items =
        rows.stream()
            .limit(size)
            .map(
                r ->
                    view((Organization) r[0], Role.parse((String) r[1]).orElseThrow(), (Long) r[2]))
            .toList();
    String next = rows.size() > size ? Cursors.encode(items.get(items.size() - 1).slug()) : null;
    return new Page<>(items, next);
  }

  public OrganizationView update(String slug, String userId, Long ifMatch, String name) {
    Organization org =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  OrganizationAccess.Access a = access.require(slug, userId, Role.ADMIN);
                  Organization o = a.organization();
                  requireNotDeleting(o);
                  requireVersion(o, ifMatch);
                  o.name = name.strip();
                  o.updatedAt = OffsetDateTime.now();
                  return o;
                });
    if (org.keycloakId != null) {
      keycloak.describeOrganization(org.keycloakId, org.name);
    }
    return get(slug, userId);
  }

  /** Schedules the deletion; the organisation can be restored until the grace period ends. */
  @Transactional
  public OrganizationView scheduleDeletion(String slug, String userId, Long ifMatch) {
    OrganizationAccess.Access a = access.require(slug, userId, Role.OWNER);
    Organization o = a.organization();
    requireVersion(o, ifMatch);
    if (o.deletionScheduledAt == null) {
      quota.requireNoInstances(o.slug);
      o.deletionScheduledAt = OffsetDateTime.now().plus(config.deletionGracePeriod());
      o.updatedAt = OffsetDateTime.now();
    }
    em.flush();
    return view(o, a.role());
  }

  @Transactional
  public OrganizationView restore(String slug, String userId) {
    OrganizationAccess.Access a = access.require(slug, userId, Role.OWNER);
    Organization o = a.organization();
    o.deletionScheduledAt = null;
    o.updatedAt = OffsetDateTime.now();
    em.flush();
    return view(o, a.role());
  }

  /**
   * One person owns at most {@code max-organizations-per-user} organisations; two creations of the
   * same person at once are counted one after the other (a transaction lock on their id).
   */
  private void checkOwnedOrganizations(String userId) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")
        .setParameter(1, "organizations-of:" + userId)
        .getSingleResult();
    long owned = Membership.count("id.userId = ?1 and role = ?2", userId, Role.OWNER.id());
    int max = config.maxOrganizationsPerUser();
    if (owned >= max) {
      throw new ProblemException(
          403,
          "organization-limit",
          "Too many organisations",
          "You own "
              + owned
              + " organisations, the most one person may own here ("
              + max
              + "); delete one, or ask the hoster.",
          List.of());
    }
  }

  /** Purges the organisations whose grace period is over, each with a final backup first. */
  @Scheduled(
      every = "10m",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  public void purgeExpired() {
    singleReplica.run(
        PURGE,
        () -> idsWhere("deletionScheduledAt < ?1", OffsetDateTime.now()).forEach(this::purge));
  }

  /** The purge and the reconcile, as jobs one replica at a time runs. */
  static final String PURGE = "identity organisation purge";

  static final String RECONCILE = "identity organisation reconcile";

  void purge(UUID id) {
    String slug =
        QuarkusTransaction.requiringNew().call(() -> Organization.<Organization>findById(id).slug);
    try {
      // An instance made during the grace period keeps the organisation.
      quota.requireNoInstances(slug);
    } catch (ProblemException e) {
      LOG.warnf("Organisation %s is not purged yet: %s", slug, e.getMessage());
      return;
    }
    String keycloakId =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Organization o = Organization.findById(id);
                  List<Membership> members = Membership.list("id.organizationId", id);
                  OrganizationArchive archive = new OrganizationArchive();
                  archive.id = o.id;
                  archive.slug = o.slug;
                  archive.archivedAt = OffsetDateTime.now();
                  archive.snapshot = snapshot(o, members);
                  archive.persist();
                  return o.keycloakId;
                });
    // Its automation clients go with it: their realm clients first (no new token), then the rows.
    QuarkusTransaction.requiringNew()
        .call(
            () ->
                AutomationClient.<AutomationClient>list("organizationId", id).stream()
                    .map(c -> c.keycloakId)
                    .toList())
        .forEach(keycloak::deleteClient);
    if (keycloakId != null) {
      keycloak.deleteOrganization(keycloakId);
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Organization o = Organization.findById(id);
              AutomationClient.delete("organizationId", id);
              Membership.<Membership>list("id.organizationId", id)
                  .forEach(m -> MembershipEvent.record(o.slug, m.id.userId(), "removed", null));
              o.delete();
            });
    LOG.infof("Organisation %s purged after its grace period; its final backup is archived", id);
  }

  /** Finishes creations that stopped before their Keycloak side was made. */
  @Scheduled(
      every = "1m",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  public void reconcile() {
    singleReplica.run(
        RECONCILE,
        () -> {
          List<UUID> pending =
              idsWhere(
                  "keycloakId is null and createdAt < ?1",
                  OffsetDateTime.now().minus(config.reconcileAfter()));
          for (UUID id : pending) {
            try {
              linkToKeycloak(id);
            } catch (RuntimeException e) {
              LOG.warnf("Reconciling organisation %s failed, will retry: %s", id, e.toString());
            }
          }
        });
  }

  private static List<UUID> idsWhere(String query, OffsetDateTime when) {
    return QuarkusTransaction.requiringNew()
        .call(() -> Organization.<Organization>list(query, when).stream().map(o -> o.id).toList());
  }

  private String snapshot(Organization o, List<Membership> members) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("slug", o.slug);
    s.put("name", o.name);
    s.put("createdAt", o.createdAt.toString());
    s.put(
        "members",
        members.stream()
            .map(m -> Map.of("userId", m.id.userId(), "username", m.username, "role", m.role))
            .toList());
    try {
      return json.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void requireNotDeleting(Organization o) {
    if (o.deletionScheduledAt != null) {
      throw ProblemException.conflict(
          "'" + o.slug + "' is scheduled for deletion; restore it first.");
    }
  }

  private static void requireVersion(Organization o, Long ifMatch) {
    if (ifMatch != null && ifMatch != o.version) {
      throw ProblemException.preconditionFailed(
          "'" + o.slug + "' changed since you read it (version " + o.version + "); read it again.");
    }
  }

  private OrganizationView view(Organization o, Role role) {
    return view(o, role, Membership.count("id.organizationId = ?1 and automation = false", o.id));
  }

  private static OrganizationView view(Organization o, Role role, long members) {
    return new OrganizationView(
        o.slug,
        o.name,
        role.id(),
        members,
        o.createdAt,
        o.updatedAt,
        o.deletionScheduledAt,
        o.version);
  }
}
