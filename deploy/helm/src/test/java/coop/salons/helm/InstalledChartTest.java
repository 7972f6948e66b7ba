package coop.salons.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import coop.salons.local.ControlPlane;
import coop.salons.testing.TestServers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart installed for real, on the build's Kubernetes control plane (a real kube-apiserver with
 * RBAC and admission, the controller-manager and scheduler, KWOK's simulated node: see {@code
 * coop.salons.local.ControlPlane}): admitted whole, every workload of the platform ready, upgraded
 * to changed values, uninstalled; and the provisioning service's account held by the chart's RBAC
 * and admission policy to the platform's own namespaces. No container runs: the images are not
 * pulled, the pods are marked ready by KWOK.
 */
class InstalledChartTest {

  private static final Path CHART = Path.of("salons");
  private static final String FIELD_MANAGER = "salons-provisioning";

  private static TestServers.Kubernetes cluster;
  private static KubernetesClient admin;

  @BeforeAll
  static void connect() {
    cluster = TestServers.get().kubernetes();
    admin = client(cluster.token());
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  private static KubernetesClient client(String token) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl(cluster.url())
                .withCaCertFile(cluster.caCert().toString())
                .withOauthToken(token)
                .build())
        .build();
  }

  private static Release install(String release, String namespace) {
    return install(release, namespace, t -> t);
  }

  private static Release install(
      String release,
      String namespace,
      java.util.function.UnaryOperator<com.marcnuri.helm.InstallCommand> values) {
    return values
        .apply(new Helm(CHART).install())
        .withName(release)
        .withNamespace(namespace)
        .createNamespace()
        .withKubeConfig(cluster.kubeconfig())
        .set("publicUrl", "https://salons.example.org")
        .set("keycloak.bundled.host", "login.salons.example.org")
        .waitReady()
        .withTimeout(300)
        .call();
  }

  private static void uninstall(String release, String namespace) {
    Helm.uninstall(release).withNamespace(namespace).withKubeConfig(cluster.kubeconfig()).call();
  }

  @Test
  void installedEveryWorkloadReadyThenUpgradedThenUninstalled() throws Exception {
    String release = "salons";
    String namespace = "platform-" + UUID.randomUUID().toString().substring(0, 8);
    Release installed = install(release, namespace);
    assertEquals("deployed", installed.getStatus());

    // Every workload of the platform admitted, scheduled and ready on the node.
    List<Deployment> deployments =
        admin.apps().deployments().inNamespace(namespace).list().getItems();
    assertTrue(deployments.size() >= 4, "the services' Deployments: " + deployments.size());
    for (Deployment d : deployments) {
      assertEquals(
          d.getSpec().getReplicas(),
          d.getStatus().getReadyReplicas(),
          "ready: " + d.getMetadata().getName());
    }
    admin
        .apps()
        .statefulSets()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(
            s ->
                assertEquals(
                    s.getSpec().getReplicas(),
                    s.getStatus().getReadyReplicas(),
                    "ready: " + s.getMetadata().getName()));
    String costsBefore = costs(namespace);
    Map<String, String> passwords = secrets(release, namespace);
    Map<String, Long> generations = generations(namespace);

    // A release of the same name in another namespace: nothing cluster-wide is shared.
    String other = "platform-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals("deployed", install(release, other).getStatus());
    assertNotEquals(passwords, secrets(release, other), "each release has passwords of its own");

    // An upgrade with changed values is applied.
    Path values = Files.createTempFile("salons-values", ".yaml");
    Files.writeString(values, "costs:\n  fixedCosts:\n    offsite-backups: \"123.45\"\n");
    Release upgraded =
        new Helm(CHART)
            .upgrade()
            .withName(release)
            .withNamespace(namespace)
            .withKubeConfig(cluster.kubeconfig())
            .set("publicUrl", "https://salons.example.org")
            .set("keycloak.bundled.host", "login.salons.example.org")
            .withValuesFile(values)
            .waitReady()
            .withTimeout(300)
            .call();
    assertEquals("2", upgraded.getRevision());
    assertNotEquals(costsBefore, costs(namespace), "the billing cost model follows the values");
    assertTrue(costs(namespace).contains("123.45"), costs(namespace));
    // Billing reads the cost model at start: its pods roll, and only its.
    Map<String, Long> after = generations(namespace);
    for (Map.Entry<String, Long> d : generations.entrySet()) {
      if (d.getKey().endsWith("-billing")) {
        assertTrue(after.get(d.getKey()) > d.getValue(), "billing rolls with its cost model");
      } else {
        assertEquals(d.getValue(), after.get(d.getKey()), d.getKey() + " is left as it was");
      }
    }
    assertEquals(passwords, secrets(release, namespace), "an upgrade keeps every password");
    uninstall(release, other);
    admin.namespaces().withName(other).delete();

    // Uninstalled: nothing of the release is left, but the generated secrets (kept on purpose,
    // see the operator guide) and what Kubernetes deletes on its own after (pods).
    uninstall(release, namespace);
    String selector = "app.kubernetes.io/instance=" + release;
    assertTrue(
        admin
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withLabelSelector(selector)
            .list()
            .getItems()
            .isEmpty());
    assertTrue(
        admin
            .apps()
            .statefulSets()
            .inNamespace(namespace)
            .withLabelSelector(selector)
            .list()
            .getItems()
            .isEmpty());
    assertTrue(
        admin
            .services()
            .inNamespace(namespace)
            .withLabelSelector(selector)
            .list()
            .getItems()
            .isEmpty());
    assertTrue(
        admin
            .configMaps()
            .inNamespace(namespace)
            .withLabelSelector(selector)
            .list()
            .getItems()
            .isEmpty());
    String clusterName = namespace + "-" + release + "-provisioning";
    assertNull(admin.rbac().clusterRoles().withName(clusterName).get());
    assertNull(admin.rbac().clusterRoleBindings().withName(clusterName).get());
    List<String> left =
        admin
            .secrets()
            .inNamespace(namespace)
            .withLabelSelector(selector)
            .list()
            .getItems()
            .stream()
            .map(s -> s.getMetadata().getName())
            .toList();
    assertEquals(List.of(release + "-secrets"), left, "only the kept secrets");

    // Installed again: the kept secrets are adopted with every password, so the databases that
    // outlived the release still let the services in.
    assertEquals("deployed", install(release, namespace).getStatus());
    assertEquals(passwords, secrets(release, namespace), "a reinstall keeps every password");
    uninstall(release, namespace);
    admin.namespaces().withName(namespace).delete();
  }

  /** The generated secrets of a release, as stored. */
  private static Map<String, String> secrets(String release, String namespace) {
    return admin.secrets().inNamespace(namespace).withName(release + "-secrets").get().getData();
  }

  /** Each Deployment's generation: it grows when its pod template changes. */
  private static Map<String, Long> generations(String namespace) {
    Map<String, Long> g = new java.util.TreeMap<>();
    admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(d -> g.put(d.getMetadata().getName(), d.getMetadata().getGeneration()));
    return g;
  }

  /**
   * Alerts asked for where the Prometheus Operator is absent: the install succeeds without them.
   * Once its PrometheusRule kind exists, the same values install the rule, with its alerts.
   */
  @Test
  void alertsAreInstalledOnlyWhereThePrometheusOperatorIs() throws Exception {
    String release = "alerts";
    String without = "platform-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        "deployed",
        install(release, without, t -> t.set("monitoring.prometheusRule.enabled", "true"))
            .getStatus());
    uninstall(release, without);
    admin.namespaces().withName(without).delete();

    String with = "platform-" + UUID.randomUUID().toString().substring(0, 8);
    try (CustomKind crd = CustomKind.prometheusRule()) {
      install(
          release,
          with,
          t ->
              t.set("monitoring.prometheusRule.enabled", "true")
                  .set("monitoring.prometheusRule.labels.release", "prometheus")
                  .set("monitoring.prometheusRule.backlog", "20"));
      var rules =
          admin
              .genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
              .inNamespace(with)
              .list()
              .getItems();
      assertEquals(1, rules.size());
      var rule = rules.get(0);
      assertEquals("prometheus", rule.getMetadata().getLabels().get("release"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> groups =
          (List<Map<String, Object>>)
              ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> alerts = (List<Map<String, Object>>) groups.get(0).get("rules");
      Map<String, String> byName = new java.util.HashMap<>();
      alerts.forEach(a -> byName.put((String) a.get("alert"), String.valueOf(a.get("expr"))));
      assertEquals(
          java.util.Set.of("SalonsInstanceFailed", "SalonsStepsFailing", "SalonsSupervisorBacklog"),
          byName.keySet());
      assertEquals("max(salons_supervisor_backlog) > 20", byName.get("SalonsSupervisorBacklog"));
      assertTrue(byName.get("SalonsInstanceFailed").contains("salons_instances{state=\"failed\"}"));
      uninstall(release, with);
    }
    admin.namespaces().withName(with).delete();
  }

  /** The billing cost model the chart renders (its ConfigMap's data, as text). */
  private static String costs(String namespace) {
    return admin.configMaps().inNamespace(namespace).list().getItems().stream()
        .filter(c -> c.getMetadata().getName().contains("cost"))
        .map(c -> String.valueOf(c.getData()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cost model ConfigMap"));
  }

  /**
   * With a token of the chart's provisioning service account (from the TokenRequest API, as its pod
   * would have): everything provisioning renders for a Matrix instance (the golden file of its
   * objects) is admitted in a namespace of the platform's; anything outside those namespaces is
   * refused, by RBAC (kinds it has no right to) or by the chart's admission policy (kinds it may
   * write, elsewhere).
   */
  /** KWOK's node runs what is exec'd in this pod on this machine, in a scratch folder. */
  private static void execHere(String namespace, String pod) throws Exception {
    Path dir = Files.createTempDirectory("salons-exec-");
    admin
        .genericKubernetesResources("kwok.x-k8s.io/v1alpha1", "Exec")
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("kwok.x-k8s.io/v1alpha1")
                .withKind("Exec")
                .withNewMetadata()
                .withName(pod)
                .withNamespace(namespace)
                .endMetadata()
                .addToAdditionalProperties(
                    "spec",
                    Map.of("execs", List.of(Map.of("local", Map.of("workDir", dir.toString())))))
                .build())
        .create();
    Thread.sleep(1000); // KWOK sees it through a watch
  }

  /** The exit code of {@code true} run in the pod's container by this client. */
  private static int exitOf(KubernetesClient client, String namespace, String pod)
      throws Exception {
    try (var watch =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .writingOutput(java.io.OutputStream.nullOutputStream())
            .exec("true")) {
      return watch.exitCode().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theProvisioningAccountWritesOnlyInThePlatformsNamespaces() throws Exception {
    String release = "rbac";
    String namespace = "platform-" + UUID.randomUUID().toString().substring(0, 8);
    install(release, namespace);
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(release + "-provisioning")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    String instance = UUID.randomUUID().toString();
    String yaml =
        Files.readString(
                Path.of(
                    "../../services/provisioning/src/test/resources/golden/kubernetes-matrix.yaml"))
            .replace("6f1c2b8e-4d0a-4c3e-9a57-0b8e2f4d1c9a", instance)
            // The golden file's storage class is the test cluster's default here.
            .replace("storageClassName: fast", "storageClassName: " + ControlPlane.STORAGE_CLASS);
    try (KubernetesClient provisioning = client(token)) {
      List<HasMetadata> objects =
          provisioning
              .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
              .items();
      assertTrue(objects.size() >= 14, "the rendered objects: " + objects.size());
      for (HasMetadata o : objects) {
        provisioning.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      }
      String ns = "salons-" + instance;
      admin
          .apps()
          .deployments()
          .inNamespace(ns)
          .withName("synapse")
          .waitUntilCondition(
              d ->
                  d != null
                      && d.getStatus() != null
                      && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
              60,
              TimeUnit.SECONDS);

      // The backup pod (docs/adr/0037) beside the running server: admitted (Pod Security
      // "restricted", the namespace's quota with room for it), and the account may run its tools
      // in it. KWOK runs what is exec'd here on this machine (an Exec object says where).
      String pods =
          Files.readString(
                  Path.of(
                      "../../services/provisioning/src/test/resources/golden/"
                          + "kubernetes-backup-pods.yaml"))
              .replace("6f1c2b8e-4d0a-4c3e-9a57-0b8e2f4d1c9a", instance);
      HasMetadata backupPod =
          provisioning
              .load(new ByteArrayInputStream(pods.getBytes(StandardCharsets.UTF_8)))
              .items()
              .get(0);
      provisioning.resource(backupPod).create();
      provisioning
          .pods()
          .inNamespace(ns)
          .withName("backup")
          .waitUntilCondition(
              p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
              60,
              TimeUnit.SECONDS);
      execHere(ns, "backup");
      assertEquals(0, exitOf(provisioning, ns, "backup"), "its tools run in the backup pod");
      // A pod of someone else's: the account may not run anything in it.
      admin
          .resource(
              new io.fabric8.kubernetes.api.model.PodBuilder()
                  .withNewMetadata()
                  .withName("theirs")
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("app")
                  .withImage("registry.example.org/app:1")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
      admin
          .pods()
          .inNamespace(namespace)
          .withName("theirs")
          .waitUntilCondition(
              p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
              60,
              TimeUnit.SECONDS);
      execHere(namespace, "theirs");
      assertEquals(0, exitOf(admin, namespace, "theirs"), "the cluster's administrator may");
      Exception theirs =
          assertThrows(Exception.class, () -> exitOf(provisioning, namespace, "theirs"));
      StringBuilder why = new StringBuilder();
      for (Throwable t = theirs; t != null; t = t.getCause()) {
        why.append(t.getMessage()).append(" / ");
      }
      assertTrue(why.toString().contains("403"), why.toString());
      // RBAC would let it (its role is cluster-wide): the refusal is the admission policy's.
      assertTrue(
          provisioning
              .authorization()
              .v1()
              .selfSubjectAccessReview()
              .create(
                  new io.fabric8.kubernetes.api.model.authorization.v1
                          .SelfSubjectAccessReviewBuilder()
                      .withNewSpec()
                      .withNewResourceAttributes()
                      .withNamespace(namespace)
                      .withVerb("create")
                      .withResource("pods")
                      .withSubresource("exec")
                      .endResourceAttributes()
                      .endSpec()
                      .build())
              .getStatus()
              .getAllowed());

      // Kinds it may write, outside the platform's namespaces: refused by the admission policy.
      ConfigMap elsewhere =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("planted")
              .withNamespace("kube-system")
              .endMetadata()
              .withData(Map.of("k", "v"))
              .build();
      KubernetesClientException refused =
          assertThrows(
              KubernetesClientException.class, () -> provisioning.resource(elsewhere).create());
      assertEquals(403, refused.getCode(), refused.getMessage());
      assertTrue(refused.getMessage().contains("platform's own namespaces"), refused.getMessage());
      KubernetesClientException notOurs =
          assertThrows(
              KubernetesClientException.class,
              () ->
                  provisioning
                      .resource(
                          new NamespaceBuilder()
                              .withNewMetadata()
                              .withName("not-a-chat-" + instance.substring(0, 8))
                              .endMetadata()
                              .build())
                      .create());
      assertEquals(403, notOurs.getCode(), notOurs.getMessage());
      KubernetesClientException theChartsOwn =
          assertThrows(
              KubernetesClientException.class,
              () ->
                  provisioning
                      .secrets()
                      .inNamespace(namespace)
                      .withName(release + "-secrets")
                      .edit(s -> s));
      assertEquals(403, theChartsOwn.getCode(), theChartsOwn.getMessage());

      // Kinds it has no right to at all: refused by RBAC.
      KubernetesClientException noRight =
          assertThrows(
              KubernetesClientException.class, () -> provisioning.rbac().clusterRoles().list());
      assertEquals(403, noRight.getCode());
      KubernetesClientException noPodsElsewhere =
          assertThrows(
              KubernetesClientException.class,
              () ->
                  provisioning
                      .resource(
                          new io.fabric8.kubernetes.api.model.PodBuilder(
                                  (io.fabric8.kubernetes.api.model.Pod) backupPod)
                              .editMetadata()
                              .withNamespace("kube-system")
                              .endMetadata()
                              .build())
                      .create());
      assertEquals(403, noPodsElsewhere.getCode(), noPodsElsewhere.getMessage());

      // And it deletes what it made.
      provisioning.namespaces().withName(ns).delete();
    } finally {
      uninstall(release, namespace);
      admin.namespaces().withName(namespace).delete();
    }
  }
}
