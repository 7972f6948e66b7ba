package coop.salons.commons;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.local.LocalLayout;
import coop.salons.testing.Browser;
import coop.salons.testing.Fixtures;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.MatrixUser.Answer;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.StrangerSynapse;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The commons as people live it, on real servers: the commons server and two associations' servers
 * are three real Synapses that the real provisioning service runs on this machine (federating over
 * TLS from the CA its local runtime made), each signing its users in through the real Keycloak's
 * login form in a real Chromium; the thematic room "Climat" is the one this service made on the
 * commons server. A fourth Synapse, not on the platform, is refused by both kinds of server.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class CommonsFederationE2E extends Fixtures {

  /** The first Synapse of a fresh machine waits for its virtualenv (a minute or more). */
  private static final Duration PATIENCE = Duration.ofMinutes(6);

  @Test
  void associationsMeetInAThematicRoomThatBelongsToNone() throws Exception {
    String provisioning = servers().provisioningUrl();
    TestUser ada = user("ada-commons");
    TestUser bea = user("bea-commons");
    TestUser cyd = user("cyd-commons"); // a platform user of no Matrix association
    String orgA = organization(ada);
    String orgB = organization(bea);
    matrixInstance(provisioning, ada, orgA);
    matrixInstance(provisioning, bea, orgB);
    String urlA = awaitReady(provisioning, ada, orgA);
    String urlB = awaitReady(provisioning, bea, orgB);

    // The commons server runs, and its "Climat" room is made and listed.
    JsonPath climat = awaitRoom("climat");
    String address = climat.getString("address");
    JsonPath commons = given().get("/api/v1/commons").then().statusCode(200).extract().jsonPath();
    assertTrue(commons.getBoolean("ready"), commons.prettify());
    assertTrue(address.endsWith(":" + commons.getString("serverName")), address);
    String commonsUrl = commons.getString("homeserverUrl");

    try (Browser browser = Browser.launch()) {
      // 1. Ada, signed in to her association's own server, joins "Climat" over federation.
      MatrixUser adaOnA = MatrixUser.signIn(browser, urlA, ada, "oidc-salons");
      assertTrue(adaOnA.userId().startsWith("@ada-commons:localhost:"), adaOnA.userId());
      String room = adaOnA.join(address, PATIENCE);
      adaOnA.send(room, "Bonjour de l'association A : on lance une fresque du climat.");

      // 2. Bea, on association B's server, joins the same room, reads Ada, answers; Ada reads it.
      MatrixUser beaOnB = MatrixUser.signIn(browser, urlB, bea, "oidc-salons");
      assertEquals(room, beaOnB.join(address, PATIENCE));
      MatrixUser.Message seen =
          beaOnB.awaitMessage(
              room, "Bonjour de l'association A : on lance une fresque du climat.", PATIENCE);
      assertEquals(adaOnA.userId(), seen.sender());
      beaOnB.send(room, "Super ! L'association B en organise une aussi, faisons-la ensemble.");
      assertEquals(
          beaOnB.userId(),
          adaOnA
              .awaitMessage(
                  room,
                  "Super ! L'association B en organise une aussi, faisons-la ensemble.",
                  PATIENCE)
              .sender());

      // 3. Cyd, of no Matrix association, signs in to the commons server with their platform
      //    account, joins "Climat" and reads both messages.
      MatrixUser cydOnCommons = MatrixUser.signIn(browser, commonsUrl, cyd, "oidc-salons");
      assertEquals(room, cydOnCommons.join(address, PATIENCE));
      List<String> read =
          cydOnCommons.messages(room).stream().map(MatrixUser.Message::body).toList();
      assertTrue(
          read.containsAll(
              List.of(
                  "Bonjour de l'association A : on lance une fresque du climat.",
                  "Super ! L'association B en organise une aussi, faisons-la ensemble.")),
          read.toString());

      // 4. The directory: Ada, owner of A, publishes a room of A's server; Bea finds it by
      //    searching, joins it from B and writes in it.
      directory(adaOnA, beaOnB, ada, bea, orgA, orgB);

      // 5. A server that is not on the platform is refused by the commons server and by an
      //    association's platform-only server, through the Matrix API.
      String roomOnA = adaOnA.createPublicRoom("salon-a", "Le salon de A");
      Path tls = LocalLayout.projectRoot().resolve("target/commons-e2e/instances/tls");
      Path python =
          Path.of(System.getProperty("user.home"), ".cache/salons/synapse-1.163.2/bin/python");
      try (StrangerSynapse stranger =
          StrangerSynapse.start(python, tls, Path.of("target/stranger-synapse"))) {
        MatrixUser eve = stranger.register("eve");
        Answer toCommons = eve.tryJoin(address);
        assertNotEquals(200, toCommons.status(), "the commons let a stranger in: " + toCommons);
        Answer toCommonsById = eve.tryJoin(room, commons.getString("serverName"));
        assertEquals(403, toCommonsById.status(), toCommonsById.toString());
        assertTrue(
            toCommonsById.body().path("error").asText().startsWith("Federation denied"),
            toCommonsById.toString());
        Answer toA =
            eve.tryJoin(roomOnA, adaOnA.userId().substring(adaOnA.userId().indexOf(':') + 1));
        assertEquals(403, toA.status(), "A let a stranger in: " + toA);
        assertTrue(
            toA.body().path("error").asText().startsWith("Federation denied"), toA.toString());
        System.out.printf(
            "Refusals seen by the stranger: commons %d %s, commons by id %d %s, A %d %s%n",
            toCommons.status(),
            toCommons.body(),
            toCommonsById.status(),
            toCommonsById.body(),
            toA.status(),
            toA.body());
        // and nobody of the room sees the stranger among its members
        assertTrue(
            cydOnCommons.messages(room).stream().noneMatch(m -> m.sender().equals(eve.userId())));
      }
    }
  }

  private static final String DIRECTORY = "/api/v1/commons/directory";

  private static void directory(
      MatrixUser adaOnA, MatrixUser beaOnB, TestUser ada, TestUser bea, String orgA, String orgB) {
    String listings = "/api/v1/organizations/" + orgA + "/listings";
    String server = adaOnA.userId().substring(adaOnA.userId().indexOf(':') + 1);
    String fresque =
        adaOnA.createRoom(
            "fresque",
            "Fresque du climat <script>alert(1)</script>",
            "Ateliers de la fresque à Lyon, chaque mois",
            true);
    String hidden = adaOnA.createRoom("bureau", "Bureau", "Le bureau de l'association", false);
    String secret = adaOnA.createRoom("secret", "Coin discret", "noindex, entre nous", true);

    // What the admin may pick: the rooms of A's public room list, those saying noindex marked.
    JsonPath candidates =
        as(ada).get(listings + "/candidates").then().statusCode(200).extract().jsonPath();
    assertTrue(candidates.getList("roomId").contains(fresque), candidates.prettify());
    assertTrue(!candidates.getList("roomId").contains(hidden), candidates.prettify());
    assertEquals(
        Boolean.TRUE,
        candidates.getBoolean("find { it.roomId == '" + secret + "' }.noindex"),
        candidates.prettify());

    // Bad input: a clear problem+json each time, and nothing stored.
    Map<String, Object> good =
        Map.of(
            "room",
            fresque,
            "themes",
            List.of("climat"),
            "descriptionFr",
            "Des ateliers pour comprendre le dérèglement climatique.",
            "language",
            "fr");
    badPublish(ada, listings, with(good, "themes", List.of("astrologie")), "themes");
    badPublish(ada, listings, with(good, "descriptionFr", "<b>gras</b>"), "descriptionFr");
    badPublish(ada, listings, with(good, "descriptionFr", "x".repeat(501)), "descriptionFr");
    badPublish(ada, listings, with(good, "language", "de"), "language");
    String roomOfB = beaOnB.createRoom("jardin", "Jardin partagé", "Le jardin de B", true);
    badPublish(ada, listings, with(good, "room", roomOfB), "room");
    String serverB = beaOnB.userId().substring(beaOnB.userId().indexOf(':') + 1);
    badPublish(ada, listings, with(good, "room", "#jardin:" + serverB), "room");
    badPublish(ada, listings, with(good, "room", "pas une adresse"), "room");
    badPublish(ada, listings, with(good, "room", hidden), "room");
    badPublish(ada, listings, with(good, "room", secret), "room");
    as(bea).body(good).post(listings).then().statusCode(404);
    as(ada).get(listings).then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));

    // Published; after a refresh (asked at once by the organisation) it is found by a French
    // word it does not contain as such, and the theme's own room of the commons by an English
    // one without its accents.
    String id = as(ada).body(good).post(listings).then().statusCode(201).extract().path("id");
    as(ada).post(listings + "/refresh").then().statusCode(200);
    JsonPath found = search("climatique", null);
    assertTrue(found.getList("items.id").contains(id), found.prettify());
    found.setRootPath("items.find { it.id == '" + id + "' }");
    assertEquals("#fresque:" + server, found.getString("address"));
    assertEquals(orgA, found.getString("organization"));
    assertEquals(List.of("climat"), found.getList("themes"));
    JsonPath education = search("education", null);
    assertTrue(
        education.getList("items.name").stream()
            .anyMatch(n -> String.valueOf(n).startsWith("Éducation populaire")),
        education.prettify());
    JsonPath typo = search("fresqe", "climat");
    assertEquals(id, typo.getString("items[0].id"), "a small typo forgiven: " + typo.prettify());
    // Only the themes asked for: "velo" finds nothing on the climate.
    assertEquals(List.of(), search("velo", "climat").getList("items"));
    // The feeds: JSON is the search itself; Atom escapes what the server's room name holds.
    String atom =
        given()
            .queryParam("theme", "climat")
            .get(DIRECTORY + "/feed.atom")
            .then()
            .statusCode(200)
            .contentType("application/atom+xml")
            .extract()
            .asString();
    assertTrue(atom.contains("Fresque du climat &lt;script&gt;"), atom);

    // Bea, on B's server, joins it from what the directory says and writes; Ada reads it.
    String joined = beaOnB.join(found.getString("address"), PATIENCE);
    assertEquals(fresque, joined);
    beaOnB.send(joined, "B anime aussi des fresques : on mutualise ?");
    assertEquals(
        beaOnB.userId(),
        adaOnA
            .awaitMessage(joined, "B anime aussi des fresques : on mutualise ?", PATIENCE)
            .sender());

    // B's neighbours: A, which works on the climate too (B chose the theme).
    as(bea)
        .body(Map.of("themes", List.of("climat")))
        .put("/api/v1/organizations/" + orgB + "/themes")
        .then()
        .statusCode(200);
    as(bea)
        .get("/api/v1/organizations/" + orgB + "/neighbours")
        .then()
        .statusCode(200)
        .body("organization", org.hamcrest.Matchers.hasItem(orgA));

    // Bea asked for the weekly digest: this week's names A's new room and A, new on the climate.
    as(bea)
        .body(Map.of("subscribed", true, "language", "fr"))
        .put("/api/v1/commons/digest")
        .then()
        .statusCode(200)
        .body("subscribed", equalTo(true))
        .body("email", equalTo(bea.username() + "@example.org"));
    as(bea)
        .body(Map.of("subscribed", true, "language", "de"))
        .put("/api/v1/commons/digest")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    as(bea).post("/api/v1/commons/digest/send").then().statusCode(403);
    TestUser operator = servers().operator("hoster-digest");
    java.time.Instant sending = java.time.Instant.now().minusSeconds(1);
    as(operator).post("/api/v1/commons/digest/send").then().statusCode(200);
    String mail =
        servers()
            .mailTo(bea.username() + "@example.org", sending)
            .orElseThrow(() -> new AssertionError("no digest for Bea"))
            .replace("=\r\n", "")
            .replace("=\n", "");
    assertTrue(mail.contains("Fresque du climat"), mail);
    assertTrue(mail.contains("#fresque:" + server), mail);
    assertTrue(mail.contains("- " + orgA + " "), "A, new on the theme: " + mail);

    // A room made private on its server leaves at the next refresh; so does one unpublished.
    String atelier = adaOnA.createRoom("atelier", "Atelier vélo", "Réparer ensemble", true);
    String atelierId =
        as(ada)
            .body(with(with(good, "room", atelier), "themes", List.of("mobilites")))
            .post(listings)
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    adaOnA.setPublished(atelier, false);
    as(ada).post(listings + "/refresh").then().statusCode(200);
    assertTrue(!search("velo", null).getList("items.id").contains(atelierId), "private: gone");
    as(ada)
        .delete(listings + "/" + id)
        .then()
        .statusCode(200)
        .body("state", equalTo("unpublished"));
    assertTrue(!search("climatique", null).getList("items.id").contains(id), "unpublished: gone");
    String after =
        given().get(DIRECTORY + "/feed.atom").then().statusCode(200).extract().asString();
    assertTrue(!after.contains(id) && !after.contains(atelierId), after);
  }

  private static JsonPath search(String q, String theme) {
    var request = given().queryParam("q", q);
    if (theme != null) {
      request.queryParam("theme", theme);
    }
    return request.get(DIRECTORY).then().statusCode(200).extract().jsonPath();
  }

  private static void badPublish(
      TestUser who, String path, Map<String, Object> body, String field) {
    as(who)
        .body(body)
        .post(path)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body(
            "violations.field",
            org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString(field)));
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> copy = new java.util.HashMap<>(base);
    copy.put(key, value);
    return copy;
  }

  private static void matrixInstance(String provisioning, TestUser owner, String org) {
    as(owner)
        .baseUri(provisioning)
        .body(Map.of("slug", "chat", "flavour", "matrix", "federation", "platform-only"))
        .post("/api/v1/organizations/" + org + "/instances")
        .then()
        .statusCode(202);
  }

  private static String awaitReady(String provisioning, TestUser owner, String org)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonPath view = null;
    while (System.nanoTime() < deadline) {
      view =
          as(owner)
              .baseUri(provisioning)
              .get("/api/v1/organizations/" + org + "/instances/chat")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if ("ready".equals(view.getString("state"))) {
        return view.getString("url");
      }
      assertNotEquals("failed", view.getString("state"), view.prettify());
      Thread.sleep(500);
    }
    throw new AssertionError("not ready: " + (view == null ? "?" : view.prettify()));
  }

  /** The theme's own room once the commons server has it. */
  private static JsonPath awaitRoom(String theme) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonPath rooms = null;
    while (System.nanoTime() < deadline) {
      rooms =
          given()
              .queryParam("theme", theme)
              .get("/api/v1/commons/rooms")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if ("open".equals(rooms.getString("items[0].state"))) {
        return new JsonPath(rooms.prettify()).setRootPath("items[0]");
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the room of " + theme + " was not made: " + rooms.prettify());
  }
}
