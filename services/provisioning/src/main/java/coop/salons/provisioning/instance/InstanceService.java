package coop.salons.provisioning.instance;

import coop.salons.common.api.Cursors;
import coop.salons.common.api.Domains;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.InstanceDtos.Condition;
import coop.salons.provisioning.instance.InstanceDtos.CreateInstance;
import coop.salons.provisioning.instance.InstanceDtos.InstanceView;
import coop.salons.provisioning.instance.InstanceDtos.StepView;
import coop.salons.provisioning.instance.InstanceDtos.UpdateInstance;
import coop.salons.provisioning.model.Commons;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.model.PlanLimits;
import coop.salons.provisioning.quota.InstanceQuota;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.webhook.Webhooks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The instances' desired state: the API's changes, checked against the plan and the state machine,
 * written in one transaction. The supervisor does the work.
 */
@ApplicationScoped
public class InstanceService implements Creations.Writer {

  /** Instance slugs that would clash with the names the platform uses in host names. */
  static final Set<String> RESERVED =
      Set.of("www", "api", "admin", "mail", "smtp", "autoconfig", "autodiscover", "portal");

  static final int STEPS_SHOWN = 50;

  @Inject ProvisioningConfig config;
  @Inject Plans plans;
  @Inject ChatRuntime runtime;
  @Inject EntityManager em;
  @Inject Webhooks webhooks;
  @Inject InstanceQuota quota;
  @Inject Creations creations;
  @Inject DomainChecks domains;

  /**
   * Asks for an instance: what the request alone can tell is checked here; then {@link Creations}
   * claims its slot and size in billing (docs/adr/0012) and writes it, together with the other
   * creations of the moment (docs/adr/0017).
   */
  public InstanceView create(String org, CreateInstance request) {
    Flavour flavour = Flavour.of(request.flavour()).orElseThrow();
    if (RESERVED.contains(request.slug()) || request.slug().contains("--")) {
      throw ProblemException.invalid("slug", "is reserved by the platform");
    }
    String planName = request.plan() == null ? Plans.DEFAULT : request.plan();
    if (planName.equals(config.commons().plan())) {
      throw ProblemException.invalid("plan", "is kept for the platform's commons server");
    }
    PlanLimits plan = plans.require(planName);
    String version = request.version() == null ? defaultVersion(flavour) : request.version();
    checkVersion(flavour, version);
    LoginMode login = flavour == Flavour.MATRIX ? LoginMode.OPENID : plan.login();
    checkLogin(flavour, login, version);
    checkDomain(request.customDomain());
    return creations.submit(
        new Creation(org, UUID.randomUUID(), request, flavour, planName, plan, version, login));
  }

  /**
   * For each creation, whether its slug or domain is taken (by a live instance, or by a creation
   * before it in the list): told before billing is asked. One query for the whole batch.
   */
  @Override
  public List<Optional<ProblemException>> taken(List<Creation> batch) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT organization_slug, slug, custom_domain FROM instance WHERE state <> 'deleted'"
                + " AND ((organization_slug, slug) IN (");
    List<Object> parameters = new ArrayList<>();
    for (Creation c : batch) {
      sql.append(parameters.isEmpty() ? "" : ", ").append("(?, ?)");
      parameters.add(c.org());
      parameters.add(c.request().slug());
    }
    sql.append(")");
    List<String> domains =
        batch.stream()
            .map(c -> c.request().customDomain())
            .filter(java.util.Objects::nonNull)
            .toList();
    if (!domains.isEmpty()) {
      sql.append(" OR custom_domain IN (")
          .append(String.join(", ", Collections.nCopies(domains.size(), "?")))
          .append(")");
      parameters.addAll(domains);
    }
    sql.append(")");
    var query = em.createNativeQuery(sql.toString());
    for (int p = 0; p < parameters.size(); p++) {
      query.setParameter(p + 1, parameters.get(p));
    }
    Set<String> slugs = new java.util.HashSet<>();
    Set<String> usedDomains = new java.util.HashSet<>();
    for (Object row : query.getResultList()) {
      Object[] r = (Object[]) row;
      slugs.add(r[0] + "/" + r[1]);
      if (r[2] != null) {
        usedDomains.add((String) r[2]);
      }
    }
    List<Optional<ProblemException>> answers = new ArrayList<>();
    for (Creation c : batch) {
      String domain = c.request().customDomain();
      if (!slugs.add(c.org() + "/" + c.request().slug())) {
        answers.add(Optional.of(slugTaken(c.request())));
      } else if (domain != null && !usedDomains.add(domain)) {
        answers.add(Optional.of(domainTaken(c.request())));
      } else {
        answers.add(Optional.empty());
      }
    }
    return answers;
  }

  /**
   * Writes claimed creations in the caller's transaction: each organisation's lock is taken (in
   * name order, so that two replicas' batches cannot wait on each other), the slugs and domains are
   * checked once more under them (another replica may have written one meanwhile), then every free
   * creation is inserted with its webhook deliveries. For each creation in order: its instance, or
   * the 409 that refuses it.
   */
  @Override
  public List<Creations.Written> insertAll(List<Creation> batch) {
    List<String> organizations = batch.stream().map(Creation::org).distinct().sorted().toList();
    em.createNativeQuery(
            "SELECT count(pg_advisory_xact_lock(hashtext('instances:' || o)))"
                + " FROM (SELECT unnest(CAST(?1 AS text[])) AS o ORDER BY 1) AS ordered")
        .setParameter(1, organizations.toArray(String[]::new))
        .getSingleResult();
    List<Optional<ProblemException>> taken = taken(batch);
    List<Instance> inserted = new ArrayList<>();
    for (int n = 0; n < batch.size(); n++) {
      inserted.add(taken.get(n).isPresent() ? null : insert(batch.get(n)));
    }
    webhooks.stateChanged(
        inserted.stream().filter(java.util.Objects::nonNull).map(Instance::stateChange).toList());
    em.flush();
    List<Creations.Written> written = new ArrayList<>();
    for (int n = 0; n < batch.size(); n++) {
      Instance i = inserted.get(n);
      written.add(
          i == null
              ? new Creations.Written(null, taken.get(n).get())
              : new Creations.Written(view(i, List.of()), null));
    }
    return written;
  }

  private static ProblemException slugTaken(CreateInstance request) {
    return ProblemException.conflict(
        "The organisation already has an instance '" + request.slug() + "'.");
  }

  private static ProblemException domainTaken(CreateInstance request) {
    return ProblemException.conflict(
        "The domain " + request.customDomain() + " is already used by an instance.");
  }

  private Instance insert(Creation c) {
    CreateInstance request = c.request();
    OffsetDateTime now = OffsetDateTime.now();
    Instance i = new Instance();
    i.id = c.id();
    i.organizationSlug = c.org();
    i.slug = request.slug();
    i.displayName = request.displayName() == null ? request.slug() : request.displayName().strip();
    i.flavour = c.flavour().id();
    i.plan = c.planName();
    i.chatVersion = c.version();
    i.customDomain = request.customDomain();
    if (i.customDomain != null) {
      byte[] proof = new byte[20];
      PROOFS.nextBytes(proof);
      i.domainProof = java.util.HexFormat.of().formatHex(proof);
    }
    i.federation = request.federation() == null ? "platform-only" : request.federation();
    i.retentionDays = request.retentionDays() == null ? 0 : request.retentionDays();
    i.mediaRetentionDays = request.mediaRetentionDays() == null ? 0 : request.mediaRetentionDays();
    i.loginMode = c.login().id();
    // New Matrix instances sign in through MAS where the hoster turned it on (docs/adr/0038).
    i.authService = c.flavour() == Flavour.MATRIX && runtime.authServiceForNewMatrixInstances();
    i.desired = "running";
    i.state = InstanceState.REQUESTED.id();
    i.generation = 1;
    i.observedGeneration = 0;
    i.nextAttemptAt = now;
    i.lastTransitionAt = now;
    i.createdAt = now;
    i.updatedAt = now;
    i.persist();
    return i;
  }

  @Transactional
  public InstanceView get(String org, String slug) {
    Instance i = require(org, slug);
    List<InstanceStep> steps =
        InstanceStep.<InstanceStep>find("instanceId = ?1 order by id desc", i.id)
            .range(0, STEPS_SHOWN - 1)
            .list();
    List<InstanceStep> oldestFirst = new ArrayList<>(steps);
    Collections.reverse(oldestFirst);
    return view(i, oldestFirst);
  }

  @Transactional
  public Page<InstanceView> list(String org, Integer limit, String cursor) {
    int size = Cursors.limit(limit, 20, config.maxPageSize());
    String after = Cursors.decode(cursor);
    List<Instance> found;
    if (after == null) {
      found =
          Instance.<Instance>find(
                  "organizationSlug = ?1 and state <> 'deleted' order by createdAt, id", org)
              .range(0, size - 1)
              .list();
    } else {
      String[] parts = after.split("\\|", 2);
      OffsetDateTime at;
      UUID id;
      try {
        at = OffsetDateTime.parse(parts[0]);
        id = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        throw ProblemException.invalid("cursor", "is not a cursor this API gave");
      }
      found =
          Instance.<Instance>find(
                  "organizationSlug = ?1 and state <> 'deleted'"
                      + " and (createdAt > ?2 or (createdAt = ?2 and id > ?3))"
                      + " order by createdAt, id",
                  org,
                  at,
                  id)
              .range(0, size - 1)
              .list();
    }
    List<InstanceView> items = found.stream().map(i -> view(i, List.of())).toList();
    String next = null;
    if (found.size() == size) {
      Instance last = found.get(found.size() - 1);
      next = Cursors.encode(last.createdAt + "|" + last.id);
    }
    return new Page<>(items, next);
  }

  @Transactional
  public InstanceView update(String org, String slug, Long ifMatch, UpdateInstance request) {
    Instance i = requireChangeable(org, slug, ifMatch);
    if (i.state() == InstanceState.DELETION_REQUESTED) {
      throw ProblemException.conflict(
          "The instance is scheduled for deletion; restore it before changing it.");
    }
    Flavour flavour = Flavour.of(i.flavour).orElseThrow();
    if (request.displayName() != null) {
      i.displayName = request.displayName().strip();
    }
    if (request.plan() != null) {
      PlanLimits plan = plans.require(request.plan());
      PlanLimits before = plans.require(i.plan);
      if (plan.storageGb() < before.storageGb()) {
        // A volume grows in place but never shrinks (Kubernetes refuses it): refused before
        // anything changes, rather than half-applied.
        throw ProblemException.conflict(
            "The plan '%s' keeps %d GB of files, less than the %d GB this instance's volume already has: a volume can grow but never shrink. Choose a plan with at least %d GB, or export the data to a new instance."
                .formatted(
                    request.plan(), plan.storageGb(), before.storageGb(), before.storageGb()));
      }
      if (!request.plan().equals(i.plan)) {
        // The organisation's plan in billing must have room for the new size (the old amounts
        // are replaced). A refusal leaves the instance as it was; so does a change refused
        // after this point (billing gets the old size back).
        quota.resize(org, i.id, before, plan);
      }
      i.plan = request.plan();
      if (flavour == Flavour.MATTERMOST) {
        i.loginMode = plan.login().id();
      }
    }
    if (request.version() != null) {
      checkVersion(flavour, request.version());
      i.chatVersion = request.version();
    }
    checkLogin(flavour, LoginMode.of(i.loginMode).orElseThrow(), i.chatVersion);
    if (request.federation() != null) {
      i.federation = request.federation();
    }
    if (request.mediaRetentionDays() != null) {
      i.mediaRetentionDays = request.mediaRetentionDays();
    }
    if (request.retentionDays() != null) {
      i.retentionDays = request.retentionDays();
    }
    InstanceState s = i.state();
    changed(i, s == InstanceState.READY || s == InstanceState.FAILED ? InstanceState.UPDATING : s);
    return view(i, List.of());
  }

  /** Looks the instance's custom domain up in DNS now; answers the instance as it then is. */
  public InstanceView lookUpDomain(String org, String slug) {
    Instance i = QuarkusTransaction.requiringNew().call(() -> require(org, slug));
    if (i.customDomain == null) {
      throw ProblemException.conflict("The instance has no custom domain to look up.");
    }
    domains.check(i);
    return get(org, slug);
  }

  @Transactional
  public InstanceView suspend(String org, String slug) {
    Instance i = requireChangeable(org, slug, null);
    if (i.state() == InstanceState.DELETION_REQUESTED) {
      throw ProblemException.conflict("The instance is scheduled for deletion.");
    }
    if ("suspended".equals(i.desired)) {
      return view(i, List.of());
    }
    i.desired = "suspended";
    InstanceState s = i.state();
    changed(i, s == InstanceState.REQUESTED ? s : InstanceState.UPDATING);
    return view(i, List.of());
  }

  @Transactional
  public InstanceView resume(String org, String slug) {
    Instance i = requireChangeable(org, slug, null);
    if (i.state() == InstanceState.DELETION_REQUESTED) {
      throw ProblemException.conflict(
          "The instance is scheduled for deletion; restore it to bring it back.");
    }
    if ("running".equals(i.desired) && i.state() != InstanceState.FAILED) {
      return view(i, List.of());
    }
    i.desired = "running";
    InstanceState s = i.state();
    changed(i, s == InstanceState.REQUESTED ? s : InstanceState.UPDATING);
    return view(i, List.of());
  }

  /**
   * Moves a suspended Matrix instance over to the Matrix Authentication Service (docs/adr/0038):
   * its next generation, still suspended, makes MAS's database, writes MAS's configuration and
   * Synapse's delegating one, and sends the realm's client to MAS. The operator then carries the
   * members over with MAS's {@code syn2mas} (Synapse stopped) and resumes it. Already moved: no
   * change.
   */
  @Transactional
  public InstanceView moveToAuthService(String org, String slug) {
    Instance i = require(org, slug);
    if (!Flavour.MATRIX.id().equals(i.flavour)) {
      throw ProblemException.conflict(
          "Only Matrix instances sign in through the Matrix Authentication Service.");
    }
    if (coop.salons.provisioning.model.Commons.ORGANIZATION.equals(i.organizationSlug)
        && coop.salons.provisioning.model.Commons.SLUG.equals(i.slug)) {
      throw ProblemException.conflict("The commons server keeps Synapse's own sign-on.");
    }
    if (i.authService) {
      return view(i, List.of());
    }
    if (!runtime.runsAuthService()) {
      throw ProblemException.conflict(
          "This platform runs no Matrix Authentication Service (on one machine, name its binary:"
              + " salons.provisioning.mas.binary).");
    }
    if (!"suspended".equals(i.desired) || i.state() != InstanceState.SUSPENDED) {
      throw ProblemException.conflict(
          "Suspend the instance first and wait until it is suspended: syn2mas reads Synapse's"
              + " database while Synapse is stopped.");
    }
    i.authService = true;
    changed(i, InstanceState.UPDATING);
    return view(i, List.of());
  }

  @Transactional
  public InstanceView scheduleDeletion(String org, String slug, Long ifMatch) {
    Instance i = requireChangeable(org, slug, ifMatch);
    if (i.state() == InstanceState.DELETION_REQUESTED) {
      return view(i, List.of());
    }
    i.desired = "deleted";
    i.deletionDueAt = OffsetDateTime.now().plus(config.deletionGracePeriod());
    changed(i, InstanceState.DELETION_REQUESTED);
    return view(i, List.of());
  }

  @Transactional
  public InstanceView restore(String org, String slug) {
    Instance i = require(org, slug);
    if (i.state() != InstanceState.DELETION_REQUESTED) {
      throw ProblemException.conflict("The instance is not scheduled for deletion.");
    }
    i.desired = "running";
    i.deletionDueAt = null;
    changed(i, InstanceState.UPDATING);
    return view(i, List.of());
  }

  /** A change of the desired state: a new generation, due for the supervisor at once. */
  private void changed(Instance i, InstanceState next) {
    OffsetDateTime now = OffsetDateTime.now();
    InstanceState before = i.state();
    i.moveTo(next, now);
    i.generation++;
    i.attempts = 0;
    i.reason = null;
    i.nextAttemptAt = now;
    i.updatedAt = now;
    if (before != next) {
      webhooks.stateChanged(i.stateChange());
    }
    em.flush(); // the view carries the new version as its ETag
  }

  private Instance require(String org, String slug) {
    Instance i =
        Instance.find("organizationSlug = ?1 and slug = ?2 and state <> 'deleted'", org, slug)
            .firstResult();
    if (i == null) {
      throw ProblemException.notFound("No instance '" + slug + "' in '" + org + "'.");
    }
    return i;
  }

  private Instance requireChangeable(String org, String slug, Long ifMatch) {
    Instance i = require(org, slug);
    if (ifMatch != null && ifMatch != i.version) {
      throw ProblemException.preconditionFailed(
          "The instance changed since you read it (ETag " + i.version + "); read it again.");
    }
    return i;
  }

  /** A version the hoster lets instances run (its allowlist per flavour, and the default). */
  private void checkVersion(Flavour flavour, String version) {
    List<String> allowed =
        new java.util.ArrayList<>(
            flavour == Flavour.MATRIX
                ? config.images().synapseVersions()
                : config.images().mattermostVersions());
    if (!allowed.contains(defaultVersion(flavour))) {
      allowed.add(0, defaultVersion(flavour));
    }
    if (!allowed.contains(version)) {
      throw ProblemException.invalid(
          "version",
          "is not a "
              + flavour.id()
              + " version this platform runs; choose one of "
              + String.join(", ", allowed));
    }
  }

  private String defaultVersion(Flavour flavour) {
    return flavour == Flavour.MATRIX
        ? config.images().synapseVersion()
        : config.images().mattermostVersion();
  }

  /**
   * The GitLab shim works only up to Mattermost 10.11, whose security fixes ended in August 2026:
   * refused unless the hoster allows unsupported versions.
   */
  private void checkLogin(Flavour flavour, LoginMode login, String version) {
    if (flavour != Flavour.MATTERMOST || login != LoginMode.GITLAB) {
      return;
    }
    String[] v = version.split("\\.");
    int major = Integer.parseInt(v[0]);
    int minor = Integer.parseInt(v[1]);
    boolean shimWorks = major < 10 || (major == 10 && minor <= 11);
    if (!shimWorks) {
      throw ProblemException.invalid(
          "version", "the plan signs in through GitLab, which Mattermost offers only up to 10.11");
    }
    if (!config.allowUnsupportedVersions()) {
      throw new ProblemException(
          409,
          "unsupported-version",
          "Unsupported version",
          "The plan signs in through GitLab, which needs Mattermost 10.11 or older; those"
              + " versions no longer get security fixes and this platform does not allow them.",
          List.of());
    }
  }

  private void checkDomain(String domain) {
    if (domain == null) {
      return;
    }
    List<String> platform = new java.util.ArrayList<>(config.reservedHosts().orElse(List.of()));
    platform.add(config.baseDomain());
    platform.add(java.net.URI.create(config.realmUrl()).getHost());
    platform.add(java.net.URI.create(config.signInGate()).getHost());
    for (String host : platform) {
      if (host != null && !host.isBlank() && (domain.equals(host) || domain.endsWith("." + host))) {
        throw ProblemException.invalid(
            "customDomain", "is a name of the platform itself; leave it out to get one");
      }
    }
    if (domain.endsWith(".localhost")) {
      throw ProblemException.invalid(
          "customDomain", "is a name of the platform itself; leave it out to get one");
    }
    Domains.notOwnable(domain)
        .ifPresent(
            why -> {
              throw ProblemException.invalid("customDomain", why);
            });
  }

  private static final java.security.SecureRandom PROOFS = new java.security.SecureRandom();

  /** Whether the association proved it controls the custom domain, and how to. */
  private static Condition proofCondition(Instance i) {
    boolean proven = i.domainProvenAt != null;
    return new Condition(
        "DomainProven",
        proven ? "True" : "False",
        proven ? "Proven" : "AwaitingProof",
        proven
            ? i.customDomain + " is proven to be the organisation's."
            : "Prove that "
                + i.customDomain
                + " is the organisation's: create the record "
                + i.domainProofRecord()
                + ". TXT \""
                + i.domainProofValue()
                + "\". Until then the domain is in no route, certificate or federation list.",
        i.observedGeneration,
        i.domainProvenAt);
  }

  /** What DNS said of the instance's custom domain when it was last looked up. */
  private static Condition domainCondition(Instance i, String target) {
    String record =
        "create the record "
            + i.customDomain
            + ". CNAME "
            + target
            + ". (at the top of a zone: the same A/AAAA records as "
            + target
            + ")";
    Boolean pointed = i.domainPointed;
    String message =
        pointed == null
            ? "Not looked up yet, or DNS did not answer; " + record + "."
            : pointed
                ? i.customDomain + " leads to the platform."
                : i.customDomain + " does not lead to the platform yet: " + record + ".";
    return new Condition(
        "DomainPointed",
        pointed == null ? "Unknown" : pointed ? "True" : "False",
        pointed == null ? "NotLookedUp" : pointed ? "Pointed" : "NotPointed",
        message,
        i.observedGeneration,
        i.domainChangedAt);
  }

  /**
   * What the last sync of the members' Mattermost accounts found (accounts login mode): whether the
   * platform keeps them, and if not, why.
   */
  private Condition accountsCondition(Instance i) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT synced, message, changed_at FROM mattermost_sync WHERE instance_id = ?1")
            .setParameter(1, i.id)
            .getResultList();
    if (rows.isEmpty()) {
      return new Condition(
          "AccountsSynced",
          "Unknown",
          "NotSyncedYet",
          "Members get their Mattermost accounts once the server is running.",
          i.observedGeneration,
          i.createdAt);
    }
    Object[] r = rows.get(0);
    boolean synced = (Boolean) r[0];
    return new Condition(
        "AccountsSynced",
        synced ? "True" : "False",
        synced ? "Synced" : "SyncFailing",
        (String) r[1],
        i.observedGeneration,
        coop.salons.common.db.NativeRows.offsetDateTime(r[2]));
  }

  /** The host name an instance is reached at. */
  public static String host(Instance i, String baseDomain) {
    if (i.customDomain != null) {
      return i.customDomain;
    }
    return Commons.ORGANIZATION.equals(i.organizationSlug)
        ? Commons.host(baseDomain)
        : i.platformHost(baseDomain);
  }

  private InstanceView view(Instance i, List<InstanceStep> steps) {
    InstanceState s = i.state();
    boolean ready = s == InstanceState.READY;
    boolean progressing = i.generation != i.observedGeneration && s.live();
    String readyReason =
        switch (s) {
          case READY -> "Running";
          case SUSPENDED -> "Suspended";
          case FAILED -> "Failed";
          case DELETION_REQUESTED -> "DeletionScheduled";
          case DELETED -> "Deleted";
          default -> "Converging";
        };
    List<Condition> conditions =
        new ArrayList<>(
            List.of(
                new Condition(
                    "Ready",
                    ready ? "True" : "False",
                    readyReason,
                    i.reason,
                    i.observedGeneration,
                    i.lastTransitionAt),
                new Condition(
                    "Progressing",
                    progressing ? "True" : "False",
                    progressing ? "NewGeneration" : "Converged",
                    null,
                    i.observedGeneration,
                    i.lastTransitionAt)));
    if (i.customDomain != null) {
      conditions.add(domainCondition(i, i.platformHost(config.baseDomain())));
      conditions.add(proofCondition(i));
    }
    if (Flavour.MATTERMOST.id().equals(i.flavour) && LoginMode.ACCOUNTS.id().equals(i.loginMode)) {
      conditions.add(accountsCondition(i));
    }
    return new InstanceView(
        i.id,
        i.organizationSlug,
        i.slug,
        i.displayName,
        i.flavour,
        i.chatVersion,
        i.plan,
        i.customDomain,
        i.customDomain == null ? null : i.platformHost(config.baseDomain()),
        i.customDomain == null
            ? null
            : new InstanceDtos.DomainProof(
                i.domainProofRecord(), i.domainProofValue(), i.domainProvenAt),
        i.federation,
        i.retentionDays,
        i.mediaRetentionDays,
        i.loginMode,
        Flavour.MATRIX.id().equals(i.flavour) ? (i.authService ? "mas" : "sso") : null,
        i.state,
        i.desired,
        i.url,
        i.url == null
            ? null
            : runtime.webClient(Flavour.of(i.flavour).orElseThrow(), i.url).orElse(null),
        i.reason,
        i.generation,
        i.observedGeneration,
        conditions,
        i.deletionDueAt,
        i.createdAt,
        i.updatedAt,
        steps.stream()
            .map(
                st ->
                    new StepView(
                        st.name, st.outcome, st.detail, st.generation, st.startedAt, st.finishedAt))
            .toList(),
        i.version);
  }
}
