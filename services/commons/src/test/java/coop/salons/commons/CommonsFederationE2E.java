package coop.salons.commons;

import static io.restassured.RestAssured.given;
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

      // 4. A server that is not on the platform is refused by the commons server and by an
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
