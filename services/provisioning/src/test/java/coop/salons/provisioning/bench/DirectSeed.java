package coop.salons.provisioning.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts objects straight into the Kubernetes stand-in's store, for the benchmark only: creating them
 * through its API costs a scan of everything it stores per request, so seeding 10,000 instances
 * (about 160,000 objects) that way would take hours. The objects are what a creation through the
 * API would have stored (metadata as the server sets it, Deployments reported ready); the resync
 * measured then reads them through the API like any other.
 */
final class DirectSeed {

  private final Map<AttributeSet, String> store;
  private final CrudDispatcher dispatcher;
  private final AtomicLong version = new AtomicLong(1_000_000);
  private final AtomicLong bytes;

  private static Object field(Class<?> type, String name, Object of)
      throws ReflectiveOperationException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(of);
  }

  DirectSeed(KubernetesMockServer server) throws ReflectiveOperationException {
    Object d = field(KubernetesMockServer.class, "dispatcher", server);
    if (!(d instanceof CrudDispatcher)) {
      // CRUD mode wraps its store in a dispatcher that also serves expectations.
      d = field(d.getClass(), "kubernetesCrudDispatcher", d);
    }
    dispatcher = (CrudDispatcher) d;
    store = dispatcher.getMap();
    bytes = new AtomicLong();
  }

  void put(List<HasMetadata> objects) {
    String now = Instant.now().toString();
    for (HasMetadata o : objects) {
      o.getMetadata().setUid(UUID.randomUUID().toString());
      o.getMetadata().setResourceVersion(Long.toString(version.incrementAndGet()));
      o.getMetadata().setCreationTimestamp(now);
      o.getMetadata().setGeneration(1L);
      if (o instanceof Deployment d) {
        d.setStatus(
            new DeploymentStatusBuilder()
                .withReplicas(1)
                .withReadyReplicas(1)
                .withAvailableReplicas(1)
                .withObservedGeneration(1L)
                .build());
      }
      String json = Serialization.asJson(o);
      bytes.addAndGet(json.length());
      AttributeSet key = dispatcher.getAttributeExtractor().fromResource(json);
      synchronized (store) {
        store.put(key, json);
      }
    }
  }

  int size() {
    return store.size();
  }

  /** The JSON the seeded objects take in the stand-in's store, in MB (one byte a character). */
  long megabytes() {
    return bytes.get() / (1024 * 1024);
  }
}
