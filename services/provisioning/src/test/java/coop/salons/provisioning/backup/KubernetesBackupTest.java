package coop.salons.provisioning.backup;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.BackupNode;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Backups and restores on Kubernetes (docs/adr/0037), on the build's real control plane (see {@link
 * OnKubernetes}): the platform makes the backup pod in the instance's namespace (the real API
 * server judges it: Pod Security "restricted", the namespace's quota, the scheduler its affinity),
 * runs {@code pg_dump}, {@code tar}, {@code pg_restore} in it through the API server's exec, and
 * streams their bytes. KWOK plays the node ({@link BackupNode}): the commands run on this machine,
 * in a folder that stands for the instance's volume, against the real tenants' PostgreSQL as the
 * instance's own role. No Synapse runs here: the data is a table written as the instance's role and
 * files in its media folder; a real Synapse's backup and restore are {@code BackupIT}'s.
 */
@QuarkusTest
@TestProfile(KubernetesBackupTest.WithSupervisor.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class KubernetesBackupTest {

  /** Kubernetes with its supervisor running, in a schema of its own. */
  public static class WithSupervisor extends OnKubernetes {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "backup_k8s");
      config.put("quarkus.flyway.schemas", "backup_k8s");
      config.put("quarkus.flyway.clean-disabled", "false");
      config.put("quarkus.flyway.clean-at-start", "true");
      config.put("quarkus.hibernate-orm.database.default-schema", "backup_k8s");
      config.put("salons.provisioning.supervisor.enabled", "true");
      config.put("salons.provisioning.supervisor.interval", "0.5s");
      config.put("salons.provisioning.supervisor.readiness-poll", "PT0.5S");
      return config;
    }
  }

  @Inject KubernetesClient kube;
  @Inject InstanceSpecs specs;
  @Inject TenantDatabases databases;
  @Inject PgTools pg;
  @Inject ProvisioningConfig config;

  @Test
  void aBackupPodDumpsAndRestoresTheDatabaseAndFilesThroughTheApiServer() throws Exception {
    TestUser owner = Fixture.user("kira-kube-backup");
    String org = Fixture.organization(owner);
    UUID id =
        UUID.fromString(
            as(owner)
                .body(Map.of("slug", "salon", "flavour", "matrix", "federation", "off"))
                .post(path(org))
                .then()
                .statusCode(202)
                .extract()
                .path("id"));
    String instance = path(org) + "/salon";
    BackupIT.awaitState(owner, instance, "ready", Duration.ofMinutes(2));
    InstanceSpec spec = specs.specOf(id);
    String ns = KubernetesManifests.namespace(spec);

    // The instance's data: a table written as its own role, files in its media folder.
    Path volume = Files.createTempDirectory("salons-volume-");
    Path file = volume.resolve("media/local_content/ab/cd/efghij");
    Files.createDirectories(file.getParent());
    byte[] photo = new byte[3 * 1024 * 1024 + 17];
    new Random(11).nextBytes(photo);
    Files.write(file, photo);
    String db = spec.database().name();
    try (Connection c = databases.open(db);
        Statement s = c.createStatement()) {
      s.execute("SET ROLE " + db);
      s.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE)");
      s.execute("INSERT INTO notes (body) SELECT 'note ' || n FROM generate_series(1, 500) n");
    }
    serveBackups(spec, volume, Map.of());
    List<Pod> made = new CopyOnWriteArrayList<>();
    try (Watch w = watchBackupPods(ns, made)) {
      // A backup, taken while the server runs.
      String taken =
          as(owner).post(instance + "/backups").then().statusCode(202).extract().header("Location");
      Map<String, Object> backup = BackupIT.awaitDone(owner, taken, Duration.ofMinutes(2));
      assertEquals("done", backup.get("state"), backup.toString());
      assertTrue(((Number) backup.get("sizeBytes")).longValue() > photo.length, backup.toString());
      awaitNoBackupPod(ns);
      Pod beside = made.get(0);
      assertNotNull(
          beside.getSpec().getAffinity(), "made on the running server's node (its volume's)");
      EnvVar password =
          beside.getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("PGPASSWORD"))
              .findFirst()
              .orElseThrow();
      assertNull(password.getValue(), "the password is never written in the pod");
      assertEquals("salons.db-password", password.getValueFrom().getSecretKeyRef().getKey());

      // Lost: the table and the files.
      try (Connection c = databases.open(db);
          Statement s = c.createStatement()) {
        s.execute("SET ROLE " + db);
        s.execute("DROP TABLE notes");
      }
      BackupIT.deleteAll(volume.resolve("media"));

      // Restored: the server stopped, the backup pod alone, then the server again.
      String restoring =
          as(owner)
              .body(Map.of("confirm", "salon"))
              .post(instance + "/backups/" + backup.get("id") + "/restore")
              .then()
              .statusCode(202)
              .extract()
              .header("Location");
      Map<String, Object> restored = BackupIT.awaitDone(owner, restoring, Duration.ofMinutes(3));
      assertEquals("done", restored.get("state"), restored.toString());
      awaitNoBackupPod(ns);
      assertNull(made.get(made.size() - 1).getSpec().getAffinity(), "no server to be beside");
    }
    BackupIT.awaitState(owner, instance, "ready", Duration.ofMinutes(2));
    try (Connection c = databases.open(db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), min(body), max(body) FROM notes")) {
      r.next();
      assertEquals(500, r.getInt(1));
      assertEquals("note 1", r.getString(2));
      assertEquals("note 99", r.getString(3));
    }
    assertArrayEquals(photo, Files.readAllBytes(file), "the same bytes back in the volume");
    assertFalse(
        Files.exists(volume.resolve(".restoring")), "nothing of the unpacking left beside it");

    // A pod that cannot reach the database (a port nothing listens on): the backup fails and says
    // why, and nothing is kept.
    serveBackups(spec, volume, Map.of("PGPORT", "1"));
    String failing =
        as(owner).post(instance + "/backups").then().statusCode(202).extract().header("Location");
    Map<String, Object> failed = BackupIT.awaitDone(owner, failing, Duration.ofMinutes(2));
    assertEquals("failed", failed.get("state"), failed.toString());
    String error = String.valueOf(failed.get("error"));
    assertTrue(
        error.contains("pg_dump in the backup pod failed") && error.contains("Connection refused"),
        error);
    assertNull(failed.get("sizeBytes"), failed.toString());
    awaitNoBackupPod(ns);
  }

  private Watch watchBackupPods(String ns, List<Pod> made) {
    return kube.pods()
        .inNamespace(ns)
        .withName(KubernetesManifests.BACKUP_POD)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                  made.add(pod);
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private void awaitNoBackupPod(String ns) {
    kube.pods()
        .inNamespace(ns)
        .withName(KubernetesManifests.BACKUP_POD)
        .waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
  }

  /** KWOK runs the backup pod's commands on this machine, in the folder standing for the volume. */
  private void serveBackups(InstanceSpec spec, Path volume, Map<String, String> changed)
      throws Exception {
    BackupNode.serve(
        kube,
        spec,
        volume,
        pg.bin(),
        config.tenantDatabase().host(),
        config.tenantDatabase().port(),
        changed);
  }
}
