package coop.salons.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.testing.TestServers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operator-guide.md, "Day one, step by step", followed as an operator would: every {@code sh}
 * block between its markers run in order by bash, with the real kubectl and Helm built beside the
 * control plane, against the build's Kubernetes API server, from the repository's root. What the
 * guide asks the operator to have (an ingress class, cert-manager's issuer) is stood in for by the
 * objects those projects make; nothing else is prepared.
 */
class OperatorGuideIT {

  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)\\n```", Pattern.DOTALL);

  @Test
  void theGuidesDayOneRunsAsWritten() throws Exception {
    String guide = Files.readString(ROOT.resolve("docs/operator-guide.md"));
    int start = guide.indexOf("<!-- day-one -->");
    int end = guide.indexOf("<!-- /day-one -->");
    assertTrue(start > 0 && end > start, "the guide marks its day-one steps");
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(guide.substring(start, end));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertTrue(blocks.size() >= 6, "steps: " + blocks.size());

    TestServers.Kubernetes cluster = TestServers.get().kubernetes();
    Path bin = Path.of(run(List.of(ROOT.resolve("libs/control-plane/build").toString()), Map.of()));
    Map<String, String> env =
        Map.of(
            "KUBECONFIG", cluster.kubeconfig().toString(),
            "PATH", bin + ":" + System.getenv("PATH"),
            "HELM_CACHE_HOME", ROOT.resolve("target/helm/cache").toString(),
            "HELM_CONFIG_HOME", ROOT.resolve("target/helm/config").toString(),
            "HELM_DATA_HOME", ROOT.resolve("target/helm/data").toString());

    try (KubernetesClient admin =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl(cluster.url())
                        .withCaCertFile(cluster.caCert().toString())
                        .withOauthToken(cluster.token())
                        .build())
                .build();
        CustomKind issuers = CustomKind.clusterIssuer()) {
      removeNamespace(admin, "salons");
      // What an ingress controller and cert-manager would have made.
      admin
          .network()
          .v1()
          .ingressClasses()
          .resource(
              new IngressClassBuilder()
                  .withNewMetadata()
                  .withName("nginx")
                  .endMetadata()
                  .withNewSpec()
                  .withController("k8s.io/ingress-nginx")
                  .endSpec()
                  .build())
          .serverSideApply();
      admin
          .genericKubernetesResources("cert-manager.io/v1", "ClusterIssuer")
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("cert-manager.io/v1")
                  .withKind("ClusterIssuer")
                  .withNewMetadata()
                  .withName("letsencrypt")
                  .endMetadata()
                  .addToAdditionalProperties("spec", Map.of("selfSigned", Map.of()))
                  .build())
          .serverSideApply();

      for (String block : blocks) {
        run(List.of("bash", "-euo", "pipefail", "-c", block), env);
      }
      // Where the guide says what stays: the Secret with every password, nothing else running.
      assertNotNull(admin.secrets().inNamespace("salons").withName("salons-secrets").get());
      assertTrue(admin.apps().deployments().inNamespace("salons").list().getItems().isEmpty());
      removeNamespace(admin, "salons");
    }
  }

  /** Runs one step; its output is kept to itself unless it fails (a step may read a secret). */
  private static String run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    pb.environment().putAll(env);
    Path err = Files.createTempFile("guide-step", ".err");
    Process p = pb.redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "a step still runs after 15 minutes");
    String errors = Files.readString(err);
    Files.delete(err);
    assertEquals(
        0, p.exitValue(), "the guide's step failed:\n" + String.join(" ", command) + "\n" + errors);
    return out.trim();
  }

  private static void removeNamespace(KubernetesClient admin, String name) {
    if (admin.namespaces().withName(name).get() != null) {
      admin.namespaces().withName(name).delete();
      admin.namespaces().withName(name).waitUntilCondition(n -> n == null, 3, TimeUnit.MINUTES);
    }
  }
}
