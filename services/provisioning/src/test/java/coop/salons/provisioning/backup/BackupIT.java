package coop.salons.provisioning.backup;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.supervisor.Reconciler;
import coop.salons.testing.Browser;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real Synapse of the local runtime, a member signed in through the realm's single sign-on: a
 * room, messages and a file written through the client API; a backup; the instance's database
 * dropped and its media removed; a restore; the same messages and file read back with the same
 * session. A tampered backup is refused before anything is touched. Deleted, the instance is purged
 * only after a final backup that is taken and read back whole. These tests keep backups in a bucket
 * of a real S3-compatible server (S3Proxy, {@link S3ProxyResource}); the portal's keep them on a
 * volume.
 */
@QuarkusTest
@TestProfile(BackupIT.LocalRuntimeProfile.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class BackupIT {

  /** The local runtime with its supervisor, in a schema of its own (as {@code LocalSynapseIT}). */
  public static class LocalRuntimeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.ofEntries(
          Map.entry(
              "quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "backup_it"),
          Map.entry("quarkus.flyway.schemas", "backup_it"),
          Map.entry("quarkus.flyway.clean-disabled", "false"),
          Map.entry("quarkus.flyway.clean-at-start", "true"),
          Map.entry("quarkus.hibernate-orm.database.default-schema", "backup_it"),
          Map.entry("salons.provisioning.runtime", "local"),
          Map.entry("salons.provisioning.supervisor.interval", "0.5s"),
          Map.entry("salons.provisioning.supervisor.readiness-poll", "PT0.5S"),
          Map.entry("salons.provisioning.local.first-port", "18460"),
          // Purges every few seconds, so that a retention test sees one (messages, then files).
          Map.entry("salons.provisioning.retention.purge-every", "5s"),
          Map.entry("salons.provisioning.local.media-retention-check", "5s"),
          // Two backups kept, so that the schedule's removal of older ones shows.
          Map.entry("salons.provisioning.plans.small.backups-kept", "2"),
          // A tampered bundle is served by the test on loopback.
          Map.entry("salons.provisioning.allow-local-webhooks", "true"));
    }

    /** Backups kept in a bucket of a real S3-compatible server (the volume: the portal's tests). */
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(S3ProxyResource.class));
    }
  }

  @Inject TenantDatabases databases;
  @Inject ChatRuntime runtime;
  @Inject Reconciler reconciler;
  @Inject InstanceBackups backups;
  @Inject coop.salons.provisioning.ProvisioningConfig config;

  @Test
  void aBackupBringsBackMessagesAndFilesAfterTheDatabaseAndMediaAreLost() throws Exception {
    TestUser owner = Fixture.user("bernadette-backup");
    TestUser admin = Fixture.user("bruno-backup");
    String org = Fixture.organization(owner);
    Fixture.addMember(org, owner, admin, "admin");
    as(owner)
        .body(Map.of("slug", "salon", "flavour", "matrix", "federation", "off"))
        .post(path(org))
        .then()
        .statusCode(202);
    String instance = path(org) + "/salon";
    String url = awaitState(owner, instance, "ready", Duration.ofMinutes(4));

    MatrixUser ada;
    try (Browser browser = Browser.launch()) {
      ada = MatrixUser.signIn(browser, url, owner, "oidc-salons");
    }
    String room = ada.createRoom("bureau", "Bureau", "Le bureau de l'association", false);
    ada.send(room, "Assemblée générale jeudi à 19 h");
    byte[] agenda = new byte[200_000];
    new java.util.Random(7).nextBytes(agenda);
    String mxc = ada.upload(agenda, "application/pdf", "ordre-du-jour.pdf");
    ada.sendFile(room, mxc, "ordre-du-jour.pdf");
    // Six more megabytes in the media folder, so that the archive goes to the bucket in parts.
    InstanceSpec spec = specOf(org);
    Integer port = portOf(org);
    Path media = Path.of(runtime.placement(spec, port).dataDir()).resolve("media");
    byte[] filler = new byte[6 * 1024 * 1024];
    new java.util.Random(8).nextBytes(filler);
    Files.write(media.resolve("salons-filler.bin"), filler);

    // A backup, taken while the server runs.
    String taken =
        as(admin).post(instance + "/backups").then().statusCode(202).extract().header("Location");
    Map<String, Object> backup = awaitDone(admin, taken, Duration.ofMinutes(3));
    assertEquals("done", backup.get("state"), backup.toString());
    assertTrue(((Number) backup.get("sizeBytes")).longValue() > agenda.length, backup.toString());
    as(admin)
        .get(instance + "/backups")
        .then()
        .statusCode(200)
        .body("items[0].id", equalTo(backup.get("id")));
    String restorePath = instance + "/backups/" + backup.get("id") + "/restore";

    // Kept in the bucket, sealed (no plain text of the room in any file), nothing left on disk.
    String prefix = "instances/" + org + "/" + spec.id() + "/" + backup.get("id") + "/";
    Path local =
        Path.of("target/instance-backups")
            .toAbsolutePath()
            .resolve(org)
            .resolve(spec.id().toString())
            .resolve(String.valueOf(backup.get("id")));
    assertFalse(Files.exists(local), "a backup kept in a bucket is not kept on the disk too");
    try (S3Client s3 = bucket()) {
      List<String> keys =
          s3.listObjectsV2(r -> r.bucket(S3ProxyResource.BUCKET).prefix(prefix)).contents().stream()
              .map(o -> o.key().substring(prefix.length()))
              .sorted()
              .toList();
      assertEquals(
          List.of(
              "database.dump.enc",
              "files.tar.enc",
              "manifest.json",
              "manifest.json.hmac",
              "secrets.json.enc"),
          keys);
      byte[] archive =
          s3.getObjectAsBytes(r -> r.bucket(S3ProxyResource.BUCKET).key(prefix + "files.tar.enc"))
              .asByteArray();
      assertTrue(archive.length > filler.length, "the archive holds the media");
      for (String k : List.of("database.dump.enc", "secrets.json.enc")) {
        String text =
            s3.getObjectAsBytes(r -> r.bucket(S3ProxyResource.BUCKET).key(prefix + k))
                .asString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("Assembl"), k + " holds the message in plain text");
        assertFalse(text.contains("ed25519"), k + " holds the signing key in plain text");
      }
    }

    // Refused without the instance's name, and to an admin: nothing changes.
    as(owner)
        .body(Map.of("confirm", "bureau"))
        .post(restorePath)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    as(admin).body(Map.of("confirm", "salon")).post(restorePath).then().statusCode(403);
    assertEquals("ready", as(owner).get(instance).then().extract().path("state"));

    // Everything lost: the server stopped, its database dropped, its media removed.
    as(owner).post(instance + "/suspend").then().statusCode(202);
    awaitState(owner, instance, "suspended", Duration.ofMinutes(2));
    assertTrue(databases.drop(spec.database().name()));
    deleteAll(media);
    assertFalse(Files.exists(media));

    // A tampered backup (one bit of the archive changed in the bucket) is refused before
    // anything is touched.
    String archiveKey = prefix + "files.tar.enc";
    byte[] sealed;
    try (S3Client s3 = bucket()) {
      sealed =
          s3.getObjectAsBytes(r -> r.bucket(S3ProxyResource.BUCKET).key(archiveKey)).asByteArray();
      sealed[sealed.length / 2] ^= 1;
      s3.putObject(
          r -> r.bucket(S3ProxyResource.BUCKET).key(archiveKey),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(sealed));
    }
    String refused =
        as(owner)
            .body(Map.of("confirm", "salon"))
            .post(restorePath)
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    Map<String, Object> failed = awaitDone(owner, refused, Duration.ofMinutes(1));
    assertEquals("failed", failed.get("state"), failed.toString());
    assertTrue(String.valueOf(failed.get("error")).contains("damaged"), failed.toString());
    assertEquals("checking", failed.get("step"));
    assertFalse(Files.exists(media), "a refused restore leaves the instance as it was");
    sealed[sealed.length / 2] ^= 1;
    try (S3Client s3 = bucket()) {
      s3.putObject(
          r -> r.bucket(S3ProxyResource.BUCKET).key(archiveKey),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(sealed));
    }

    // The restore, followed step by step: the server runs again as it was asked to before.
    String restoring =
        as(owner)
            .body(Map.of("confirm", "salon"))
            .post(restorePath)
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    Map<String, Object> restored = awaitDone(owner, restoring, Duration.ofMinutes(5));
    assertEquals("done", restored.get("state"), restored.toString());
    as(owner).post(instance + "/resume").then().statusCode(202);
    awaitState(owner, instance, "ready", Duration.ofMinutes(4));

    // The same session reads the same messages and the same file.
    MatrixUser.awaitHealthy(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    List<String> bodies = ada.messages(room).stream().map(MatrixUser.Message::body).toList();
    assertTrue(bodies.contains("Assemblée générale jeudi à 19 h"), bodies.toString());
    assertTrue(bodies.contains("ordre-du-jour.pdf"), bodies.toString());
    MatrixUser.Download file = ada.download(mxc);
    assertEquals(200, file.status());
    assertArrayEquals(agenda, file.bytes());
    assertArrayEquals(filler, Files.readAllBytes(media.resolve("salons-filler.bin")));

    // Deleted, its grace period over: a whole final backup is taken and verified before the
    // purge removes anything, and it reads back whole.
    as(owner).delete(instance).then().statusCode(202);
    java.util.UUID id = spec.id();
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Instance.update(
                    "deletionDueAt = ?1, nextAttemptAt = ?1 where id = ?2",
                    java.time.OffsetDateTime.now().minusSeconds(1),
                    id));
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    String state = "";
    while (System.nanoTime() < deadline && !"deleted".equals(state)) {
      Thread.sleep(500);
      state =
          QuarkusTransaction.requiringNew().call(() -> ((Instance) Instance.findById(id)).state);
    }
    assertEquals("deleted", state);
    InstanceBackup last =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    InstanceBackup.<InstanceBackup>find("instanceId = ?1 and kind = 'final'", id)
                        .firstResult());
    assertEquals("done", last.state, String.valueOf(last.error));
    assertFalse(databases.exists(spec.database().name()));
    backups.verify(last.location);
  }

  @Test
  void theScheduleBacksUpDailyAndKeepsThePlansNumber() throws Exception {
    TestUser owner = Fixture.user("colette-cadence");
    String org = Fixture.organization(owner);
    as(owner)
        .body(Map.of("slug", "cadence", "flavour", "matrix", "federation", "off"))
        .post(path(org))
        .then()
        .statusCode(202);
    String instance = path(org) + "/cadence";
    awaitState(owner, instance, "ready", Duration.ofMinutes(4));
    java.util.UUID id =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Instance.<Instance>find("organizationSlug = ?1 and slug = 'cadence'", org)
                        .firstResult()
                        .id);

    List<String> locations = new java.util.ArrayList<>();
    for (int day = 0; day < 3; day++) {
      // Due (none yet, or the newest a day old): one is taken, listed as scheduled.
      backups.runSchedule();
      InstanceBackup taken = awaitScheduled(id, day + 1);
      assertEquals("done", taken.state, String.valueOf(taken.error));
      locations.add(taken.location);
      // Not due again while the newest is fresh.
      backups.runSchedule();
      assertEquals(
          day + 1,
          (long)
              QuarkusTransaction.requiringNew()
                  .call(() -> InstanceBackup.count("instanceId = ?1 and kind = 'scheduled'", id)));
      // A day passes.
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                for (InstanceBackup b :
                    InstanceBackup.<InstanceBackup>list("instanceId = ?1", id)) {
                  b.startedAt = b.startedAt.minusDays(1);
                  b.finishedAt = b.finishedAt == null ? null : b.finishedAt.minusDays(1);
                }
              });
    }
    // The plan keeps two: the next pass removes the oldest, from storage and from the list.
    backups.prune(QuarkusTransaction.requiringNew().call(() -> (Instance) Instance.findById(id)));
    List<Object> listed = as(owner).get(instance + "/backups").then().extract().path("items.kind");
    assertEquals(List.of("scheduled", "scheduled"), listed);
    assertEquals(List.of(), objectsAt(locations.get(0)), "the oldest backup is still stored");
    assertEquals(5, objectsAt(locations.get(2)).size(), locations.get(2));
  }

  /** Waits for the instance's n-th scheduled backup to finish; answers it. */
  private static InstanceBackup awaitScheduled(java.util.UUID id, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      List<InstanceBackup> all =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      InstanceBackup.<InstanceBackup>list(
                          "instanceId = ?1 and kind = 'scheduled' order by startedAt desc", id));
      if (all.size() >= n && !"running".equals(all.get(0).state)) {
        return all.get(0);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no scheduled backup " + n);
  }

  static String awaitState(TestUser owner, String instance, String wanted, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String state = null;
    while (System.nanoTime() < deadline) {
      var view = as(owner).get(instance).then().statusCode(200).extract();
      state = view.path("state");
      if (wanted.equals(state)) {
        return view.path("url");
      }
      if ("failed".equals(state)) {
        break;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "instance " + state + " instead of " + wanted + ": " + as(owner).get(instance).asString());
  }

  static Map<String, Object> awaitDone(TestUser who, String location, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Map<String, Object> view = Map.of();
    while (System.nanoTime() < deadline) {
      view = as(who).get(location).then().statusCode(200).extract().jsonPath().getMap("$");
      if (!"running".equals(view.get("state"))) {
        return view;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("still running: " + view);
  }

  static void deleteAll(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private InstanceSpec specOf(String org) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                reconciler.spec(
                    Instance.<Instance>find("organizationSlug = ?1 and slug = 'salon'", org)
                        .firstResult()));
  }

  private Integer portOf(String org) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Instance.<Instance>find("organizationSlug = ?1 and slug = 'salon'", org)
                    .firstResult()
                    .localPort);
  }

  /** The objects of a backup kept in the bucket ({@code s3://<bucket>/<prefix>}). */
  private List<String> objectsAt(String location) {
    String prefix = location.substring(("s3://" + S3ProxyResource.BUCKET + "/").length());
    assertTrue(location.startsWith("s3://" + S3ProxyResource.BUCKET + "/"), location);
    try (S3Client s3 = bucket()) {
      return s3
          .listObjectsV2(r -> r.bucket(S3ProxyResource.BUCKET).prefix(prefix))
          .contents()
          .stream()
          .map(o -> o.key())
          .toList();
    }
  }

  /** The bucket the backups are kept in, read as the platform reads it. */
  private S3Client bucket() {
    var s3 = config.backups().s3();
    return S3ProxyResource.client(
        s3.endpoint().orElseThrow(), s3.accessKey().orElseThrow(), s3.secretKey().orElseThrow());
  }
}
