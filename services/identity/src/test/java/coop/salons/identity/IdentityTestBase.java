package coop.salons.identity;

import static io.restassured.RestAssured.given;

import coop.salons.testing.TestServers;
import io.restassured.specification.RequestSpecification;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Users with real Keycloak tokens, and organisations made through the API, for identity tests. */
public abstract class IdentityTestBase {

  protected static final TestServers SERVERS = TestServers.get();

  /** A request as a user (created in the real realm if need be). */
  protected static RequestSpecification as(String username) {
    return given()
        .auth()
        .oauth2(SERVERS.token(SERVERS.user(username)))
        .contentType("application/json");
  }

  protected static String userId(String username) {
    return SERVERS.user(username).id();
  }

  /** A slug no other test uses. */
  protected static String slug(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  /** Creates an organisation owned by a user; answers its slug. */
  protected static String organizationOf(String owner, String base) {
    String slug = slug(base);
    as(owner)
        .body(Map.of("slug", slug, "name", "The " + base + " association"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(201);
    return slug;
  }

  /** Adds an existing user to an organisation with a role. */
  protected static void addMember(String owner, String slug, String username, String role) {
    SERVERS.user(username);
    as(owner)
        .body(Map.of("email", username + "@example.org", "role", role))
        .post("/api/v1/organizations/" + slug + "/members")
        .then()
        .statusCode(201);
  }

  /** The id of the organisation's Keycloak twin. */
  protected static String keycloakId(String slug) throws Exception {
    return SERVERS
        .admin()
        .get("/organizations?exact=true&search=" + slug)
        .get(0)
        .path("id")
        .asText();
  }
}
