package coop.salons.provisioning.runtime;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.model.Rendered;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  KubernetesManifests.Cluster cluster() {
    ProvisioningConfig.Kubernetes k = config.kubernetes();
    return new KubernetesManifests.Cluster(
        k.ingressClass(),
        k.clusterIssuer(),
        k.ingressNamespace(),
        k.databaseCidr(),
        k.storageClass());
  }

  @Override
  public Placement placement(InstanceSpec spec, Integer localPort) {
    return KubernetesManifests.placement(spec);
  }

  static String workload(InstanceSpec spec) {
    return spec.flavour() == Flavour.MATRIX ? "synapse" : "mattermost";
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
    Map<String, String> values = new LinkedHashMap<>();
    if (existing != null && existing.getData() != null) {
      existing
          .getData()
          .forEach(
              (k, v) -> {
                if (k.startsWith(SECRET_PREFIX)) {
                  values.put(k.substring(SECRET_PREFIX.length()), decode(v));
                }
              });
    }
    List<String> generated = new ArrayList<>();
    fresh.forEach(
        (k, v) -> {
          if (!values.containsKey(k)) {
            values.put(k, v);
            generated.add(k);
          }
        });
    if (!generated.isEmpty()) {
      keep(spec, existing, values);
    }
    return new Secrets(values, generated);
  }

  @Override
  public void putSecret(InstanceSpec spec, String name, String value) {
    keep(spec, readSecret(spec), Map.of(name, value));
  }

  /** Writes secrets at once (before anything uses them), creating the namespace if needed. */
  private void keep(InstanceSpec spec, Secret existing, Map<String, String> values) {
    String ns = KubernetesManifests.namespace(spec);
    if (client.namespaces().withName(ns).get() == null) {
      client
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(ns)
                  .withLabels(KubernetesManifests.labels(spec))
                  .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                  .endMetadata()
                  .build())
          .create();
    }
    if (existing == null) {
      Map<String, String> data = new LinkedHashMap<>();
      values.forEach((k, v) -> data.put(SECRET_PREFIX + k, encode(v)));
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(workload(spec) + "-secrets")
                  .withNamespace(ns)
                  .withLabels(KubernetesManifests.labels(spec))
                  .endMetadata()
                  .withType("Opaque")
                  .withData(data)
                  .build())
          .create();
    } else {
      Secret updated = new SecretBuilder(existing).build();
      Map<String, String> data =
          new LinkedHashMap<>(updated.getData() == null ? Map.of() : updated.getData());
      values.forEach((k, v) -> data.put(SECRET_PREFIX + k, encode(v)));
      updated.setData(data);
      client.resource(updated).update();
    }
  }

  @Override
  public List<String> apply(
      InstanceSpec spec, Placement placement, Rendered rendered, Secrets secrets) {
    List<HasMetadata> desired =
        KubernetesManifests.render(spec, rendered, cluster(), secrets.values());
    List<String> changes = new ArrayList<>();
    Set<String> wanted = new HashSet<>();
    for (HasMetadata object : desired) {
      wanted.add(key(object));
      HasMetadata existing = client.resource(object).get();
      if (existing == null) {
        client.resource(object).create();
        changes.add("created " + key(object));
      } else if (!ManifestDiff.upToDate(existing, object)) {
        object.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.resource(object).update();
        changes.add("updated " + key(object));
      }
    }
    String ns = KubernetesManifests.namespace(spec);
    for (Class<? extends HasMetadata> kind : PRUNED) {
      for (HasMetadata o :
          client
              .resources(kind)
              .inNamespace(ns)
              .withLabel(KubernetesManifests.INSTANCE_LABEL, spec.id().toString())
              .list()
              .getItems()) {
        if (!wanted.contains(key(o))) {
          client.resource(o).delete();
          changes.add("deleted " + key(o));
        }
      }
    }
    return changes;
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
    if (d == null || d.getStatus() == null) {
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
  public List<String> delete(InstanceSpec spec) {
    String ns = KubernetesManifests.namespace(spec);
    List<String> removed = new ArrayList<>();
    if (client.namespaces().withName(ns).get() == null) {
      return removed;
    }
    // Explicitly, kind by kind: the namespace's own garbage collection would do it on a real
    // cluster, but the objects are gone before the namespace is, and the stand-in has none.
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>(PRUNED);
    kinds.add(PersistentVolumeClaim.class);
    kinds.add(Secret.class);
    for (Class<? extends HasMetadata> kind : kinds) {
      for (HasMetadata o :
          client
              .resources(kind)
              .inNamespace(ns)
              .withLabel(KubernetesManifests.INSTANCE_LABEL, spec.id().toString())
              .list()
              .getItems()) {
        client.resource(o).delete();
        removed.add("deleted " + key(o));
      }
    }
    Namespace namespace = client.namespaces().withName(ns).get();
    if (namespace != null) {
      client.resource(namespace).delete();
      removed.add("deleted Namespace/" + ns);
    }
    return removed;
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
