package coop.salons.identity.automation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An organisation's automation clients against the real realm: a script's client credentials get a
 * token that acts with the client's role in that organisation only; owners alone manage them;
 * rotation and revocation take effect at once.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class AutomationClientTest extends IdentityTestBase {

  @Test
  void aScriptActsWithItsRoleInItsOrganisationOnlyUntilRevoked() {
    String slug = organizationOf("olga", "robots");
    addMember("olga", slug, "adam", "admin");
    String elsewhere = organizationOf("owner-b", "elsewhere");
    String clients = "/api/v1/organizations/" + slug + "/automation-clients";
    Map<String, String> body = Map.of("name", "Nightly export", "role", "admin");

    // Only owners make them; an outsider does not learn the organisation exists.
    as("adam").body(body).post(clients).then().statusCode(403);
    as("owner-b").body(body).post(clients).then().statusCode(404);
    as("olga")
        .body(Map.of("name", "<script>", "role", "owner"))
        .post(clients)
        .then()
        .statusCode(400)
        .contentType("application/problem+json");

    JsonPath made =
        as("olga")
            .body(body)
            .post(clients)
            .then()
            .statusCode(201)
            .body("clientId", startsWith("automation-" + slug + "-"))
            .body("secret", notNullValue())
            .body("tokenUrl", endsWith("/realms/salons/protocol/openid-connect/token"))
            .extract()
            .jsonPath();
    String id = made.getString("id");
    String clientId = made.getString("clientId");
    String token = SERVERS.clientCredentialsToken(clientId, made.getString("secret"));

    // It acts as an admin of its organisation, and nowhere else, and makes no organisation.
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/organizations/" + slug)
        .then()
        .statusCode(200)
        .body("role", equalTo("admin"))
        .body("memberCount", equalTo(2));
    given().auth().oauth2(token).get("/api/v1/organizations/" + elsewhere).then().statusCode(404);
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("slug", slug("robot-made"), "name", "Robot made"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post(clients)
        .then()
        .statusCode(403);

    // Listed with its last use, never its secret; it is no member of the members' list.
    as("olga")
        .get(clients)
        .then()
        .statusCode(200)
        .body("[0].name", equalTo("Nightly export"))
        .body("[0].lastUsedAt", notNullValue())
        .body("[0]", not(hasKey("secret")));
    as("olga")
        .get("/api/v1/organizations/" + slug + "/members")
        .then()
        .body("items.size()", equalTo(2));

    // A new secret: the old one no longer gets a token.
    String secret =
        as("olga")
            .post(clients + "/" + id + "/secret")
            .then()
            .statusCode(200)
            .extract()
            .path("secret");
    assertThrows(
        RuntimeException.class,
        () -> SERVERS.clientCredentialsToken(clientId, made.getString("secret")));
    String fresh = SERVERS.clientCredentialsToken(clientId, secret);

    // Revoked: the token it still holds opens nothing.
    as("olga").delete(clients + "/" + id).then().statusCode(204);
    given().auth().oauth2(fresh).get("/api/v1/organizations/" + slug).then().statusCode(404);
    as("olga").get(clients).then().body("size()", equalTo(0));
    assertThrows(RuntimeException.class, () -> SERVERS.clientCredentialsToken(clientId, secret));
  }
}
