package coop.salons.provisioning.runtime;

import coop.salons.common.concurrent.DaemonThreads;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.model.DesiredState;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import coop.salons.provisioning.model.Placement;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Instances on Kubernetes, through fabric8. Apply is read-compare-write: an object is created when
 * missing, replaced (with the resourceVersion read, so a concurrent change is not overwritten
 * blindly) when a field the platform sets differs, and left alone otherwise. Objects the platform
 * labelled but no longer wants are deleted, except the data volume. See docs/adr/0007.
 */
@ApplicationScoped
@Typed(KubernetesRuntime.class)
public class KubernetesRuntime implements ChatRuntime {

  static final String SECRET_PREFIX = "salons.";

  /** The one field manager the platform applies every object with. */
  public static final String FIELD_MANAGER = "salons-provisioning";

  /** The kinds the platform manages inside an instance's namespace, pruned when not desired. */
  static final List<Class<? extends HasMetadata>> PRUNED =
      List.of(
          Ingress.class,
          Service.class,
          Deployment.class,
          ConfigMap.class,
          NetworkPolicy.class,
          LimitRange.class,
          ResourceQuota.class);

  @Inject KubernetesClient client;
  @Inject ProvisioningConfig config;

  @Override
  public Optional<String> webClient(Flavour flavour, String url) {
    return flavour == Flavour.MATTERMOST || config.kubernetes().webClient().isPresent()
        ? Optional.ofNullable(url)
        : Optional.empty();
  }

  @Override
  public boolean resyncsInBulk() {
    return true;
  }

  /** The watch of the platform's Deployments, while it runs. */
  private volatile Watch readinessWatch;

  private volatile boolean watching;

  private final ScheduledExecutorService rewatch =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("deployment-watch-restart"));

  @Override
  public boolean reportsReadiness() {
    return watching;
  }

  /**
   * Tells {@code becameReady} the instance whose Deployment was just reported ready, from one watch
   * of the platform's Deployments in every namespace (by the managed-by label): the supervisor then
   * makes it due at once instead of asking every starting server every few seconds. Nothing is kept
   * in memory; a watch that closes is opened again after a few seconds (a change missed meanwhile
   * is found by the supervisor's recheck).
   */
  public synchronized void watchReadiness(Consumer<UUID> becameReady) {
    if (watching) {
      return;
    }
    watching = true;
    openWatch(becameReady);
  }

  private void openWatch(Consumer<UUID> becameReady) {
    if (!watching) {
      return;
    }
    try {
      readinessWatch =
          client
              .apps()
              .deployments()
              .inAnyNamespace()
              .withLabel("app.kubernetes.io/managed-by", KubernetesManifests.MANAGED_BY)
              .watch(
                  new Watcher<Deployment>() {
                    @Override
                    public void eventReceived(Action action, Deployment d) {
                      // Only changes: the first events of a new watch tell what was there already.
                      if (action == Action.MODIFIED && readyStatus(d)) {
                        String id =
                            d.getMetadata().getLabels().get(KubernetesManifests.INSTANCE_LABEL);
                        if (id != null) {
                          becameReady.accept(UUID.fromString(id));
                        }
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                      Log.infof("The watch of Deployments closed (%s); opening it again", cause);
                      reopen(becameReady, 5);
                    }
                  });
    } catch (KubernetesClientException e) {
      Log.warnf("Could not watch Deployments (%s); trying again in 30 s", e.getMessage());
      reopen(becameReady, 30);
    }
  }

  /** Opens the watch again later, unless the application is stopping. */
  private void reopen(Consumer<UUID> becameReady, int seconds) {
    try {
      if (watching) {
        rewatch.schedule(() -> openWatch(becameReady), seconds, TimeUnit.SECONDS);
      }
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // The application is stopping: nothing to watch any more.
    }
  }

  @PreDestroy
  void stopWatching() {
    watching = false;
    rewatch.shutdownNow();
    Watch w = readinessWatch;
    if (w != null) {
      w.close();
    }
  }

  /** Where the hoster turned MAS on in the chart ({@code salons.provisioning.mas.enabled}). */
  @Override
  public boolean authServiceForNewMatrixInstances() {
    return config.mas().enabled();
  }

  /** Always: MAS's image is the hoster's setting, with a default. */
  @Override
  public boolean runsAuthService() {
    return true;
  }

  @Override
  public Placement placement(InstanceSpec spec, Integer localPort) {
    return KubernetesManifests.placement(spec);
  }

  static String workload(InstanceSpec spec) {
    return spec.flavour() == Flavour.MATRIX ? "synapse" : "mattermost";
  }

  /**
   * Every instance's secrets, by namespace, from one list of the platform's Secrets (for a bulk
   * resync).
   */
  public Map<String, Map<String, String>> allSecrets() {
    Map<String, Map<String, String>> all = new HashMap<>();
    for (Secret secret :
        client
            .secrets()
            .inAnyNamespace()
            .withLabel("app.kubernetes.io/managed-by", KubernetesManifests.MANAGED_BY)
            .list()
            .getItems()) {
      all.put(secret.getMetadata().getNamespace(), kept(secret));
    }
    return all;
  }

  /** The instance's own secrets kept in its Secret (the keys {@code salons.*}). */
  private static Map<String, String> kept(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret != null && secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) -> {
                if (k.startsWith(SECRET_PREFIX)) {
                  values.put(k.substring(SECRET_PREFIX.length()), decode(v));
                }
              });
    }
    return values;
  }

  private Secret readSecret(InstanceSpec spec) {
    return client
        .secrets()
        .inNamespace(KubernetesManifests.namespace(spec))
        .withName(workload(spec) + "-secrets")
        .get();
  }

  @Override
  public Secrets secrets(InstanceSpec spec, Map<String, String> fresh) {
    Secret existing = readSecret(spec);
    boolean first = false;
    Map<String, String> values = kept(existing);
    List<String> generated = new ArrayList<>();
    fresh.forEach(
        (k, v) -> {
          if (!values.containsKey(k)) {
            values.put(k, v);
            generated.add(k);
          }
        });
    if (!generated.isEmpty()) {
      first = keep(spec, existing, values);
    }
    return new Secrets(values, generated, first);
  }

  @Override
  public void putSecret(InstanceSpec spec, String name, String value) {
    Secret existing = readSecret(spec);
    Map<String, String> values = kept(existing);
    values.put(name, value);
    keep(spec, existing, values);
  }

  /**
   * Writes secrets at once (before anything uses them), creating the namespace if needed; answers
   * whether it created both the namespace and the Secret (the instance had nothing here before).
   * The Secret is applied whole (what it holds, plus {@code values}): with server-side apply, a key
   * this field manager applied before and leaves out would be removed.
   */
  private boolean keep(InstanceSpec spec, Secret existing, Map<String, String> values) {
    String ns = KubernetesManifests.namespace(spec);
    boolean newNamespace = client.namespaces().withName(ns).get() == null;
    if (newNamespace) {
      apply(KubernetesManifests.namespaceObject(spec));
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (existing != null && existing.getData() != null) {
      data.putAll(existing.getData());
    }
    values.forEach((k, v) -> data.put(SECRET_PREFIX + k, encode(v)));
    apply(
        new SecretBuilder()
            .withNewMetadata()
            .withName(workload(spec) + "-secrets")
            .withNamespace(ns)
            .withLabels(KubernetesManifests.labels(spec))
            .endMetadata()
            .withType("Opaque")
            .withData(data)
            .build());
    return newNamespace && existing == null;
  }

  @Override
  public List<String> apply(
      InstanceSpec spec, Placement placement, DesiredState state, Secrets secrets) {
    List<HasMetadata> desired = state.objects();
    List<String> changes = new ArrayList<>();
    if (secrets.first() && createAll(desired, changes)) {
      return changes;
    }
    Set<String> wanted = new HashSet<>();
    desired.forEach(o -> wanted.add(key(o)));
    // The plan's limits first, and the old plan's gone, before anything grows to the new plan
    // (a claim grown while the old quota stands is refused).
    for (HasMetadata object : desired) {
      if (LIMITS.contains(object.getClass())) {
        readCompareWrite(object, changes);
      }
    }
    prune(spec, LIMITS, wanted, changes);
    for (HasMetadata object : desired) {
      if (!LIMITS.contains(object.getClass())) {
        readCompareWrite(object, changes);
      }
    }
    prune(spec, PRUNED.stream().filter(k -> !LIMITS.contains(k)).toList(), wanted, changes);
    return changes;
  }

  /** The kinds that bound what the namespace may hold: applied, and pruned, before the rest. */
  static final List<Class<? extends HasMetadata>> LIMITS =
      List.of(ResourceQuota.class, LimitRange.class);

  /** Deletes the instance's objects of these kinds that are no longer wanted. */
  private void prune(
      InstanceSpec spec,
      List<Class<? extends HasMetadata>> kinds,
      Set<String> wanted,
      List<String> changes) {
    for (Class<? extends HasMetadata> kind : kinds) {
      for (HasMetadata o : owned(spec, kind)) {
        if (!wanted.contains(key(o))) {
          client.resource(o).delete();
          changes.add("deleted " + key(o));
        }
      }
    }
  }

  /**
   * The first apply, in the pass that made the namespace: everything is applied without being read
   * first, and nothing is pruned, since nothing else can be in a namespace this pass created (the
   * lease keeps other replicas away). About half the requests of read-compare-apply.
   */
  private boolean createAll(List<HasMetadata> desired, List<String> changes) {
    for (HasMetadata object : desired) {
      apply(object);
      changes.add("created " + key(object));
    }
    return true;
  }

  /** What one instance wants, rendered, for a bulk resync. */
  public record Wanted(InstanceSpec spec, List<HasMetadata> objects) {}

  /** What a bulk resync found and did for one instance. */
  public record Resynced(List<String> changes, boolean ready) {}

  /** The kinds a bulk resync reads, cluster-wide, one list each. */
  static final List<Class<? extends HasMetadata>> RESYNCED =
      List.of(
          Namespace.class,
          ResourceQuota.class,
          LimitRange.class,
          NetworkPolicy.class,
          Secret.class,
          ConfigMap.class,
          PersistentVolumeClaim.class,
          Deployment.class,
          Service.class,
          Ingress.class);

  /**
   * Resyncs many instances at once: for each kind, one list of every object the platform manages in
   * the cluster (instead of one read per object and instance), compared in memory with what each
   * instance wants; only what differs is written. Kind by kind, so that one kind's objects are in
   * memory at a time. {@code wanted} is called once per kind and renders the instances again each
   * time (rendering is cheap; holding every instance's objects is not).
   */
  public Map<UUID, Resynced> resync(Supplier<Stream<Wanted>> wanted) {
    Map<UUID, List<String>> changes = new ConcurrentHashMap<>();
    Map<UUID, Boolean> ready = new ConcurrentHashMap<>();
    Set<UUID> failed = ConcurrentHashMap.newKeySet();
    for (Class<? extends HasMetadata> kind : RESYNCED) {
      Map<String, HasMetadata> actual = new HashMap<>();
      Map<String, List<String>> byNamespace = new HashMap<>();
      var listing =
          kind == Namespace.class
              ? client
                  .resources(kind)
                  .withLabel("app.kubernetes.io/managed-by", KubernetesManifests.MANAGED_BY)
                  .list()
              : client
                  .resources(kind)
                  .inAnyNamespace()
                  .withLabel("app.kubernetes.io/managed-by", KubernetesManifests.MANAGED_BY)
                  .list();
      for (HasMetadata o : listing.getItems()) {
        String k = o.getMetadata().getNamespace() + "/" + key(o);
        actual.put(k, o);
        byNamespace.computeIfAbsent(o.getMetadata().getNamespace(), x -> new ArrayList<>()).add(k);
      }
      try (Stream<Wanted> stream = wanted.get()) {
        stream.forEach(
            w -> {
              UUID id = w.spec().id();
              Set<String> wantedKeys = new HashSet<>();
              for (HasMetadata object : w.objects()) {
                if (!kind.isInstance(object)) {
                  continue;
                }
                String k = object.getMetadata().getNamespace() + "/" + key(object);
                wantedKeys.add(k);
                HasMetadata existing = actual.get(k);
                String change;
                try {
                  change = write(existing, object);
                } catch (KubernetesClientException e) {
                  // One object refused stops neither this instance's other objects nor the run.
                  change = "could not apply " + key(object) + " (" + e.getCode() + ")";
                  failed.add(id);
                }
                if (change != null) {
                  changes.computeIfAbsent(id, x -> new ArrayList<>()).add(change);
                }
                // The server's readiness, not that of a service beside it (MAS, docs/adr/0038).
                if (existing instanceof Deployment d
                    && workload(w.spec()).equals(d.getMetadata().getName())) {
                  ready.put(id, w.spec().suspended() || readyStatus(d));
                }
              }
              if (PRUNED.contains(kind)) {
                String ns = KubernetesManifests.namespace(w.spec());
                for (String k : byNamespace.getOrDefault(ns, List.of())) {
                  if (!wantedKeys.contains(k)) {
                    HasMetadata o = actual.get(k);
                    try {
                      client.resource(o).delete();
                      changes.computeIfAbsent(id, x -> new ArrayList<>()).add("deleted " + key(o));
                    } catch (KubernetesClientException e) {
                      failed.add(id);
                    }
                  }
                }
              }
            });
      }
    }
    Map<UUID, Resynced> result = new HashMap<>();
    Set<UUID> ids = new HashSet<>(ready.keySet());
    ids.addAll(changes.keySet());
    for (UUID id : ids) {
      result.put(
          id,
          new Resynced(
              changes.getOrDefault(id, List.of()),
              ready.getOrDefault(id, false) && !failed.contains(id)));
    }
    return result;
  }

  private static boolean readyStatus(Deployment d) {
    if (d.getStatus() == null) {
      return false;
    }
    Integer ready = d.getStatus().getReadyReplicas();
    Long observed = d.getStatus().getObservedGeneration();
    boolean current =
        observed == null
            || d.getMetadata().getGeneration() == null
            || observed >= d.getMetadata().getGeneration();
    return current && ready != null && ready >= 1;
  }

  @Override
  public boolean ready(InstanceSpec spec, Placement placement) {
    if (spec.suspended()) {
      return false;
    }
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace(KubernetesManifests.namespace(spec))
            .withName(workload(spec))
            .get();
    return d != null && readyStatus(d);
  }

  /**
   * Deletes the instance's namespace (Kubernetes deletes what is in it, volumes included) and
   * answers whether it is gone: a namespace being deleted stays until its finalizers are done, and
   * the instance is not deleted before then.
   */
  @Override
  public Removal delete(InstanceSpec spec) {
    String ns = KubernetesManifests.namespace(spec);
    Namespace namespace = client.namespaces().withName(ns).get();
    if (namespace == null) {
      return new Removal(List.of(), true);
    }
    List<String> removed = new ArrayList<>();
    if (namespace.getMetadata().getDeletionTimestamp() == null) {
      client.namespaces().withName(ns).delete();
      removed.add("deleted Namespace/" + ns);
    }
    boolean gone = client.namespaces().withName(ns).get() == null;
    return new Removal(removed, gone);
  }

  /** Reads the object, writes it if it differs or is missing, and notes what it did. */
  private void readCompareWrite(HasMetadata desired, List<String> changes) {
    String change = write(client.resource(desired).get(), desired);
    if (change != null) {
      changes.add(change);
    }
  }

  /**
   * Applies the object if it is missing or a field the platform sets differs, or leaves it; answers
   * what it did, or null.
   */
  private String write(HasMetadata existing, HasMetadata desired) {
    if (existing == null) {
      apply(desired);
      return "created " + key(desired);
    }
    if (!ManifestDiff.upToDate(existing, desired)) {
      apply(desired);
      return "updated " + key(desired);
    }
    return null;
  }

  /**
   * Server-side apply as the platform's one field manager: the fields it sets are its own, taken
   * back from whoever changed them (drift); fields other controllers own (a volume's binding, a
   * Service's cluster IP, defaults) are kept, and the object is never replaced. A conflict or a
   * busy API server is tried again a few times, for this object only. See docs/adr/0024.
   */
  HasMetadata apply(HasMetadata desired) {
    desired.getMetadata().setResourceVersion(null);
    desired.getMetadata().setManagedFields(null);
    KubernetesClientException last = null;
    for (int attempt = 0; attempt < 4; attempt++) {
      try {
        return client
            .resource(desired)
            .fieldManager(FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        if (!retryable(e.getCode())) {
          throw e;
        }
        last = e;
        sleep(100L << attempt);
      }
    }
    throw last;
  }

  /** Answers worth trying again: a conflict, too many requests, the server busy or restarting. */
  static boolean retryable(int code) {
    return code == 409 || code == 429 || code == 500 || code == 503 || code == 504;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The instance's objects of one kind in its namespace. */
  private List<? extends HasMetadata> owned(InstanceSpec spec, Class<? extends HasMetadata> kind) {
    return client
        .resources(kind)
        .inNamespace(KubernetesManifests.namespace(spec))
        .withLabel(KubernetesManifests.INSTANCE_LABEL, spec.id().toString())
        .list()
        .getItems();
  }

  static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }

  private static String encode(String v) {
    return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String v) {
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
  }
}
