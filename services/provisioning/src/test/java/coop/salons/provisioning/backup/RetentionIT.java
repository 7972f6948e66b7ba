package coop.salons.provisioning.backup;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.testing.Browser;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention that deletes, on a real Synapse of the local runtime: a room whose admins keep its
 * messages 15 seconds loses the old ones at the next purge, gone from the server's database, not
 * only hidden from clients, while a newer one stays; the organisation's message and media lifetimes
 * are in the configuration Synapse accepted at start; the storage view counts what is there and
 * what the retention will remove.
 */
@QuarkusTest
@TestProfile(BackupIT.LocalRuntimeProfile.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class RetentionIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject TenantDatabases databases;
  @Inject InstanceSpecs specs;
  @Inject coop.salons.provisioning.runtime.ChatRuntime runtime;

  @Test
  void aShortRetentionRemovesOldMessagesFromTheDatabaseAndKeepsNewerOnes() throws Exception {
    TestUser owner = Fixture.user("rosalie-retention");
    TestUser admin = Fixture.user("romain-retention");
    String org = Fixture.organization(owner);
    Fixture.addMember(org, owner, admin, "admin");
    as(owner)
        .body(
            Map.of(
                "slug", "memoire",
                "flavour", "matrix",
                "federation", "off",
                "retentionDays", 30,
                "mediaRetentionDays", 7))
        .post(path(org))
        .then()
        .statusCode(202);
    String instance = path(org) + "/memoire";
    String url = BackupIT.awaitState(owner, instance, "ready", Duration.ofMinutes(4));
    // Synapse checks its configuration at start: it accepted both lifetimes and the purge job.
    as(owner)
        .get(instance)
        .then()
        .body("retentionDays", equalTo(30))
        .body("mediaRetentionDays", equalTo(7));

    MatrixUser member;
    try (Browser browser = Browser.launch()) {
      member = MatrixUser.signIn(browser, url, admin, "oidc-salons");
    }
    String room = member.createRoom("ephemere", "Éphémère", "Rien n'y reste", false);
    var policy =
        member.call(
            "PUT",
            "/_matrix/client/v3/rooms/" + enc(room) + "/state/m.room.retention/",
            JSON.createObjectNode().put("max_lifetime", 15000));
    assertEquals(200, policy.status(), policy.toString());
    member.send(room, "Un vieux message");
    member.send(room, "Un autre vieux message");
    byte[] photo = new byte[50_000];
    new java.util.Random(3).nextBytes(photo);
    String oldPhoto = member.upload(photo, "image/png", "photo.png");
    byte[] recent = new byte[40_000];
    new java.util.Random(4).nextBytes(recent);
    String newPhoto = member.upload(recent, "image/png", "recent.png");

    InstanceSpec spec =
        specs.specOf(
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        Instance.<Instance>find("organizationSlug = ?1 and slug = 'memoire'", org)
                            .firstResult()
                            .id));
    assertEquals(2, messages(spec, room, "vieux message"));

    // The storage view counts them; nothing is past the organisation's 30 days yet.
    var storage = as(admin).get(instance + "/storage").then().statusCode(200).extract();
    assertTrue(storage.<Integer>path("messages") >= 2, storage.asString());
    assertTrue(storage.<Integer>path("mediaFiles") >= 1, storage.asString());
    assertTrue(storage.<Integer>path("mediaBytes") >= photo.length, storage.asString());
    assertEquals(true, storage.path("retention.enforced"));
    assertEquals(0, storage.<Integer>path("retention.messagesToRemove"));
    as(Fixture.user("roger-retention")).get(instance + "/storage").then().statusCode(404);

    Thread.sleep(16000);
    member.send(room, "Un nouveau message");

    // The purge job (every 5 s here) removes what the room no longer keeps, from the database.
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    long old = messages(spec, room, "vieux message");
    while (old > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      old = messages(spec, room, "vieux message");
    }
    assertEquals(0, old, "the old messages are still in the database");
    // Checked at once: the new one is well within its 15 s (and the newest event is never purged).
    assertEquals(1, messages(spec, room, "nouveau message"));
    List<String> bodies = member.messages(room).stream().map(MatrixUser.Message::body).toList();
    assertTrue(bodies.contains("Un nouveau message"), bodies.toString());
    assertFalse(bodies.contains("Un vieux message"), bodies.toString());

    // Media: the instance keeps files 7 days after they were last read. Eight days pass for one
    // photo (its timestamps moved back in Synapse's own database, as time would); Synapse's
    // media retention (every 5 s here instead of hourly: local.media-retention-check) removes it,
    // file and row, and keeps the other.
    String oldId = oldPhoto.substring(oldPhoto.lastIndexOf('/') + 1);
    String newId = newPhoto.substring(newPhoto.lastIndexOf('/') + 1);
    long eightDaysAgo = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
    try (Connection c = databases.open(spec.database().name());
        PreparedStatement st =
            c.prepareStatement(
                "UPDATE local_media_repository SET created_ts = ?, last_access_ts = ?"
                    + " WHERE media_id = ?")) {
      st.setLong(1, eightDaysAgo);
      st.setLong(2, eightDaysAgo);
      st.setString(3, oldId);
      assertEquals(1, st.executeUpdate());
    }
    Path store = mediaFile(spec, oldId);
    assertTrue(Files.exists(store), store.toString());
    deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (mediaRows(spec, oldId) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
    assertEquals(0, mediaRows(spec, oldId), "the old photo is still in the database");
    assertFalse(Files.exists(store), "the old photo's file is still on the disk");
    assertEquals(404, member.download(oldPhoto).status());
    assertEquals(1, mediaRows(spec, newId));
    MatrixUser.Download kept = member.download(newPhoto);
    assertEquals(200, kept.status());
    assertArrayEquals(recent, kept.bytes());
  }

  /** Rows of a local file in the server's own database. */
  private long mediaRows(InstanceSpec spec, String mediaId) throws Exception {
    return count(spec, "SELECT count(*) FROM local_media_repository WHERE media_id = ?", mediaId);
  }

  /** Where Synapse keeps a local file: {@code media/local_content/ab/cd/efgh…}. */
  private Path mediaFile(InstanceSpec spec, String mediaId) {
    Integer port =
        QuarkusTransaction.requiringNew()
            .call(() -> ((Instance) Instance.findById(spec.id())).localPort);
    return Path.of(runtime.placement(spec, port).dataDir())
        .resolve("media/local_content")
        .resolve(mediaId.substring(0, 2))
        .resolve(mediaId.substring(2, 4))
        .resolve(mediaId.substring(4));
  }

  /** Messages of a room whose text contains this, in the server's own database. */
  private long messages(InstanceSpec spec, String room, String text) throws Exception {
    return count(
        spec,
        "SELECT count(*) FROM events e JOIN event_json j ON j.event_id = e.event_id"
            + " WHERE e.room_id = ? AND e.type = 'm.room.message' AND j.json LIKE ?",
        room,
        "%" + text + "%");
  }

  /** A count read from the server's own database, read-only. */
  private long count(InstanceSpec spec, String sql, String... parameters) throws Exception {
    try (Connection c = databases.readOnly(spec.database().name());
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int n = 0; n < parameters.length; n++) {
        st.setString(n + 1, parameters[n]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
