package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** What the benchmark needs to seed instances as provisioning would have left them. */
@ApplicationScoped
public class BenchAccess {

  @Inject Reconciler reconciler;
  @Inject KubernetesClient kube;

  public UUID seedReady(String org, String slug) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              OffsetDateTime now = OffsetDateTime.now();
              Instance i = new Instance();
              i.id = UUID.randomUUID();
              i.organizationSlug = org;
              i.slug = slug;
              i.displayName = slug;
              i.flavour = "matrix";
              i.plan = "bench";
              i.chatVersion = "1.163.2";
              i.federation = "open";
              i.loginMode = "openid";
              i.desired = "running";
              i.state = "ready";
              i.generation = 1;
              i.observedGeneration = 1;
              i.nextAttemptAt = now.plusDays(1);
              i.lastTransitionAt = now;
              i.createdAt = now;
              i.updatedAt = now;
              i.persist();
              return i.id;
            });
  }

  public InstanceSpec spec(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> reconciler.spec(Instance.findById(id)));
  }

  /**
   * Waits until the cluster reports every platform Deployment ready (or {@code patience} ran out);
   * answers how many are not.
   */
  public int awaitAllReady(java.time.Duration patience) throws InterruptedException {
    long giveUp = System.nanoTime() + patience.toNanos();
    while (true) {
      int notReady = 0;
      for (Deployment d :
          kube.apps()
              .deployments()
              .inAnyNamespace()
              .withLabel("app.kubernetes.io/managed-by", KubernetesManifests.MANAGED_BY)
              .list()
              .getItems()) {
        Integer ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (wanted > 0 && (ready == null || ready < wanted)) {
          notReady++;
        }
      }
      if (notReady == 0 || System.nanoTime() > giveUp) {
        return notReady;
      }
      Thread.sleep(1000);
    }
  }
}
