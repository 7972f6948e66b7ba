package coop.salons.provisioning.backup;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.ProvisioningConfig;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Leaving: an owner's exit bundle, fetched through its signed link, runs outside the platform. A
 * member writes through a real Synapse of the local runtime after signing in through the realm's
 * single sign-on; the bundle is downloaded without any token, unpacked, and run as its README's
 * "Without containers" steps say, on a PostgreSQL server of its own and a Synapse started from the
 * bundle's configuration, with the same server name: an administrator made as the README says gives
 * the member a password, and the member reads the same messages and downloads the same file.
 */
@QuarkusTest
@TestProfile(BackupIT.LocalRuntimeProfile.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class ExitBundleIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject ExitBundles exits;
  @Inject PgTools pg;
  @Inject ProvisioningConfig config;
  @Inject InstanceImports imports;
  @Inject InstanceSpecs specs;
  @Inject coop.salons.provisioning.database.TenantDatabases databases;

  @Test
  void anExitBundleRunsOutsideThePlatformWithTheSameServerName() throws Exception {
    TestUser owner = Fixture.user("odile-exit");
    TestUser admin = Fixture.user("oscar-exit");
    TestUser outsider = Fixture.user("olga-exit");
    String org = Fixture.organization(owner);
    Fixture.addMember(org, owner, admin, "admin");
    String elsewhere = Fixture.organization(outsider);
    as(owner)
        .body(Map.of("slug", "depart", "flavour", "matrix", "federation", "off"))
        .post(path(org))
        .then()
        .statusCode(202);
    String instance = path(org) + "/depart";
    String url = BackupIT.awaitState(owner, instance, "ready", Duration.ofMinutes(4));

    MatrixUser member;
    try (Browser browser = Browser.launch()) {
      member = MatrixUser.signIn(browser, url, admin, "oidc-salons");
    }
    String room = member.createRoom("partir", "Partir", "Ce que nous emportons", false);
    member.send(room, "Nous partons avec nos messages");
    byte[] statuts = new byte[120_000];
    new java.util.Random(11).nextBytes(statuts);
    String mxc = member.upload(statuts, "application/pdf", "statuts.pdf");
    member.sendFile(room, mxc, "statuts.pdf");

    String taken =
        as(admin).post(instance + "/backups").then().statusCode(202).extract().header("Location");
    Map<String, Object> backup = BackupIT.awaitDone(admin, taken, Duration.ofMinutes(3));
    assertEquals("done", backup.get("state"), backup.toString());
    String linkPath = instance + "/backups/" + backup.get("id") + "/exit-link";

    // Only owners get a link; another organisation's owner is not told the backup exists.
    as(admin).post(linkPath).then().statusCode(403).contentType("application/problem+json");
    as(outsider).post(linkPath.replace(org, elsewhere)).then().statusCode(404);
    as(outsider).post(linkPath).then().statusCode(404).contentType("application/problem+json");
    var link = as(owner).post(linkPath).then().statusCode(200).extract();
    String bundleUrl = link.path("url");
    assertTrue(bundleUrl.startsWith("/api/v1/exit-bundles/"), bundleUrl);
    assertTrue(
        java.time.OffsetDateTime.parse(link.path("expiresAt"))
            .isAfter(java.time.OffsetDateTime.now().plusHours(23)),
        link.asString());

    // A link changed in any way is unknown; an expired one says so. Nothing is sent.
    String token = bundleUrl.substring(bundleUrl.lastIndexOf('/') + 1);
    String forged = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    given()
        .get(bundleUrl.replace(token, forged))
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    String otherBackup = UUID.randomUUID() + token.substring(token.indexOf('.'));
    given().get("/api/v1/exit-bundles/" + otherBackup).then().statusCode(404);
    InstanceBackup b =
        QuarkusTransaction.requiringNew()
            .call(() -> InstanceBackup.findById(UUID.fromString((String) backup.get("id"))));
    String expired = exits.link(b, Duration.ofSeconds(-5)).token();
    given()
        .get("/api/v1/exit-bundles/" + expired)
        .then()
        .statusCode(410)
        .contentType("application/problem+json");

    // The bundle, fetched with the link alone, as whoever installs the server would.
    Path outside = Files.createTempDirectory("salons-exit-it");
    Path tar = outside.resolve("bundle.tar");
    var download = given().get(bundleUrl).then().statusCode(200).extract();
    assertTrue(
        download.header("Content-Disposition").contains(".tar"),
        download.header("Content-Disposition"));
    try (InputStream in = download.asInputStream()) {
      Files.copy(in, tar);
    }
    run(outside, "tar", "-xf", tar.toString());
    Path folder;
    try (var list = Files.list(outside)) {
      folder = list.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    JsonNode manifest = JSON.readTree(folder.resolve("manifest.json").toFile());
    assertEquals("salons-exit/1", manifest.path("format").asText());
    String serverName = manifest.path("serverName").asText();
    assertEquals(member.userId().substring(member.userId().indexOf(':') + 1), serverName);
    for (JsonNode f : manifest.path("files")) {
      Path file = folder.resolve(f.path("name").asText());
      assertEquals(
          f.path("sha256").asText(),
          ExitBundles.sha256(Files.readAllBytes(file)),
          "checksum of " + file.getFileName());
    }
    String readme = Files.readString(folder.resolve("README.md"));
    assertTrue(readme.contains("register_new_matrix_user"), readme);
    assertTrue(readme.contains(serverName), readme);
    String compose = Files.readString(folder.resolve("compose.yaml"));
    assertTrue(compose.contains("ghcr.io/element-hq/synapse:v"), compose);
    // The platform's own secrets stay behind: no sign-in client, no platform database password.
    String homeserver = Files.readString(folder.resolve("homeserver.yaml"));
    assertTrue(
        !homeserver.contains("oidc_providers") && !homeserver.contains("passfile"), homeserver);
    Matcher password = Pattern.compile("POSTGRES_PASSWORD: \"?([0-9a-f]+)\"?").matcher(compose);
    assertTrue(password.find(), compose);

    // Run outside the platform, as the README says, with the same server name.
    try (SelfHosted server = SelfHosted.postgres(folder, pg.bin())) {
      server.restore("synapse", password.group(1));
      Path venv = Path.of(config.local().synapseVenv());
      String base = server.startSynapse(venv, password.group(1));
      MatrixUser.awaitHealthy(base);
      String health = health(base);
      assertEquals("OK", health, server.synapseLog());
      server.registerAdmin(venv, "admin", "un-mot-de-passe-admin");
      MatrixUser administrator = MatrixUser.withPassword(base, "admin", "un-mot-de-passe-admin");
      assertEquals("@admin:" + serverName, administrator.userId());
      var set =
          administrator.call(
              "PUT",
              "/_synapse/admin/v2/users/" + enc(member.userId()),
              JSON.createObjectNode()
                  .put("password", "le-mot-de-passe-de-oscar")
                  .put("logout_devices", false));
      assertEquals(200, set.status(), set.toString());

      MatrixUser again =
          MatrixUser.withPassword(base, localpart(member.userId()), "le-mot-de-passe-de-oscar");
      assertEquals(member.userId(), again.userId(), "the same account, the same server name");
      List<String> bodies = again.messages(room).stream().map(MatrixUser.Message::body).toList();
      assertTrue(bodies.contains("Nous partons avec nos messages"), bodies.toString());
      assertTrue(bodies.contains("statuts.pdf"), bodies.toString());
      MatrixUser.Download file = again.download(mxc);
      assertEquals(200, file.status(), server.synapseLog());
      assertArrayEquals(statuts, file.bytes());
    }

    // Arriving: a tampered bundle is refused before anything is made.
    Path tampered = outside.resolve("tampered");
    Files.createDirectories(tampered);
    run(outside, "cp", "-r", folder.toString(), tampered.toString());
    Path copy = tampered.resolve(folder.getFileName());
    byte[] dump = Files.readAllBytes(copy.resolve("database.dump"));
    dump[dump.length / 2] ^= 1;
    Files.write(copy.resolve("database.dump"), dump);
    run(tampered, "tar", "-cf", "bad.tar", folder.getFileName().toString());
    com.sun.net.httpserver.HttpServer serving =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    serving.createContext(
        "/bad.tar",
        exchange -> {
          byte[] body = Files.readAllBytes(tampered.resolve("bad.tar"));
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    serving.start();
    try {
      String refused =
          as(owner)
              .body(
                  Map.of(
                      "slug",
                      "abime",
                      "bundleUrl",
                      "http://127.0.0.1:" + serving.getAddress().getPort() + "/bad.tar"))
              .post("/api/v1/organizations/" + org + "/instance-imports")
              .then()
              .statusCode(202)
              .extract()
              .header("Location");
      Map<String, Object> failed = BackupIT.awaitDone(owner, refused, Duration.ofMinutes(2));
      assertEquals("failed", failed.get("state"), failed.toString());
      assertEquals("checking", failed.get("step"), failed.toString());
      assertTrue(String.valueOf(failed.get("error")).contains("checksum"), failed.toString());
      as(owner).get(path(org) + "/abime").then().statusCode(404);
    } finally {
      serving.stop(0);
      InstanceBackups.deleteQuietly(outside);
    }
    // Only owners bring a server in; a link that is not one gets a clear refusal.
    as(admin)
        .body(Map.of("slug", "retour", "bundleUrl", "https://salons.example.org" + bundleUrl))
        .post("/api/v1/organizations/" + org + "/instance-imports")
        .then()
        .statusCode(403);
    as(owner)
        .body(Map.of("slug", "retour", "bundleUrl", "ftp://example.org/bundle.tar"))
        .post("/api/v1/organizations/" + org + "/instance-imports")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");

    // The round trip: the association leaves (the instance deleted and purged), then comes back
    // with its bundle, as a new instance with the same server name.
    as(owner).delete(instance).then().statusCode(202);
    UUID departed =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    coop.salons.provisioning.instance.Instance
                        .<coop.salons.provisioning.instance.Instance>find(
                            "organizationSlug = ?1 and slug = 'depart'", org)
                        .firstResult()
                        .id);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                coop.salons.provisioning.instance.Instance.update(
                    "deletionDueAt = ?1, nextAttemptAt = ?1 where id = ?2",
                    java.time.OffsetDateTime.now().minusSeconds(1),
                    departed));
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    String state = "";
    while (System.nanoTime() < deadline && !"deleted".equals(state)) {
      Thread.sleep(500);
      state =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      ((coop.salons.provisioning.instance.Instance)
                              coop.salons.provisioning.instance.Instance.findById(departed))
                          .state);
    }
    assertEquals("deleted", state);
    String importing =
        as(owner)
            .body(
                Map.of(
                    "slug",
                    "retour",
                    "displayName",
                    "De retour",
                    "bundleUrl",
                    "https://salons.example.org" + bundleUrl))
            .post("/api/v1/organizations/" + org + "/instance-imports")
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    Map<String, Object> imported = BackupIT.awaitDone(owner, importing, Duration.ofMinutes(8));
    assertEquals("done", imported.get("state"), imported.toString());
    assertEquals(serverName, imported.get("serverName"));
    String back = BackupIT.awaitState(owner, path(org) + "/retour", "ready", Duration.ofMinutes(2));

    // Users are linked to the organisation's members by email: the member's link taken away (as
    // on a server that never knew the platform), the mapping puts it back from their address.
    coop.salons.provisioning.model.InstanceSpec retour =
        specs.specOf(
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        coop.salons.provisioning.instance.Instance
                            .<coop.salons.provisioning.instance.Instance>find(
                                "organizationSlug = ?1 and slug = 'retour' and state <> 'deleted'",
                                org)
                            .firstResult()
                            .id));
    String linkedTo;
    try (java.sql.Connection c = databases.open(retour.database().name())) {
      linkedTo = externalId(c, member.userId());
      assertTrue(linkedTo != null, "the member's account has no link to the realm");
      try (var st = c.prepareStatement("DELETE FROM user_external_ids WHERE user_id = ?")) {
        st.setString(1, member.userId());
        assertEquals(1, st.executeUpdate());
      }
      assertEquals(1, imports.mapByEmail(retour, org), "one account linked by its email");
      assertEquals(linkedTo, externalId(c, member.userId()));
      assertEquals(0, imports.mapByEmail(retour, org), "never linked twice");
    }

    // The member signs in through the realm's single sign-on, as the same account, and reads.
    MatrixUser returned;
    try (Browser browser = Browser.launch()) {
      returned = MatrixUser.signIn(browser, back, admin, "oidc-salons");
    }
    assertEquals(member.userId(), returned.userId());
    List<String> after = returned.messages(room).stream().map(MatrixUser.Message::body).toList();
    assertTrue(after.contains("Nous partons avec nos messages"), after.toString());
    MatrixUser.Download again = returned.download(mxc);
    assertEquals(200, again.status());
    assertArrayEquals(statuts, again.bytes());
  }

  /** The realm account a server's user is linked to, or null. */
  private static String externalId(java.sql.Connection c, String userId) throws Exception {
    try (var st =
        c.prepareStatement(
            "SELECT external_id FROM user_external_ids WHERE user_id = ?"
                + " AND auth_provider = 'oidc-salons'")) {
      st.setString(1, userId);
      try (var rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static String health(String base) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    return http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String localpart(String userId) {
    return userId.substring(1, userId.indexOf(':'));
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
  }
}
