package coop.salons.provisioning;

import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the test control plane's node does when the platform runs a command in an instance's backup
 * pod (docs/adr/0037). KWOK runs no container: told by an {@code Exec} object (kind {@code
 * kwok.x-k8s.io/v1alpha1}), it runs the command on this machine, the API server streaming its input
 * and output exactly as a kubelet's. The pod's working folder, its volume, is {@code volume} here;
 * its environment is the one the pod's spec gives (the tenants' server, the instance's role and
 * database, the password read from the instance's Secret as the pod's {@code secretKeyRef} reads
 * it), with PostgreSQL's client tools on the path as in the pod's image.
 */
public final class BackupNode {

  private BackupNode() {}

  /**
   * Declares the instance's backup pod's commands to run in {@code volume}; {@code changed}
   * replaces some of the pod's environment (a database that cannot be reached, say).
   */
  public static void serve(
      KubernetesClient kube,
      InstanceSpec spec,
      Path volume,
      Path pgBin,
      String dbHost,
      int dbPort,
      Map<String, String> changed) {
    String ns = KubernetesManifests.namespace(spec);
    String secret = spec.flavour() == Flavour.MATRIX ? "synapse-secrets" : "mattermost-secrets";
    String fromSecret =
        new String(
            Base64.getDecoder()
                .decode(
                    kube.secrets()
                        .inNamespace(ns)
                        .withName(secret)
                        .get()
                        .getData()
                        .get("salons." + InstanceSecrets.DB_PASSWORD)),
            StandardCharsets.UTF_8);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", pgBin + ":" + System.getenv("PATH"));
    env.put("PGHOST", dbHost);
    env.put("PGPORT", String.valueOf(dbPort));
    env.put("PGUSER", spec.database().user());
    env.put("PGDATABASE", spec.database().name());
    env.put("PGPASSWORD", fromSecret);
    env.put("HOME", volume.resolveSibling(volume.getFileName() + "-tmp").toString());
    volume.resolveSibling(volume.getFileName() + "-tmp").toFile().mkdirs();
    env.putAll(changed);
    List<Map<String, String>> envs = new ArrayList<>();
    env.forEach((k, v) -> envs.add(Map.of("name", k, "value", v)));
    GenericKubernetesResource exec =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("kwok.x-k8s.io/v1alpha1")
            .withKind("Exec")
            .withNewMetadata()
            .withName(KubernetesManifests.BACKUP_POD)
            .withNamespace(ns)
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of(
                    "execs",
                    List.of(Map.of("local", Map.of("workDir", volume.toString(), "envs", envs)))))
            .build();
    kube.genericKubernetesResources("kwok.x-k8s.io/v1alpha1", "Exec")
        .inNamespace(ns)
        .resource(exec)
        .createOr(r -> r.update());
    // KWOK reads Exec objects through a watch: give it a moment to see this one.
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
