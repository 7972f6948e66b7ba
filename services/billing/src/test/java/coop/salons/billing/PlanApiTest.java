package coop.salons.billing;

import static coop.salons.testing.Fixtures.as;
import static coop.salons.testing.Fixtures.servers;
import static coop.salons.testing.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Plans: seeded from the file, read by everyone signed in, written by the hoster only. */
@QuarkusTest
class PlanApiTest {

  static final TestUser OPERATOR = servers().operator("billing-operator");
  static final TestUser VOLUNTEER = user("billing-volunteer");

  static Map<String, Object> plan(String id, long suggested, long minimum) {
    return Map.of(
        "id",
        id,
        "name",
        "Plan " + id,
        "description",
        "For tests",
        "quotas",
        Map.of(
            "instances", 2, "members", 30, "storageGb", 5, "cpuMillicores", 500, "memoryMib", 512),
        "price",
        Map.of("suggestedCents", suggested, "minimumCents", minimum, "solidaritySharePercent", 10));
  }

  static String newId() {
    return "p" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void theSeededPlansAreOnOffer() {
    as(VOLUNTEER)
        .get("/api/v1/plans")
        .then()
        .statusCode(200)
        .body("items.id", hasItems("small", "medium", "large"))
        .body("items.find { it.id == 'small' }.price.minimumCents", equalTo(0))
        .body("items.find { it.id == 'small' }.quotas.instances", equalTo(1))
        .body("items.find { it.id == 'small' }.currency", equalTo("EUR"));
  }

  @Test
  void plansNeedASignedInCaller() {
    given().get("/api/v1/plans").then().statusCode(401);
  }

  @Test
  void onlyTheHosterWritesPlans() {
    as(VOLUNTEER)
        .body(plan(newId(), 500, 0))
        .post("/api/v1/plans")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    as(VOLUNTEER).body(plan("small", 1, 0)).put("/api/v1/plans/small").then().statusCode(403);
  }

  @Test
  void theHosterCreatesChangesAndRetiresAPlan() {
    String id = newId();
    String etag =
        as(OPERATOR)
            .body(plan(id, 800, 200))
            .post("/api/v1/plans")
            .then()
            .statusCode(201)
            .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/plans/" + id))
            .body("price.suggestedCents", equalTo(800))
            .extract()
            .header("ETag");
    as(OPERATOR)
        .header("If-Match", etag)
        .body(plan(id, 900, 300))
        .put("/api/v1/plans/" + id)
        .then()
        .statusCode(200)
        .body("price.suggestedCents", equalTo(900));
    // The ETag read before the change is stale now.
    as(OPERATOR)
        .header("If-Match", etag)
        .body(plan(id, 1000, 300))
        .put("/api/v1/plans/" + id)
        .then()
        .statusCode(412);
    as(OPERATOR).body(plan(id, 800, 200)).post("/api/v1/plans").then().statusCode(409);

    Map<String, Object> retired = new java.util.HashMap<>(plan(id, 900, 300));
    retired.put("available", false);
    as(OPERATOR).body(retired).put("/api/v1/plans/" + id).then().statusCode(200);
    as(VOLUNTEER).get("/api/v1/plans").then().body("items.id", not(hasItem(id)));
    as(VOLUNTEER).get("/api/v1/plans/" + id).then().statusCode(404);
    as(OPERATOR).get("/api/v1/plans").then().body("items.id", hasItem(id));
  }

  @Test
  void badPlansAreRefusedAndNothingIsStored() {
    String id = newId();
    as(OPERATOR)
        .body(plan(id, 100, 200))
        .post("/api/v1/plans")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("violations.field", hasItem("price.minimumCents"));
    as(OPERATOR).get("/api/v1/plans/" + id).then().statusCode(404);
    as(OPERATOR)
        .body(plan("Bad_Id'; DROP TABLE plan;--", 100, 0))
        .post("/api/v1/plans")
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("id"));
    as(OPERATOR)
        .body(plan(newId(), -5, 0))
        .post("/api/v1/plans")
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("price.suggestedCents"));
    Map<String, Object> absurd = new java.util.HashMap<>(plan(newId(), 100, 0));
    absurd.put(
        "quotas",
        Map.of(
            "instances",
            100000,
            "members",
            -1,
            "storageGb",
            5,
            "cpuMillicores",
            1,
            "memoryMib",
            1));
    as(OPERATOR)
        .body(absurd)
        .post("/api/v1/plans")
        .then()
        .statusCode(400)
        .body("violations.field", hasItems("quotas.instances", "quotas.members"));
    Map<String, Object> control = new java.util.HashMap<>(plan(newId(), 100, 0));
    control.put("name", "evil\nname: injected");
    as(OPERATOR).body(control).post("/api/v1/plans").then().statusCode(400);
  }
}
