package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.commons.CommonsServer;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.identity.InstanceClients;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import coop.salons.provisioning.instance.InstanceState;
import coop.salons.provisioning.instance.InstanceStep;
import coop.salons.provisioning.instance.Plans;
import coop.salons.provisioning.model.DesiredState;
import coop.salons.provisioning.model.Federation;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.model.MasRenderer;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.quota.InstanceQuota;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.runtime.LocalPorts;
import coop.salons.provisioning.runtime.PermanentFailure;
import coop.salons.provisioning.webhook.Webhooks;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Converges one instance to its desired state, as a pipeline of named, idempotent steps, each
 * recorded: {@code secrets → database → oidc-client → apply → readiness}, and after the grace
 * period of a deletion {@code final-backup → remove → drop-database → delete-oidc-client →
 * release-quota}. It can be stopped between any two steps: the next pass finds what is done already
 * and does the rest. Every write of the instance's row is fenced by the lease, so a replica that
 * lost its lease changes nothing.
 */
@ApplicationScoped
public class Reconciler implements coop.salons.provisioning.backup.InstanceSpecs {

  @Inject ProvisioningConfig config;
  @Inject ChatRuntime runtime;
  @Inject TenantDatabases databases;
  @Inject coop.salons.provisioning.backup.InstanceBackups backups;
  @Inject @RestClient InstanceClients clients;
  @Inject Plans plans;
  @Inject PlatformServers platformServers;
  @Inject Webhooks webhooks;
  @Inject InstanceQuota quota;
  @Inject EntityManager em;
  @Inject SupervisorMetrics metrics;

  /** Fault injection for the crash tests: stop dead right after the step of this name. */
  static volatile String crashAfterStep;

  /** Tests only: runs after each step (for example, another replica taking the lease). */
  static volatile Runnable afterStep;

  /** What a pass works from: the row as it was claimed. */
  record Snapshot(
      UUID id,
      long generation,
      boolean newGeneration,
      boolean applied,
      String desired,
      boolean purgeDue,
      Integer localPort,
      boolean neverReady,
      String federationApplied,
      InstanceSpec spec,
      String owner) {}

  /** The server did not answer yet: not a failure, ask again soon. */
  static final class NotReady extends RuntimeException {
    NotReady(String message) {
      super(message, null, false, false);
    }
  }

  /** Simulates the process dying: nothing after it runs, not even the lease's release. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(String step) {
      super("simulated crash after " + step);
    }
  }

  public void reconcile(UUID id, String owner) {
    Snapshot s = QuarkusTransaction.requiringNew().call(() -> snapshot(id, owner));
    if (s == null) {
      return;
    }
    try {
      if (s.purgeDue()) {
        purge(s);
        finish(s, owner, Outcome.PURGED, null);
      } else {
        String url = converge(s);
        finish(s, owner, Outcome.CONVERGED, url);
      }
    } catch (NotReady e) {
      finish(s, owner, Outcome.WAITING, e.getMessage());
    } catch (PermanentFailure e) {
      finish(s, owner, Outcome.FAILED_FOR_GOOD, e.getMessage());
    } catch (SimulatedCrash e) {
      throw e;
    } catch (RuntimeException e) {
      Log.warnf("Instance %s: %s", id, describe(e));
      finish(s, owner, Outcome.RETRY, describe(e));
    }
  }

  Snapshot snapshot(UUID id, String owner) {
    Instance i = Instance.findById(id);
    if (i == null || !owner.equals(i.leaseOwner)) {
      return null;
    }
    OffsetDateTime now = OffsetDateTime.now();
    boolean requested = i.state() == InstanceState.REQUESTED;
    if (requested) {
      i.moveTo(InstanceState.PROVISIONING, now);
      webhooks.stateChanged(i.stateChange());
    }
    if (runtime.usesLocalPorts() && i.localPort == null) {
      i.localPort = LocalPorts.next(em, config.local().firstPort());
    }
    if (requested) {
      platformServers.named(i);
    }
    boolean purgeDue =
        "deleted".equals(i.desired) && i.deletionDueAt != null && !now.isBefore(i.deletionDueAt);
    InstanceSpec spec = spec(i);
    return new Snapshot(
        i.id,
        i.generation,
        i.generation != i.observedGeneration,
        i.appliedGeneration == i.generation,
        i.desired,
        purgeDue,
        i.localPort,
        i.state() == InstanceState.PROVISIONING,
        i.federationApplied,
        spec,
        owner);
  }

  /** The spec an instance row describes, with the platform settings it needs. */
  public InstanceSpec spec(Instance i) {
    Flavour flavour = Flavour.of(i.flavour).orElseThrow();
    String dbName = InstanceSpec.databaseName(i.id);
    ProvisioningConfig.TenantDatabase t = config.tenantDatabase();
    Federation federation = Federation.of(i.federation).orElseThrow();
    return new InstanceSpec(
        i.id,
        i.organizationSlug,
        i.slug,
        i.displayName,
        flavour,
        flavour == Flavour.MATRIX ? config.images().synapse() : config.images().mattermost(),
        i.chatVersion,
        InstanceService.host(i, config.baseDomain()),
        plans.require(i.plan),
        federation,
        i.retentionDays,
        i.mediaRetentionDays,
        config.retention().purgeEvery(),
        flavour == Flavour.MATRIX && federation == Federation.PLATFORM_ONLY
            ? (CommonsServer.is(i) ? platformServers.live() : platformServers.list())
            : List.of(),
        !"running".equals(i.desired),
        new InstanceSpec.Database(t.host(), t.port(), dbName, dbName),
        config.realmUrl(),
        config.signInGate(),
        i.generation,
        CommonsServer.is(i),
        i.hostProven(),
        flavour == Flavour.MATRIX && i.authService);
  }

  /**
   * The pipeline of a pass: {@code secrets → database → oidc-client → apply → readiness}, each step
   * a method of its own, run and recorded by {@link #step}.
   */
  private String converge(Snapshot s) {
    InstanceSpec spec = s.spec();
    Placement placement = runtime.placement(spec, s.localPort());
    if (s.applied()
        && s.newGeneration()
        && !spec.suspended()
        && federationList(spec).equals(Objects.toString(s.federationApplied(), ""))) {
      // Applied already; only waiting for the server to answer.
      awaitReadiness(s, spec, placement);
      return placement.publicUrl();
    }
    ChatRuntime.Secrets secrets = step(s, "secrets", () -> secrets(spec));
    // The database and the OIDC client live outside the runtime: they are ensured on every change
    // (a new generation); a periodic resync corrects the runtime's objects (see docs/adr/0007).
    if (s.newGeneration()) {
      step(s, "database", () -> database(spec, secrets));
    }
    ChatRuntime.Secrets withClient =
        spec.login() != LoginMode.ACCOUNTS
                && (s.newGeneration()
                    || !secrets.values().containsKey(InstanceSecrets.OIDC_CLIENT_SECRET))
            ? step(s, "oidc-client", () -> oidcClient(spec, placement, secrets))
            : secrets;
    step(s, "apply", () -> apply(spec, placement, withClient));
    markApplied(s);
    if (!spec.suspended()) {
      awaitReadiness(s, spec, placement);
    }
    return placement.publicUrl();
  }

  /** Step {@code secrets}: the instance's secrets, those missing generated and kept. */
  private Result<ChatRuntime.Secrets> secrets(InstanceSpec spec) {
    Map<String, String> fresh =
        spec.commons()
            ? InstanceSecrets.generateForCommons()
            : InstanceSecrets.generate(spec.flavour());
    if (spec.authService()) {
      fresh.putAll(InstanceSecrets.generateForAuthService());
    }
    ChatRuntime.Secrets got = runtime.secrets(spec, fresh);
    if (spec.commons()) {
      got = commonsToken(spec, got);
    }
    return new Result<>(got, !got.generated().isEmpty(), "generated " + got.generated().size());
  }

  /** Step {@code database}: the instance's role and database on the tenants' server. */
  private Result<Void> database(InstanceSpec spec, ChatRuntime.Secrets secrets) {
    String password = secrets.values().get(InstanceSecrets.DB_PASSWORD);
    boolean isNew = secrets.generated().contains(InstanceSecrets.DB_PASSWORD);
    boolean changed = databases.ensure(spec.database().name(), password, isNew);
    if (spec.authService()) {
      changed |= databases.ensureAuthService(spec.database().name());
    }
    return new Result<>(null, changed, spec.database().name());
  }

  /** Step {@code apply}: the desired state, rendered once, given to the runtime to apply. */
  private Result<Void> apply(InstanceSpec spec, Placement placement, ChatRuntime.Secrets secrets) {
    DesiredState desired = DesiredState.of(spec, placement, secrets.values(), config.cluster());
    List<String> changes = runtime.apply(spec, placement, desired, secrets);
    return new Result<>(null, !changes.isEmpty(), summary(changes));
  }

  /** The commons server acts with the hoster's token for the commons service, when there is one. */
  private ChatRuntime.Secrets commonsToken(InstanceSpec spec, ChatRuntime.Secrets got) {
    Optional<String> token = config.commons().appserviceToken().filter(t -> !t.isBlank());
    if (token.isEmpty() || token.get().equals(got.values().get(InstanceSecrets.APPSERVICE_TOKEN))) {
      return got;
    }
    runtime.putSecret(spec, InstanceSecrets.APPSERVICE_TOKEN, token.get());
    var values = new java.util.LinkedHashMap<>(got.values());
    values.put(InstanceSecrets.APPSERVICE_TOKEN, token.get());
    return new ChatRuntime.Secrets(values, got.generated(), got.first());
  }

  private void awaitReadiness(Snapshot s, InstanceSpec spec, Placement placement) {
    if (!runtime.ready(spec, placement)) {
      Optional<String> crashed = runtime.crashed(spec);
      if (crashed.isPresent()) {
        throw new IllegalStateException(crashed.get());
      }
      throw new NotReady("waiting for the server to answer");
    }
    if (spec.flavour() == Flavour.MATRIX) {
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  Instance.update(
                      "federationServing = federationApplied where id = ?1"
                          + " and federationServing is distinct from federationApplied",
                      s.id()));
      if (s.neverReady() && !spec.commons()) {
        Optional<String> awaited =
            QuarkusTransaction.requiringNew()
                .call(() -> platformServers.awaitedBy(s.id(), placement.serverName()));
        if (awaited.isPresent()) {
          throw new NotReady(awaited.get());
        }
      }
    }
    step(s, "readiness", () -> new Result<Void>(null, false, "the server answers"));
  }

  /** Remembers that this generation's objects are applied (fenced by the lease). */
  private void markApplied(Snapshot s) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instance.update(
                  "appliedGeneration = ?1 where id = ?2 and generation = ?1",
                  s.generation(),
                  s.id());
              Instance.update(
                  "federationApplied = ?1 where id = ?2", federationList(s.spec()), s.id());
            });
  }

  /** The federation list a spec names, as the instance's row keeps it. */
  private static String federationList(InstanceSpec spec) {
    return String.join(",", spec.platformServers());
  }

  /**
   * Step {@code oidc-client}: the instance's client in the realm, its secret kept with the others.
   */
  private Result<ChatRuntime.Secrets> oidcClient(
      InstanceSpec spec, Placement placement, ChatRuntime.Secrets secrets) {
    String base = placement.baseUrl();
    String callback =
        switch (spec.flavour()) {
          case MATRIX ->
              spec.authService()
                  ? MasRenderer.callbackUrl(spec, placement)
                  : base + "/_synapse/client/oidc/callback";
          case MATTERMOST ->
              base
                  + (spec.login() == LoginMode.GITLAB
                      ? "/signup/gitlab/complete"
                      : "/signup/openid/complete");
        };
    String logout =
        spec.flavour() != Flavour.MATRIX
            ? null
            : spec.authService()
                ? MasRenderer.backchannelLogoutUrl(spec, placement)
                : base + "/_synapse/client/oidc/backchannel_logout";
    InstanceClients.Spec clientSpec =
        new InstanceClients.Spec(
            spec.organization(), spec.flavour().id(), List.of(callback), logout, spec.login().id());
    String secret;
    boolean changed;
    try (Response r = clients.put(spec.id().toString(), clientSpec)) {
      if (r.getStatus() == 201) {
        secret = r.readEntity(InstanceClients.Secret.class).secret();
        changed = true;
      } else if (secrets.values().containsKey(InstanceSecrets.OIDC_CLIENT_SECRET)) {
        return new Result<>(secrets, false, spec.clientId());
      } else {
        // Created by a pass that stopped before keeping the secret: a new one.
        secret = clients.rotate(spec.id().toString()).secret();
        changed = true;
      }
    }
    runtime.putSecret(spec, InstanceSecrets.OIDC_CLIENT_SECRET, secret);
    var values = new java.util.LinkedHashMap<>(secrets.values());
    values.put(InstanceSecrets.OIDC_CLIENT_SECRET, secret);
    return new Result<>(
        new ChatRuntime.Secrets(values, secrets.generated(), secrets.first()),
        changed,
        spec.clientId());
  }

  /**
   * The pipeline once a deletion's grace period is over: {@code final-backup → remove →
   * drop-database → delete-oidc-client → release-quota}, each step a method of its own.
   */
  private void purge(Snapshot s) {
    InstanceSpec spec = s.spec();
    step(s, "final-backup", () -> finalBackup(spec, s.localPort()));
    step(s, "remove", () -> remove(spec));
    step(s, "drop-database", () -> dropDatabase(spec));
    if (spec.login() != LoginMode.ACCOUNTS) {
      step(s, "delete-oidc-client", () -> deleteOidcClient(spec));
    }
    step(s, "release-quota", () -> releaseQuota(spec));
  }

  /**
   * Step {@code final-backup}: before anything is removed, a whole backup (database, files,
   * secrets) taken and verified (docs/adr/0032); if it cannot be, the purge stops here and says
   * why. Without the hoster's backup key (no backup can be taken), the database's tables as CSV.
   */
  private Result<Void> finalBackup(InstanceSpec spec, Integer localPort) {
    if (backups.available() && (localPort != null || !runtime.usesLocalPorts())) {
      // Taken by an earlier pass of this purge (one that then waited for the namespace to go).
      java.time.OffsetDateTime due =
          QuarkusTransaction.requiringNew()
              .call(() -> ((Instance) Instance.findById(spec.id())).deletionDueAt);
      java.util.Optional<String> taken = backups.finalTakenSince(spec.id(), due);
      if (taken.isPresent()) {
        return new Result<>(null, false, "verified " + taken.get());
      }
      if (!databases.exists(spec.database().name())) {
        return new Result<>(null, false, "no database");
      }
      try {
        String kept = backups.takeFinal(spec, runtime.placement(spec, localPort));
        return new Result<>(null, true, "verified " + kept);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "the final backup could not be taken and verified: " + e.getMessage(), e);
      }
    }
    Path file = databases.dump(spec.database().name());
    return new Result<>(null, file != null, file == null ? "no database" : file.toString());
  }

  @Override
  public InstanceSpec specOf(java.util.UUID instanceId) {
    return QuarkusTransaction.requiringNew().call(() -> spec(Instance.findById(instanceId)));
  }

  @Override
  public Integer localPortOf(java.util.UUID instanceId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> ((Instance) Instance.findById(instanceId)).localPort);
  }

  /** Step {@code remove}: the runtime's objects, gone for good before the pass goes on. */
  private Result<Void> remove(InstanceSpec spec) {
    ChatRuntime.Removal removal = runtime.delete(spec);
    if (!removal.gone()) {
      // Kubernetes finishes deleting a namespace on its own (finalizers): come back.
      throw new NotReady("waiting for the instance's namespace to be gone");
    }
    return new Result<>(null, !removal.removed().isEmpty(), summary(removal.removed()));
  }

  /** Step {@code drop-database}. */
  private Result<Void> dropDatabase(InstanceSpec spec) {
    return new Result<>(null, databases.drop(spec.database().name()), spec.database().name());
  }

  /** Step {@code delete-oidc-client}: the instance's client in the realm (gone already: done). */
  private Result<Void> deleteOidcClient(InstanceSpec spec) {
    try (Response r = clients.delete(spec.id().toString())) {
      return new Result<>(null, true, spec.clientId());
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        return new Result<>(null, false, spec.clientId());
      }
      throw e;
    }
  }

  /** Step {@code release-quota}: the instance's slot of the plan given back to billing. */
  private Result<Void> releaseQuota(InstanceSpec spec) {
    quota.release(spec.organization(), spec.id());
    return new Result<>(null, true, InstanceQuota.key(spec.id()));
  }

  /**
   * Renews the pass's lease before each step, and stops the pass if it lost it (it ran out and
   * another replica claimed the instance): a replica that stalled writes nothing more.
   */
  private void renewLease(Snapshot s) {
    int renewed =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "UPDATE instance SET lease_until = now() + make_interval(secs => ?1)"
                                + " WHERE id = ?2 AND lease_owner = ?3")
                        .setParameter(1, config.supervisor().lease().toMillis() / 1000.0)
                        .setParameter(2, s.id())
                        .setParameter(3, s.owner())
                        .executeUpdate());
    if (renewed == 0) {
      throw new IllegalStateException("lease lost: another replica has the instance");
    }
  }

  /** A step's value, whether it changed anything, and a line for the record. */
  record Result<T>(T value, boolean changed, String detail) {}

  private <T> T step(Snapshot s, String name, Supplier<Result<T>> work) {
    renewLease(s);
    OffsetDateTime started = OffsetDateTime.now();
    long t0 = System.nanoTime();
    Result<T> result;
    try {
      result = work.get();
    } catch (NotReady e) {
      throw e;
    } catch (RuntimeException e) {
      metrics.step(name, "failed", Duration.ofNanos(System.nanoTime() - t0));
      record(s, name, "failed", describe(e), started);
      throw e;
    }
    metrics.step(
        name, result.changed() ? "done" : "unchanged", Duration.ofNanos(System.nanoTime() - t0));
    // A resync records only what it had to correct; a new generation records every step.
    if (s.newGeneration() || s.purgeDue() || result.changed()) {
      record(s, name, result.changed() ? "done" : "unchanged", result.detail(), started);
    }
    if (name.equals(crashAfterStep)) {
      throw new SimulatedCrash(name);
    }
    Runnable hook = afterStep;
    if (hook != null) {
      hook.run();
    }
    return result.value();
  }

  private void record(
      Snapshot s, String name, String outcome, String detail, OffsetDateTime started) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              InstanceStep step = new InstanceStep();
              step.instanceId = s.id();
              step.generation = s.generation();
              step.name = name;
              step.outcome = outcome;
              step.detail = detail == null ? null : truncate(detail, 1000);
              step.startedAt = started;
              step.finishedAt = OffsetDateTime.now();
              step.persist();
            });
  }

  enum Outcome {
    CONVERGED,
    PURGED,
    WAITING,
    RETRY,
    FAILED_FOR_GOOD
  }

  private void finish(Snapshot s, String owner, Outcome outcome, String detail) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instance i = Instance.findById(s.id());
              if (i == null || !owner.equals(i.leaseOwner)) {
                Log.infof("Instance %s: lease lost, result discarded", s.id());
                return;
              }
              OffsetDateTime now = OffsetDateTime.now();
              InstanceState before = i.state();
              boolean changedSince = i.generation != s.generation();
              ProvisioningConfig.Supervisor sup = config.supervisor();
              switch (outcome) {
                case CONVERGED -> {
                  if (!changedSince) {
                    switch (s.desired()) {
                      case "running" -> i.moveTo(InstanceState.READY, now);
                      case "suspended" -> i.moveTo(InstanceState.SUSPENDED, now);
                      default -> {
                        // deletion scheduled: stopped, waiting for the end of the grace period
                      }
                    }
                  }
                  i.observedGeneration = s.generation();
                  i.attempts = 0;
                  i.reason = null;
                  i.url = detail;
                  i.nextAttemptAt =
                      changedSince
                          ? now
                          : "deleted".equals(s.desired()) && i.deletionDueAt != null
                              ? i.deletionDueAt
                              : runtime.resyncsInBulk()
                                  ? now.plus(Duration.ofDays(36500)) // the bulk resync's
                                  : now.plus(sup.resyncEvery());
                }
                case PURGED -> {
                  i.moveTo(InstanceState.DELETED, now);
                  i.observedGeneration = s.generation();
                  i.reason = null;
                  i.url = null;
                }
                case WAITING -> {
                  i.reason = detail;
                  i.nextAttemptAt =
                      now.plus(
                          runtime.reportsReadiness()
                              ? sup.readinessRecheck()
                              : sup.readinessPoll());
                  Duration waited = Duration.between(i.lastTransitionAt, now);
                  if (waited.compareTo(sup.readinessTimeout()) > 0) {
                    i.reason = "the server did not become ready in " + sup.readinessTimeout();
                    i.moveTo(InstanceState.FAILED, now);
                  }
                }
                case RETRY -> {
                  i.appliedGeneration = 0; // the next pass does every step again
                  i.attempts++;
                  i.reason = truncate(detail, 1000);
                  if (i.attempts >= sup.maxAttempts()) {
                    i.moveTo(InstanceState.FAILED, now);
                  } else {
                    i.nextAttemptAt = now.plus(backoff(i.attempts));
                  }
                }
                case FAILED_FOR_GOOD -> {
                  i.appliedGeneration = 0;
                  i.attempts++;
                  i.reason = truncate(detail, 1000);
                  i.moveTo(InstanceState.FAILED, now);
                }
              }
              i.leaseOwner = null;
              i.leaseUntil = null;
              i.updatedAt = now;
              if (i.state() != before) {
                webhooks.stateChanged(i.stateChange());
                platformServers.stateChanged(i, before);
              }
            });
  }

  Duration backoff(int attempts) {
    Duration first = config.supervisor().retryBackoff();
    Duration max = config.supervisor().maxBackoff();
    Duration d = first.multipliedBy(1L << Math.min(attempts - 1, 20));
    return d.compareTo(max) > 0 ? max : d;
  }

  private static String summary(List<String> changes) {
    if (changes.isEmpty()) {
      return "nothing to change";
    }
    List<String> shown = new ArrayList<>(changes.subList(0, Math.min(changes.size(), 20)));
    if (changes.size() > 20) {
      shown.add("and " + (changes.size() - 20) + " more");
    }
    return String.join(", ", shown);
  }

  private static String describe(RuntimeException e) {
    if (e instanceof WebApplicationException w) {
      return "identity answered HTTP " + w.getResponse().getStatus();
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
