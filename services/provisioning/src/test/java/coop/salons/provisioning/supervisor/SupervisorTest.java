package coop.salons.provisioning.supervisor;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.Nodes;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.usage.BillingSamples.Sample;
import coop.salons.provisioning.usage.UsageReporter;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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
 * The supervisor on the build's real Kubernetes control plane (see {@link OnKubernetes}: KWOK plays
 * the node), with the real PostgreSQL for the instances' databases and the real identity service
 * and Keycloak for their OIDC clients.
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class SupervisorTest {

  @Inject Supervisor supervisor;
  @Inject KubernetesClient kube;
  @Inject TenantDatabases databases;
  @Inject UsageReporter usage;
  @Inject jakarta.persistence.EntityManager em;
  @Inject SupervisorMetrics metrics;
  @Inject io.agroal.api.AgroalDataSource dataSource;
  @Inject Reconciler reconciler;
  @Inject coop.salons.provisioning.backup.PgTools pg;
  @Inject coop.salons.provisioning.ProvisioningConfig config;

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
    Nodes.release(kube);
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
    // The platform's own: the cluster adds others (the CA's ConfigMap, ReplicaSets, pods).
    String by = "app.kubernetes.io/managed-by";
    String salons = coop.salons.provisioning.model.KubernetesManifests.MANAGED_BY;
    found.addAll(kube.configMaps().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(kube.secrets().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(
        kube.persistentVolumeClaims().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(kube.services().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(
        kube.apps().deployments().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(
        kube.network()
            .v1()
            .ingresses()
            .inNamespace(ns(id))
            .withLabel(by, salons)
            .list()
            .getItems());
    found.addAll(
        kube.network()
            .v1()
            .networkPolicies()
            .inNamespace(ns(id))
            .withLabel(by, salons)
            .list()
            .getItems());
    found.addAll(kube.resourceQuotas().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(kube.limitRanges().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    for (HasMetadata o : found) {
      all.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion());
    }
    return all;
  }

  private Deployment deployment(UUID id) {
    return kube.apps().deployments().inNamespace(ns(id)).withName("synapse").get();
  }

  /**
   * Lets the node take pods (if a test held them) and waits until the cluster reports the
   * instance's Deployment ready: the controller-manager made its ReplicaSet and pod, the scheduler
   * placed it, and KWOK ran it.
   */
  private void awaitReady(UUID id) {
    Nodes.release(kube);
    kube.apps()
        .deployments()
        .inNamespace(ns(id))
        .withName(deployment(id).getMetadata().getName())
        .waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= 1
                    && d.getStatus().getObservedGeneration() != null
                    && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration(),
            60,
            TimeUnit.SECONDS);
  }

  @Test
  void anInstanceGoesFromRequestedToReadyWithEveryObject() throws Exception {
    Nodes.hold(kube); // no room for pods yet: the instance waits for its server
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
            "NetworkPolicy/allow-backup-database",
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

    awaitReady(id);
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
    Nodes.hold(kube);
    UUID id = create("watched", "matrix");
    converge();
    assertEquals("provisioning", row(id).state);
    // Waiting for its server, and not to be asked again for an hour.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "nextAttemptAt = ?1 where id = ?2", OffsetDateTime.now().plusHours(1), id));
    awaitReady(id);
    long giveUp = System.currentTimeMillis() + 30_000;
    while (row(id).nextAttemptAt.isAfter(OffsetDateTime.now())
        && System.currentTimeMillis() < giveUp) {
      Thread.sleep(100);
    }
    assertFalse(row(id).nextAttemptAt.isAfter(OffsetDateTime.now()), "made due by the watch");
    supervisor.runOnce(supervisor.owner());
    assertEquals("ready", row(id).state);
  }

  /**
   * An instance moved over to the Matrix Authentication Service (docs/adr/0038, the operator
   * guide's steps: its row marked and its generation bumped): the real API server takes MAS's
   * Deployment (its pinned image, Pod Security "restricted"), Service, ConfigMap, Secret and
   * network policies, and KWOK runs it; the Ingress sends MAS's pages and the Matrix sign-in paths
   * to it and the rest to Synapse; Synapse's configuration delegates to MAS; MAS's database is made
   * beside the instance's; the realm's client sends members back to MAS; a resync then changes
   * nothing.
   */
  @Test
  void anInstanceMovedOverToTheAuthenticationServiceGetsItsObjectsAndRoutes() throws Exception {
    UUID id = create("phones", "matrix");
    converge();
    awaitReady(id);
    converge();
    assertEquals("sso", as(owner).get(path(org) + "/phones").then().extract().path("signIn"));
    // The operator guide's move-over: only the hoster's operators, only once it is suspended
    // (syn2mas reads Synapse's database while Synapse is stopped).
    String move = path(org) + "/phones/authentication-service";
    as(owner).post(move).then().statusCode(403).contentType("application/problem+json");
    TestUser operator = Fixture.servers().operator("hoster-" + UUID.randomUUID());
    as(operator)
        .post(move)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("Suspend the instance first"));
    as(owner).post(path(org) + "/phones/suspend").then().statusCode(202);
    converge();
    assertEquals("suspended", as(owner).get(path(org) + "/phones").then().extract().path("state"));
    as(operator).post(move).then().statusCode(202).body("signIn", equalTo("mas"));
    as(operator).post(move).then().statusCode(202); // moved already: no change
    converge();
    // Still suspended: MAS's objects are there, nothing runs, MAS's database is ready for syn2mas.
    assertEquals("suspended", as(owner).get(path(org) + "/phones").then().extract().path("state"));
    assertEquals(
        0,
        kube.apps()
            .deployments()
            .inNamespace(ns(id))
            .withName("mas")
            .get()
            .getSpec()
            .getReplicas());
    as(owner).post(path(org) + "/phones/resume").then().statusCode(202);
    converge();
    Map<String, String> objects = objects(id);
    for (String o :
        List.of(
            "Deployment/mas",
            "Service/mas",
            "ConfigMap/mas-config",
            "Secret/mas-secrets",
            "NetworkPolicy/allow-auth-ingress",
            "NetworkPolicy/allow-auth-egress",
            "NetworkPolicy/allow-server-and-auth")) {
      assertTrue(objects.containsKey(o), o + " in " + objects.keySet());
    }
    Deployment mas = kube.apps().deployments().inNamespace(ns(id)).withName("mas").get();
    var container = mas.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(config.mas().image() + ":" + config.mas().version(), container.getImage());
    assertEquals(List.of("server", "--config", "/config/config.yaml"), container.getArgs());
    kube.apps()
        .deployments()
        .inNamespace(ns(id))
        .withName("mas")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= 1,
            60,
            TimeUnit.SECONDS);

    Map<String, String> routes = new TreeMap<>();
    for (var p :
        kube.network()
            .v1()
            .ingresses()
            .inNamespace(ns(id))
            .withName("synapse")
            .get()
            .getSpec()
            .getRules()
            .get(0)
            .getHttp()
            .getPaths()) {
      var backend = p.getBackend().getService();
      routes.put(
          p.getPath(),
          backend.getName()
              + ":"
              + (backend.getPort().getName() == null
                  ? backend.getPort().getNumber()
                  : backend.getPort().getName()));
    }
    assertEquals("mas:http", routes.get("/auth"), routes.toString());
    assertEquals("mas:compat", routes.get("/_matrix/client/v3/login"), routes.toString());
    assertEquals("mas:compat", routes.get("/_matrix/client/r0/refresh"), routes.toString());
    // The rest of the host is Synapse's (no shared web client in these tests).
    assertEquals("synapse:http", routes.get("/"), routes.toString());

    String hs =
        kube.configMaps()
            .inNamespace(ns(id))
            .withName("synapse-config")
            .get()
            .getData()
            .get("homeserver.yaml");
    assertTrue(hs.contains("matrix_authentication_service:"), hs);
    assertFalse(hs.contains("oidc_providers"), hs);
    String masConfig =
        kube.configMaps()
            .inNamespace(ns(id))
            .withName("mas-config")
            .get()
            .getData()
            .get("config.yaml");
    assertTrue(masConfig.contains("client_id: instance-" + id), masConfig);
    assertTrue(
        kube.secrets()
            .inNamespace(ns(id))
            .withName("mas-secrets")
            .get()
            .getData()
            .keySet()
            .containsAll(List.of("mas-signing-key", "mas-encryption", "mas-shared-secret")));
    // Made already: ensuring it again makes nothing.
    assertFalse(databases.ensureAuthService(InstanceSpec.databaseName(id)));
    String redirect = Fixture.clientRedirect(id);
    assertTrue(
        redirect.startsWith("https://phones." + org + ".chat.example.org/auth/upstream/callback/"),
        redirect);
    assertEquals("mas", as(owner).get(path(org) + "/phones").then().extract().path("signIn"));

    Map<String, String> before = objects(id);
    supervisor.resyncAll();
    supervisor.runOnce(supervisor.owner());
    assertEquals(before, objects(id), "a resync with nothing to correct writes nothing");
  }

  @Test
  void applyingTwiceChangesNothing() {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
    converge();
    Map<String, String> before = objects(id);
    supervisor.resyncAll();
    supervisor.runOnce(supervisor.owner());
    assertEquals(before, objects(id), "a resync with nothing to correct writes nothing");
  }

  @Test
  void aReplicaThatLostItsLeaseMidPassWritesNothingMore() throws Exception {
    String o = Fixture.organization(owner);
    String id =
        as(owner)
            .body(Map.of("slug", "fenced", "flavour", "matrix"))
            .post(path(o))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    UUID uuid = UUID.fromString(id);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "leaseOwner = 'stalled-replica', leaseUntil = ?1, nextAttemptAt = ?2"
                        + " where id = ?3",
                    OffsetDateTime.now().plusSeconds(30),
                    OffsetDateTime.now().plusDays(1),
                    uuid));
    // After its first step, the stalled replica's lease runs out and another replica takes it.
    Reconciler.afterStep =
        () ->
            QuarkusTransaction.requiringNew()
                .run(() -> Instance.update("leaseOwner = 'other-replica' where id = ?1", uuid));
    try {
      reconciler.reconcile(uuid, "stalled-replica");
    } finally {
      Reconciler.afterStep = null;
    }
    // Its first step (the secrets) was done; the next ones were not.
    assertNotNull(kube.namespaces().withName(ns(uuid)).get(), "the first step ran");
    assertFalse(
        databases.exists(InstanceSpec.databaseName(uuid)),
        "no database made after the lease was lost");
    assertTrue(Fixture.servers().admin().get("/clients?clientId=instance-" + uuid).isEmpty());
    assertEquals("other-replica", row(uuid).leaseOwner);
    QuarkusTransaction.requiringNew()
        .run(() -> Instance.update("leaseOwner = null, leaseUntil = null where id = ?1", uuid));
  }

  @Test
  void theBulkResyncRunsOnOneReplicaAtATime() throws Exception {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
    converge();
    try (java.sql.Connection other = dataSource.getConnection()) {
      try (var lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, coop.salons.common.db.SingleReplica.key(Supervisor.RESYNC));
        lock.execute();
      }
      // Another replica is resyncing: this one does not run a second resync beside it.
      assertEquals(0, supervisor.resyncAll(), "skipped while another replica holds the lock");
      try (var unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        unlock.setLong(1, coop.salons.common.db.SingleReplica.key(Supervisor.RESYNC));
        unlock.execute();
      }
    }
    assertTrue(supervisor.resyncAll() >= 1, "runs once the other is done");
  }

  @Test
  void driftIsCorrected() {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
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
        "ghcr.io/element-hq/synapse:v1.163.2",
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
    awaitReady(id);
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
    awaitReady(id);
    converge();
    assertEquals("ready", row(id).state);
  }

  @Test
  void usageSamplesFollowTheInstance() {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
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

    // Its stored backups count as its storage (removed ones do not): 3 GiB more.
    UUID backup = UUID.randomUUID();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "INSERT INTO instance_backup (id, instance_id, organization_slug, kind,"
                            + " state, location, size_bytes, started_at, finished_at) VALUES (?1,"
                            + " ?2, ?3, 'scheduled', 'done', '/backups/x', ?4, now(), now())")
                    .setParameter(1, backup)
                    .setParameter(2, id)
                    .setParameter(3, org)
                    .setParameter(4, 3L << 30)
                    .executeUpdate());
    Sample withBackup = samplesOf(id).get(samplesOf(id).size() - 1);
    assertEquals(suspended.storageMib() + 3072, withBackup.storageMib());
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery("UPDATE instance_backup SET state = 'removed' WHERE id = ?1")
                    .setParameter(1, backup)
                    .executeUpdate());
    assertEquals(suspended.storageMib(), samplesOf(id).get(samplesOf(id).size() - 1).storageMib());
  }

  private List<Sample> samplesOf(UUID id) {
    return usage.samples(Instant.now()).stream().filter(s -> s.instanceId().equals(id)).toList();
  }

  @Test
  void everyObjectIsAppliedByOneFieldManagerAndUpgradesKeepTheVolume() {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
    converge();
    assertEquals("ready", row(id).state);
    for (HasMetadata o : managed(id)) {
      assertTrue(
          o.getMetadata().getManagedFields().stream()
              .anyMatch(
                  f ->
                      "salons-provisioning".equals(f.getManager())
                          && "Apply".equals(f.getOperation())),
          "applied server-side by the platform: " + o.getKind() + "/" + o.getMetadata().getName());
    }
    var claim = kube.persistentVolumeClaims().inNamespace(ns(id)).withName("synapse-data").get();
    String volume = claim.getSpec().getVolumeName();
    assertNotNull(volume, "the claim was bound by the cluster");
    String uid = claim.getMetadata().getUid();

    // A new Synapse version, then a bigger plan: the Deployment changes, the claim stays.
    as(owner).body(Map.of("version", "1.164.0")).patch(path(org) + "/chat").then().statusCode(202);
    converge();
    awaitReady(id);
    converge();
    as(owner).body(Map.of("plan", "large")).patch(path(org) + "/chat").then().statusCode(202);
    converge();
    awaitReady(id);
    converge();
    Instance i = row(id);
    assertEquals("ready", i.state, String.valueOf(i.reason));
    assertEquals(i.generation, i.observedGeneration);
    var after = kube.persistentVolumeClaims().inNamespace(ns(id)).withName("synapse-data").get();
    assertEquals(uid, after.getMetadata().getUid(), "the same claim, never replaced");
    assertEquals(volume, after.getSpec().getVolumeName(), "still bound to the same volume");
    assertEquals(
        "200Gi",
        after.getSpec().getResources().getRequests().get("storage").toString(),
        "grown in place to the large plan's size");
    Set<String> kinds = objects(id).keySet();
    assertTrue(kinds.contains("ResourceQuota/plan-large"), kinds.toString());
    assertFalse(kinds.contains("ResourceQuota/plan-medium"), kinds.toString());
  }

  @Test
  void theClusterAdmitsTheServersPodAndRefusesWhatBreaksTheWalls() {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
    // The rendered pod was admitted under Pod Security "restricted" and runs on the node.
    var pods = kube.pods().inNamespace(ns(id)).list().getItems();
    assertEquals(1, pods.size());
    assertEquals("Running", pods.get(0).getStatus().getPhase());
    assertEquals(coop.salons.local.ControlPlane.NODE, pods.get(0).getSpec().getNodeName());

    // A privileged pod is refused in the instance's namespace.
    var privileged =
        new PodBuilder()
            .withNewMetadata()
            .withName("privileged")
            .withNamespace(ns(id))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("root")
            .withImage("busybox")
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    KubernetesClientException refused =
        assertThrows(KubernetesClientException.class, () -> kube.resource(privileged).create());
    assertEquals(403, refused.getCode());
    assertTrue(
        refused.getMessage().contains("violates PodSecurity \"restricted:latest\""),
        refused.getMessage());

    // A pod within Pod Security but asking more than the plan's quota is refused too.
    var greedy =
        new PodBuilder()
            .withNewMetadata()
            .withName("greedy")
            .withNamespace(ns(id))
            .endMetadata()
            .withNewSpec()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(1000L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewContainer()
            .withName("greedy")
            .withImage("busybox")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .withNewResources()
            .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("16"))
            .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("64Gi"))
            .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("16"))
            .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Gi"))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    KubernetesClientException overQuota =
        assertThrows(KubernetesClientException.class, () -> kube.resource(greedy).create());
    assertEquals(403, overQuota.getCode());
    assertTrue(overQuota.getMessage().contains("exceeded quota"), overQuota.getMessage());
  }

  /** The instance's objects the platform manages, as the cluster has them. */
  private List<HasMetadata> managed(UUID id) {
    String by = "app.kubernetes.io/managed-by";
    String salons = coop.salons.provisioning.model.KubernetesManifests.MANAGED_BY;
    List<HasMetadata> found = new ArrayList<>();
    found.addAll(kube.configMaps().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(kube.secrets().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(
        kube.persistentVolumeClaims().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.addAll(
        kube.apps().deployments().inNamespace(ns(id)).withLabel(by, salons).list().getItems());
    found.add(kube.namespaces().withName(ns(id)).get());
    return found;
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
    UUID id = create("chat", "matrix");
    metrics.refresh();
    double requestedBefore = metric(requested);
    assertTrue(requestedBefore >= 1, "the new instance is counted as requested");
    assertTrue(metric("salons_supervisor_backlog") >= 1, "and as due for the supervisor");
    supervisor.runOnce(supervisor.owner());
    metrics.refresh();
    assertTrue(metric(requested) < requestedBefore, "no longer requested once claimed");
    // Provisioning, or ready already if KWOK marked its pod ready within the pass.
    String now = row(id).state;
    assertTrue(metric("salons_instances{state=\"" + now + "\"}") >= 1, now);
    assertTrue(metric(applied) > appliedBefore, "its apply step is timed");
  }

  @Test
  void deletionWaitsForTheGracePeriodThenBacksUpAndRemovesEverything() throws Exception {
    UUID id = create("chat", "matrix");
    converge();
    awaitReady(id);
    converge();
    as(owner).delete(path(org) + "/chat").then().statusCode(202);
    converge();
    Instance i = row(id);
    assertEquals("deletion-requested", i.state);
    assertEquals(0, deployment(id).getSpec().getReplicas(), "stopped during the grace period");
    assertTrue(i.deletionDueAt.isAfter(OffsetDateTime.now().plusDays(6)));
    assertTrue(databases.exists(InstanceSpec.databaseName(id)), "nothing deleted before the end");

    // The grace period ends. The final backup is taken in the instance's backup pod (KWOK runs
    // its commands here, in a folder standing for the volume: see BackupNode).
    Path volume = Files.createTempDirectory("salons-volume-");
    Files.createDirectories(volume.resolve("media"));
    Files.writeString(volume.resolve("media/photo"), "une photo");
    coop.salons.provisioning.BackupNode.serve(
        kube,
        reconciler.specOf(id),
        volume,
        pg.bin(),
        config.tenantDatabase().host(),
        config.tenantDatabase().port(),
        Map.of());
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "deletionDueAt = ?1, nextAttemptAt = ?1 where id = ?2",
                    OffsetDateTime.now().minusSeconds(1),
                    id));
    supervisor.runOnce(supervisor.owner());
    i = row(id);
    if (kube.namespaces().withName(ns(id)).get() != null) {
      // Kubernetes is still deleting the namespace (finalizers): the instance waits for it.
      assertEquals("deletion-requested", i.state, String.valueOf(i.reason));
      assertEquals("waiting for the instance's namespace to be gone", i.reason);
      kube.namespaces().withName(ns(id)).waitUntilCondition(n -> n == null, 60, TimeUnit.SECONDS);
      dueNow();
      supervisor.runOnce(supervisor.owner());
      i = row(id);
    }
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
    // A whole backup, read back before the purge went on: its manifest and sealed files kept.
    String detail = (String) steps.get(0).get("detail");
    assertTrue(detail.startsWith("verified "), detail);
    Path backup = Path.of(detail.substring("verified ".length()));
    assertTrue(Files.exists(backup.resolve("manifest.json")), detail);
    assertTrue(Files.size(backup.resolve("files.tar.enc")) > 0, detail);
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
      // Waiting for its pod, or (KWOK is quick) ready already.
      assertTrue(Set.of("provisioning", "ready").contains(after.state), after.state);
      assertEquals(15, objects(uuid).size(), "every object once, after a crash after " + step);
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
