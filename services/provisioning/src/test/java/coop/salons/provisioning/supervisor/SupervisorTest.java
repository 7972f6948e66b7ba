package coop.salons.provisioning.supervisor;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.KubernetesStandIn;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.usage.BillingSamples.Sample;
import coop.salons.provisioning.usage.UsageReporter;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor on the Kubernetes stand-in (see {@link KubernetesStandIn} for what it cannot
 * check), with the real PostgreSQL for the instances' databases and the real identity service and
 * Keycloak for their OIDC clients.
 */
@QuarkusTest
@TestProfile(KubernetesStandIn.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class SupervisorTest {

  @Inject Supervisor supervisor;
  @Inject KubernetesClient kube;
  @Inject TenantDatabases databases;
  @Inject UsageReporter usage;
  @KubernetesTestServer KubernetesServer server;
  @Inject SupervisorMetrics metrics;

  TestUser owner;
  String org;

  @BeforeEach
  void organisation() {
    owner = Fixture.user("ada");
    org = Fixture.organization(owner);
    // Room for medium instances and a change to large (billing holds each one's CPU and memory).
    Fixture.onPlan(org, owner, "large", 2000);
  }

  @AfterEach
  void noFault() {
    Reconciler.crashAfterStep = null;
  }

  private UUID create(String slug, String flavour) {
    return Fixture.instance(owner, org, slug, flavour, "medium");
  }

  /** Passes of the supervisor until nothing is due (the instance waits for readiness). */
  private void converge() {
    for (int i = 0; i < 10; i++) {
      supervisor.runOnce(supervisor.owner());
      dueNow(); // readiness is polled again at once in the tests
      if (supervisor.claim("peek-" + UUID.randomUUID(), 0).isEmpty() && i > 2) {
        return;
      }
    }
  }

  private void dueNow() {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "nextAttemptAt = ?1 where organizationSlug = ?2 and state <> 'ready'"
                        + " and state <> 'suspended'",
                    OffsetDateTime.now(),
                    org));
  }

  private Instance row(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> Instance.findById(id));
  }

  private static String ns(UUID id) {
    return "salons-" + id;
  }

  /** Every object in the instance's namespace, by kind/name, with its resourceVersion. */
  private Map<String, String> objects(UUID id) {
    Map<String, String> all = new TreeMap<>();
    List<HasMetadata> found = new ArrayList<>();
    found.addAll(kube.configMaps().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.secrets().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.persistentVolumeClaims().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.services().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.apps().deployments().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.network().v1().ingresses().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.network().v1().networkPolicies().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.resourceQuotas().inNamespace(ns(id)).list().getItems());
    found.addAll(kube.limitRanges().inNamespace(ns(id)).list().getItems());
    for (HasMetadata o : found) {
      all.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
    }
    return all;
  }

  private Deployment deployment(UUID id) {
    return kube.apps().deployments().inNamespace(ns(id)).withName("synapse").get();
  }

  /** What the stand-in cannot do: a controller reporting the pod ready. */
  private void reportReady(UUID id) {
    Deployment d = deployment(id);
    d.setStatus(
        new DeploymentStatusBuilder()
            .withReplicas(1)
            .withReadyReplicas(1)
            .withObservedGeneration(d.getMetadata().getGeneration())
            .build());
    kube.resource(d).updateStatus();
  }

  @Test
  void anInstanceGoesFromRequestedToReadyWithEveryObject() throws Exception {
    UUID id = create("chat", "matrix");
    as(owner)
        .baseUri(Fixture.servers().billingUrl())
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .body("find { it.quota == 'instances' }.used", equalTo(1));
    converge();
    Instance i = row(id);
    assertEquals("provisioning", i.state, "waits for the server: " + i.reason);
    assertEquals("waiting for the server to answer", i.reason);
    Map<String, String> objects = objects(id);
    assertEquals(
        Set.of(
            "ConfigMap/synapse-config",
            "Secret/synapse-secrets",
            "PersistentVolumeClaim/synapse-data",
            "Service/synapse",
            "Deployment/synapse",
            "Ingress/synapse",
            "NetworkPolicy/default-deny",
            "NetworkPolicy/allow-ingress-controller",
            "NetworkPolicy/allow-dns",
            "NetworkPolicy/allow-database",
            "NetworkPolicy/allow-https-out",
            "NetworkPolicy/allow-platform-federation",
            "ResourceQuota/plan-medium",
            "LimitRange/defaults"),
        objects.keySet());
    var namespace = kube.namespaces().withName(ns(id)).get();
    assertEquals(
        "restricted",
        namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
    assertEquals(org, namespace.getMetadata().getLabels().get("salons.coop/org"));
    var ingress = kube.network().v1().ingresses().inNamespace(ns(id)).withName("synapse").get();
    assertEquals(
        "chat." + org + ".chat.example.org", ingress.getSpec().getRules().get(0).getHost());
    assertEquals(
        "letsencrypt",
        ingress.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer"));
    var pod = deployment(id).getSpec().getTemplate().getSpec();
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertTrue(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(1, deployment(id).getSpec().getReplicas());
    // The database exists on the real tenants' server; the OIDC client in the real Keycloak.
    assertTrue(databases.exists(InstanceSpec.databaseName(id)));
    assertEquals(1, Fixture.servers().admin().get("/clients?clientId=instance-" + id).size());

    reportReady(id);
    converge();
    i = row(id);
    assertEquals("ready", i.state);
    assertEquals(i.generation, i.observedGeneration);
    assertEquals("https://chat." + org + ".chat.example.org/", i.url);
    List<String> steps =
        as(owner).get(path(org) + "/chat").then().statusCode(200).extract().path("steps.name");
    assertTrue(
        steps.containsAll(List.of("secrets", "database", "oidc-client", "apply", "readiness")),
        steps.toString());
    as(owner)
        .get(path(org) + "/chat")
        .then()
        .body("conditions.find { it.type == 'Ready' }.status", equalTo("True"));
  }

  /**
   * A server that becomes ready makes its instance due at once, through the watch of the platform's
   * Deployments: starting servers are then asked again only every readiness-recheck.
   */
  @Test
  void aServerReportedReadyMakesItsInstanceDueAtOnce() throws Exception {
    supervisor.watchReadiness();
    UUID id = create("watched", "matrix");
    converge();
    assertEquals("provisioning", row(id).state);
    // Waiting for its server, and not to be asked again for an hour.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "nextAttemptAt = ?1 where id = ?2", OffsetDateTime.now().plusHours(1), id));
    reportReady(id);
    long giveUp = System.currentTimeMillis() + 30_000;
    while (row(id).nextAttemptAt.isAfter(OffsetDateTime.now())
        && System.currentTimeMillis() < giveUp) {
      Thread.sleep(100);
    }
    assertFalse(row(id).nextAttemptAt.isAfter(OffsetDateTime.now()), "made due by the watch");
    supervisor.runOnce(supervisor.owner());
    assertEquals("ready", row(id).state);
  }

  @Test
  void applyingTwiceChangesNothing() {
    UUID id = create("chat", "matrix");
    converge();
    reportReady(id);
    converge();
    Map<String, String> before = objects(id);
    supervisor.resyncAll();
    supervisor.runOnce(supervisor.owner());
    assertEquals(before, objects(id), "a resync with nothing to correct writes nothing");
  }

  @Test
  void driftIsCorrected() {
    UUID id = create("chat", "matrix");
    converge();
    reportReady(id);
    converge();
    Deployment d = deployment(id);
    d.getSpec().setReplicas(3);
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/synapse:latest");
    kube.resource(d).update();
    kube.network().v1().networkPolicies().inNamespace(ns(id)).withName("default-deny").delete();
    supervisor.resyncAll();
    supervisor.runOnce(supervisor.owner());
    Deployment fixed = deployment(id);
    assertEquals(1, fixed.getSpec().getReplicas());
    assertEquals(
        "ghcr.io/element-hq/synapse:1.163.2",
        fixed.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertNotNull(
        kube.network().v1().networkPolicies().inNamespace(ns(id)).withName("default-deny").get());
    List<String> details = as(owner).get(path(org) + "/chat").then().extract().path("steps.detail");
    assertTrue(
        details.stream().anyMatch(s -> s != null && s.contains("updated Deployment/synapse")),
        details.toString());
  }

  @Test
  void suspendKeepsTheDataAndResumeBringsItBack() {
    UUID id = create("chat", "matrix");
    converge();
    reportReady(id);
    converge();
    as(owner).post(path(org) + "/chat/suspend").then().statusCode(202);
    converge();
    assertEquals("suspended", row(id).state);
    assertEquals(0, deployment(id).getSpec().getReplicas());
    assertNotNull(kube.persistentVolumeClaims().inNamespace(ns(id)).withName("synapse-data").get());
    assertNotNull(kube.secrets().inNamespace(ns(id)).withName("synapse-secrets").get());
    assertTrue(databases.exists(InstanceSpec.databaseName(id)));

    as(owner).post(path(org) + "/chat/resume").then().statusCode(202);
    converge();
    assertEquals(1, deployment(id).getSpec().getReplicas());
    reportReady(id);
    converge();
    assertEquals("ready", row(id).state);
  }

  @Test
  void usageSamplesFollowTheInstance() {
    UUID id = create("chat", "matrix");
    converge();
    reportReady(id);
    converge();
    List<Sample> running = samplesOf(id);
    assertFalse(running.isEmpty());
    Sample now = running.get(running.size() - 1);
    assertEquals(org, now.organization());
    assertEquals(1000, now.cpuMillicores(), "the medium plan's reservation");
    assertEquals(2048, now.memoryMib());
    // The stand-in cannot tell what a volume holds: its reserved 50 GB count, plus the real
    // database's size on the real PostgreSQL.
    assertTrue(now.storageMib() > 50 * 1024, "storage " + now.storageMib());
    assertEquals(1, now.activeMembers());
    assertEquals(now.hour().toInstant(), Instant.now().truncatedTo(ChronoUnit.HOURS));

    as(owner).post(path(org) + "/chat/suspend").then().statusCode(202);
    converge();
    Sample suspended = samplesOf(id).get(samplesOf(id).size() - 1);
    assertEquals(0, suspended.cpuMillicores(), "a suspended server reserves no processor");
    assertEquals(0, suspended.memoryMib());
    assertTrue(suspended.storageMib() > 50 * 1024, "its data is still held");
  }

  private List<Sample> samplesOf(UUID id) {
    return usage.samples(Instant.now()).stream().filter(s -> s.instanceId().equals(id)).toList();
  }

  /** The requests the stand-in received about the instance's namespace since the last call. */
  private List<String> requests(UUID id) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      String path = r.getPath();
      if (path.contains(ns(id))) {
        seen.add(r.getMethod() + " " + path.replace(ns(id), "NS"));
      }
    }
    return seen;
  }

  @Test
  void theFirstApplyCreatesWithoutReadingAndLaterOnesReadCompareAndPrune() throws Exception {
    UUID id = create("chat", "matrix");
    requests(id); // what came before
    supervisor.runOnce(supervisor.owner());
    List<String> first = requests(id);
    // The 14 objects in the namespace created once each, nothing listed (so nothing pruned), none
    // read but the Secret the pass itself created (and the namespace, outside this count).
    assertEquals(14, first.stream().filter(r -> r.startsWith("POST ")).count(), first.toString());
    assertTrue(first.stream().noneMatch(r -> r.contains("labelSelector")), first.toString());
    assertTrue(first.stream().noneMatch(r -> r.contains("/configmaps/")), first.toString());
    assertEquals(14, objects(id).size());

    // A new generation reads and compares every object, and prunes what is no longer wanted.
    as(owner).body(Map.of("plan", "large")).patch(path(org) + "/chat").then().statusCode(202);
    dueNow();
    supervisor.runOnce(supervisor.owner());
    List<String> next = requests(id);
    assertTrue(
        next.contains("GET /api/v1/namespaces/NS/configmaps/synapse-config"), next.toString());
    assertTrue(next.stream().anyMatch(r -> r.contains("labelSelector")), next.toString());
    assertTrue(
        next.contains("DELETE /api/v1/namespaces/NS/resourcequotas/plan-medium"), next.toString());
  }

  /** One sample of the Prometheus scrape, or 0 when the series is not there yet. */
  private static double metric(String series) {
    String scrape =
        io.restassured.RestAssured.given()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return scrape
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElse(0);
  }

  @Test
  void operatorsSeeTheStatesTheBacklogAndTheStepsInPrometheus() {
    String requested = "salons_instances{state=\"requested\"}";
    String applied = "salons_instance_step_seconds_count{outcome=\"done\",step=\"apply\"}";
    double appliedBefore = metric(applied);
    create("chat", "matrix");
    metrics.refresh();
    double requestedBefore = metric(requested);
    assertTrue(requestedBefore >= 1, "the new instance is counted as requested");
    assertTrue(metric("salons_supervisor_backlog") >= 1, "and as due for the supervisor");
    supervisor.runOnce(supervisor.owner());
    metrics.refresh();
    assertTrue(metric(requested) < requestedBefore, "no longer requested once claimed");
    assertTrue(metric("salons_instances{state=\"provisioning\"}") >= 1);
    assertTrue(metric(applied) > appliedBefore, "its apply step is timed");
  }

  @Test
  void aPlanChangeReplacesTheQuotaAndRemovesTheOldOne() {
    UUID id = create("chat", "matrix");
    converge();
    as(owner).body(Map.of("plan", "large")).patch(path(org) + "/chat").then().statusCode(202);
    converge();
    Set<String> kinds = objects(id).keySet();
    assertTrue(kinds.contains("ResourceQuota/plan-large"), kinds.toString());
    assertFalse(kinds.contains("ResourceQuota/plan-medium"), kinds.toString());
  }

  @Test
  void deletionWaitsForTheGracePeriodThenBacksUpAndRemovesEverything() throws Exception {
    UUID id = create("chat", "matrix");
    converge();
    reportReady(id);
    converge();
    as(owner).delete(path(org) + "/chat").then().statusCode(202);
    converge();
    Instance i = row(id);
    assertEquals("deletion-requested", i.state);
    assertEquals(0, deployment(id).getSpec().getReplicas(), "stopped during the grace period");
    assertTrue(i.deletionDueAt.isAfter(OffsetDateTime.now().plusDays(6)));
    assertTrue(databases.exists(InstanceSpec.databaseName(id)), "nothing deleted before the end");

    // The grace period ends.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "deletionDueAt = ?1, nextAttemptAt = ?1 where id = ?2",
                    OffsetDateTime.now().minusSeconds(1),
                    id));
    supervisor.runOnce(supervisor.owner());
    i = row(id);
    assertEquals("deleted", i.state, String.valueOf(i.reason));
    assertTrue(objects(id).isEmpty(), objects(id).toString());
    assertNull(kube.namespaces().withName(ns(id)).get());
    assertFalse(databases.exists(InstanceSpec.databaseName(id)));
    List<Map<String, Object>> steps =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    coop
                        .salons
                        .provisioning
                        .instance
                        .InstanceStep
                        .<coop.salons.provisioning.instance.InstanceStep>list(
                            "instanceId = ?1 and name = 'final-backup'", id)
                        .stream()
                        .map(s -> Map.<String, Object>of("detail", s.detail))
                        .toList());
    Path backup = Path.of((String) steps.get(0).get("detail"));
    assertTrue(Files.size(backup) > 0, "the final backup was written: " + backup);
    as(owner).get(path(org) + "/chat").then().statusCode(404);
    // The slot it held in the organisation's plan is free again, in the real billing service.
    as(owner)
        .baseUri(Fixture.servers().billingUrl())
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .statusCode(200)
        .body("find { it.quota == 'instances' }.used", equalTo(0));
  }

  @Test
  void aSupervisorKilledBetweenAnyTwoStepsConvergesWithoutDuplicates() throws Exception {
    for (String step : List.of("secrets", "database", "oidc-client", "apply")) {
      String slug = "c" + step.replace("-", "");
      String o = Fixture.organization(owner);
      String id =
          as(owner)
              .body(Map.of("slug", slug, "flavour", "matrix"))
              .post(path(o))
              .then()
              .statusCode(202)
              .extract()
              .path("id");
      UUID uuid = UUID.fromString(id);
      // Only this instance is due: what other tests left waiting must not fill the claim's batch.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  Instance.update(
                      "nextAttemptAt = ?1 where id <> ?2 and leaseOwner is null",
                      OffsetDateTime.now().plusDays(1),
                      uuid));
      Reconciler.crashAfterStep = step;
      String dead = "replica-that-dies-" + step;
      try {
        supervisor.runOnce(dead);
      } catch (RuntimeException ignored) {
        // the crash surfaces from the worker as an error in the log
      }
      Reconciler.crashAfterStep = null;
      Instance stuck = row(uuid);
      assertEquals(dead, stuck.leaseOwner, "the dead replica still holds the lease");
      // Another replica can't take it before the lease runs out...
      assertFalse(supervisor.claim("other", 1000).contains(uuid));
      // ...and does once it has.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  Instance.update(
                      "leaseUntil = ?1 where id = ?2", OffsetDateTime.now().minusSeconds(1), uuid));
      supervisor.runOnce("replica-that-lives");
      Instance after = row(uuid);
      assertEquals("provisioning", after.state, String.valueOf(after.reason));
      assertEquals("waiting for the server to answer", after.reason);
      assertEquals(14, objects(uuid).size(), "every object once, after a crash after " + step);
      assertEquals(1, kube.secrets().inNamespace(ns(uuid)).list().getItems().size());
      assertTrue(databases.exists(InstanceSpec.databaseName(uuid)));
      var clients = Fixture.servers().admin().get("/clients?clientId=instance-" + uuid);
      assertEquals(1, clients.size(), "one OIDC client: " + clients);
      // The secret Synapse reads is the one Keycloak has.
      String secretInKube =
          new String(
              java.util.Base64.getDecoder()
                  .decode(
                      kube.secrets()
                          .inNamespace(ns(uuid))
                          .withName("synapse-secrets")
                          .get()
                          .getData()
                          .get("oidc-client-secret")));
      assertFalse(secretInKube.isBlank());
    }
  }

  @Test
  void twoReplicasNeverClaimTheSameInstance() throws Exception {
    for (int n = 0; n < 3; n++) {
      String o = Fixture.organization(owner);
      Fixture.onPlan(o, owner, "large", 2000); // two instances each
      as(owner)
          .body(Map.of("slug", "chat", "flavour", "matrix", "plan", "small"))
          .post(path(o))
          .then()
          .statusCode(202);
      as(owner)
          .body(Map.of("slug", "autre", "flavour", "matrix", "plan", "small"))
          .post(path(o))
          .then()
          .statusCode(202);
    }
    CompletableFuture<List<UUID>> a =
        CompletableFuture.supplyAsync(() -> supervisor.claim("replica-a", 1000));
    CompletableFuture<List<UUID>> b =
        CompletableFuture.supplyAsync(() -> supervisor.claim("replica-b", 1000));
    Set<UUID> both = new HashSet<>(a.get());
    both.retainAll(b.get());
    assertTrue(both.isEmpty(), "claimed twice: " + both);
    assertTrue(a.get().size() + b.get().size() >= 6);
    // release for the other tests
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "leaseOwner = null, leaseUntil = null where leaseOwner in ('replica-a', 'replica-b')"));
  }
}
