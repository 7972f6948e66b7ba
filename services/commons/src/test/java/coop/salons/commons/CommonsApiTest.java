package coop.salons.commons;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.commons.room.Room;
import coop.salons.commons.theme.Theme;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The themes and rooms API on the real commons server: what anyone reads, what members of an
 * association open (a few a day), what the hoster adds and archives; and every bad input refused
 * with a problem+json that names it, with nothing stored.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class CommonsApiTest extends Fixtures {

  private static final String ROOMS = "/api/v1/commons/rooms";
  private static final String THEMES = "/api/v1/commons/themes";

  @Test
  void theFirstThemesAreSeededAndPublic() {
    given()
        .get(THEMES)
        .then()
        .statusCode(200)
        .body("items.slug", hasItem("climat"))
        .body(
            "items.find { it.slug == 'education-populaire' }.nameFr",
            equalTo("Éducation populaire"))
        .body("items.find { it.slug == 'climat' }.nameEn", equalTo("Climate"));
    given().get(THEMES + "/logement").then().statusCode(200).header("ETag", notNullValue());
    given().get(THEMES + "/nope").then().statusCode(404).contentType("application/problem+json");
    // each theme has its own room, listed first
    given()
        .queryParam("theme", "climat")
        .get(ROOMS)
        .then()
        .statusCode(200)
        .body("items[0].alias", equalTo("climat"))
        .body("items[0].main", equalTo(true));
  }

  @Test
  void aMemberOpensARoomAndTheHosterArchivesIt() {
    TestUser member = user("commons-opener");
    organization(member);
    String alias = "fresque-" + UUID.randomUUID().toString().substring(0, 8);
    String id =
        as(member)
            .header("Idempotency-Key", "open-" + alias)
            .body(Map.of("theme", "climat", "alias", alias, "name", "Fresque du climat"))
            .post(ROOMS)
            .then()
            .statusCode(202)
            .header("Location", notNullValue())
            .body("state", equalTo("requested"))
            .extract()
            .path("id");
    // A replay answers the same room, and opens no second one.
    as(member)
        .header("Idempotency-Key", "open-" + alias)
        .body(Map.of("theme", "climat", "alias", alias, "name", "Fresque du climat"))
        .post(ROOMS)
        .then()
        .statusCode(202)
        .body("id", equalTo(id));
    assertEquals(1L, count("alias", alias));

    // Made on the real commons server, listed with its address.
    String state = await(id, "open");
    assertEquals("open", state);
    given()
        .get(ROOMS + "/" + id)
        .then()
        .body("address", org.hamcrest.Matchers.startsWith("#" + alias + ":localhost:"))
        .body("matrixTo", org.hamcrest.Matchers.startsWith("https://matrix.to/#/%23" + alias));

    // Members cannot archive; the hoster can, and the room leaves the lists.
    as(member).post(ROOMS + "/" + id + "/archive").then().statusCode(403);
    TestUser hoster = servers().operator("commons-hoster");
    as(hoster).post(ROOMS + "/" + id + "/archive").then().statusCode(202);
    assertEquals("archived", await(id, "archived"));
    List<String> listed = given().queryParam("theme", "climat").get(ROOMS).path("items.alias");
    assertFalse(listed.contains(alias), listed.toString());
    List<String> archived =
        given()
            .queryParam("theme", "climat")
            .queryParam("archived", true)
            .get(ROOMS)
            .path("items.alias");
    assertTrue(archived.contains(alias), archived.toString());
  }

  @Test
  void badInputIsRefusedAndNothingIsStored() {
    TestUser member = user("commons-careless");
    organization(member);
    long before = count("openedBy is not null");
    refused(member, Map.of("theme", "astrologie", "alias", "astro", "name", "Astro"), "theme");
    refused(
        member,
        Map.of("theme", "climat", "alias", "xss-room", "name", "<script>alert(1)</script>"),
        "name");
    refused(
        member,
        Map.of(
            "theme",
            "climat",
            "alias",
            "xss-topic",
            "name",
            "Sujet",
            "topic",
            "<img src=x onerror=alert(1)>"),
        "topic");
    refused(member, Map.of("theme", "climat", "alias", "long", "name", "n".repeat(81)), "name");
    refused(
        member,
        Map.of("theme", "climat", "alias", "long-topic", "name", "Sujet", "topic", "t".repeat(501)),
        "topic");
    refused(member, Map.of("theme", "climat", "alias", "Bad Alias!", "name", "Sujet"), "alias");
    refused(member, Map.of("theme", "climat", "alias", "ok-alias"), "name");
    // an alias that is taken (a theme's own room)
    as(member)
        .body(Map.of("theme", "climat", "alias", "climat", "name", "Encore le climat"))
        .post(ROOMS)
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    assertEquals(before, count("openedBy is not null"));

    // Themes: markup and over-long names are refused too, for the hoster as for anyone.
    TestUser hoster = servers().operator("commons-hoster");
    as(hoster)
        .body(Map.of("slug", "html", "nameFr", "<b>Gras</b>", "nameEn", "Bold"))
        .post(THEMES)
        .then()
        .statusCode(400)
        .body("violations.field", hasItem(org.hamcrest.Matchers.endsWith("nameFr")));
    as(hoster)
        .body(Map.of("slug", "climat", "nameFr", "Climat", "nameEn", "Climate"))
        .post(THEMES)
        .then()
        .statusCode(409);
    as(hoster)
        .header("If-Match", "\"999\"")
        .body(Map.of("nameEn", "Weather"))
        .patch(THEMES + "/climat")
        .then()
        .statusCode(412);
    given().get(THEMES + "/climat").then().body("nameEn", equalTo("Climate"));
    assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Theme.count("slug", "html")));
  }

  @Test
  void onlyMembersOfAnAssociationOpenRoomsAndOnlyAFewADay() {
    TestUser loner = user("commons-loner"); // a platform user of no association
    as(loner)
        .body(Map.of("theme", "culture", "alias", "loner-room", "name", "Seul"))
        .post(ROOMS)
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    as(loner).get(ROOMS + "/abilities").then().body("member", equalTo(false));

    TestUser eager = user("commons-eager");
    organization(eager);
    String prefix = "eager-" + UUID.randomUUID().toString().substring(0, 6);
    for (int n = 0; n < 3; n++) {
      as(eager)
          .body(Map.of("theme", "culture", "alias", prefix + "-" + n, "name", "Salon " + n))
          .post(ROOMS)
          .then()
          .statusCode(202);
    }
    as(eager)
        .body(Map.of("theme", "culture", "alias", prefix + "-3", "name", "Salon de trop"))
        .post(ROOMS)
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("limit", equalTo(3));
    assertEquals(0L, count("alias", prefix + "-3"));
    as(eager)
        .get(ROOMS + "/abilities")
        .then()
        .body("canOpenRoom", equalTo(false))
        .body("roomsOpenedToday", equalTo(3));
  }

  @Test
  void organisationsChooseTheirThemes() {
    TestUser owner = user("commons-themes-owner");
    String org = organization(owner);
    TestUser outsider = user("commons-themes-outsider");
    organization(outsider);
    String path = "/api/v1/organizations/" + org + "/themes";
    as(owner)
        .body(Map.of("themes", List.of("climat", "logement")))
        .put(path)
        .then()
        .statusCode(200)
        .body("themes", equalTo(List.of("climat", "logement")));
    as(owner)
        .body(Map.of("themes", List.of("climat", "astrologie")))
        .put(path)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    as(outsider).get(path).then().statusCode(404);
    as(outsider).body(Map.of("themes", List.of())).put(path).then().statusCode(404);
    as(owner)
        .get(path)
        .then()
        .statusCode(200)
        .body("themes", equalTo(List.of("climat", "logement")));
  }

  private static void refused(TestUser who, Map<String, Object> body, String field) {
    as(who)
        .body(body)
        .post(ROOMS)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("violations.field", hasItem(org.hamcrest.Matchers.endsWith(field)));
  }

  private static long count(String query, Object... params) {
    return QuarkusTransaction.requiringNew().call(() -> Room.count(query, params));
  }

  /** Waits for the room to reach a state on the server (the sync runs every second here). */
  private static String await(String id, String wanted) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    String state = null;
    while (System.nanoTime() < deadline) {
      state = given().get(ROOMS + "/" + id).path("state");
      if (wanted.equals(state)) {
        return state;
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return state + " (" + given().get(ROOMS + "/" + id).asString() + ")";
  }
}
