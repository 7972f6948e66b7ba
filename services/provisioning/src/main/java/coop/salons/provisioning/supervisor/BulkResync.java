package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceStep;
import coop.salons.provisioning.model.DesiredState;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import coop.salons.provisioning.runtime.KubernetesRuntime;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The periodic drift check of every settled instance on Kubernetes, in bulk: one list per kind for
 * the whole cluster instead of a dozen reads per instance (see {@link KubernetesRuntime#resync}).
 * Instances a replica is working on are left to it; an instance without its Secret, or whose server
 * is not ready, is handed to the per-instance supervisor.
 */
@ApplicationScoped
public class BulkResync {

  @Inject Reconciler reconciler;
  @Inject KubernetesRuntime kubernetes;
  @Inject coop.salons.provisioning.ProvisioningConfig config;

  /** What one run did. */
  public record Summary(int instances, int corrected, int handedOver) {}

  public Summary run() {
    List<UUID> handOver = new ArrayList<>();
    List<InstanceSpec> specs =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  List<InstanceSpec> found = new ArrayList<>();
                  for (Instance i :
                      Instance.<Instance>list(
                          "state in ('ready', 'suspended', 'deletion-requested')"
                              + " and leaseOwner is null and generation = observedGeneration")) {
                    try {
                      found.add(reconciler.spec(i));
                    } catch (RuntimeException e) {
                      // Its spec cannot be made (a plan gone from the settings): the supervisor's
                      // pass records why on the instance; the others are resynced.
                      Log.warnf("Resync: instance %s handed over: %s", i.id, e.getMessage());
                      handOver.add(i.id);
                    }
                  }
                  return found;
                });
    Map<String, Map<String, String>> secrets = kubernetes.allSecrets();
    List<InstanceSpec> complete = new ArrayList<>();
    for (InstanceSpec spec : specs) {
      Map<String, String> s = secrets.get(KubernetesManifests.namespace(spec));
      if (s == null || !s.containsKey(InstanceSecrets.DB_PASSWORD)) {
        handOver.add(spec.id());
      } else {
        complete.add(spec);
      }
    }
    var cluster = config.cluster();
    Map<UUID, KubernetesRuntime.Resynced> results =
        kubernetes.resync(
            () ->
                complete.parallelStream()
                    .map(
                        spec ->
                            new KubernetesRuntime.Wanted(
                                spec,
                                DesiredState.of(
                                        spec,
                                        KubernetesManifests.placement(spec),
                                        secrets.get(KubernetesManifests.namespace(spec)),
                                        cluster)
                                    .objects())));
    OffsetDateTime now = OffsetDateTime.now();
    int corrected = 0;
    List<InstanceStep> steps = new ArrayList<>();
    for (InstanceSpec spec : complete) {
      KubernetesRuntime.Resynced r = results.get(spec.id());
      if (r == null) {
        handOver.add(spec.id());
        continue;
      }
      if (!r.changes().isEmpty()) {
        corrected++;
        InstanceStep step = new InstanceStep();
        step.instanceId = spec.id();
        step.generation = spec.generation();
        step.name = "resync";
        step.outcome = "done";
        String detail = String.join(", ", r.changes());
        step.detail = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
        step.startedAt = now;
        step.finishedAt = OffsetDateTime.now();
        steps.add(step);
      }
      if (!r.ready()) {
        handOver.add(spec.id());
      }
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              InstanceStep.persist(steps);
              if (!handOver.isEmpty()) {
                Instance.update(
                    "nextAttemptAt = ?1 where id in ?2", OffsetDateTime.now(), handOver);
              }
            });
    Log.infof(
        "Resync: %d instances, %d corrected, %d handed to the supervisor",
        specs.size(), corrected, handOver.size());
    return new Summary(specs.size(), corrected, handOver.size());
  }
}
