package coop.salons.testing;

import static io.restassured.RestAssured.given;

import coop.salons.local.Service;
import coop.salons.testing.TestServers.TestUser;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/**
 * Organisations and members made through the real identity service (the membership feed then tells
 * the other services who may do what), and requests with real tokens from the real Keycloak.
 */
public class Fixtures {

  protected Fixtures() {}

  public static TestServers servers() {
    return TestServers.get();
  }

  public static TestUser user(String name) {
    return servers().user(name);
  }

  /** A request to this service as a user. */
  public static RequestSpecification as(TestUser user) {
    return given()
        .auth()
        .oauth2(servers().token(user))
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  /** A request to this service with a platform service's own account. */
  public static RequestSpecification asService(Service service) {
    return given()
        .auth()
        .oauth2(servers().serviceToken(service))
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  /** A new organisation owned by the user; answers its slug. */
  public static String organization(TestUser owner) {
    String slug = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    given()
        .baseUri(servers().identityUrl())
        .auth()
        .oauth2(servers().token(owner))
        .contentType(ContentType.JSON)
        .body(Map.of("slug", slug, "name", "Test " + slug))
        .post("/api/v1/organizations")
        .then()
        .statusCode(201);
    return slug;
  }

  /** Adds an existing user to an organisation with a role. */
  public static void addMember(String org, TestUser owner, TestUser member, String role) {
    given()
        .baseUri(servers().identityUrl())
        .auth()
        .oauth2(servers().token(owner))
        .contentType(ContentType.JSON)
        .body(Map.of("email", member.username() + "@example.org", "role", role))
        .post("/api/v1/organizations/" + org + "/members")
        .then()
        .statusCode(201);
  }

  /**
   * The token of an automation client of the organisation (an admin's role) that the owner made and
   * then revoked through identity: still signed and unexpired, a member of nothing. The service
   * under test learns the revocation from identity's feed: {@code probe} (a read of the
   * organisation's, answered 200 to a member) is asked until it refuses the token.
   */
  public static String revokedAutomationToken(TestUser owner, String org, String probe) {
    String clients = "/api/v1/organizations/" + org + "/automation-clients";
    io.restassured.path.json.JsonPath made =
        as(owner)
            .baseUri(servers().identityUrl())
            .body(Map.of("name", "Revoked script", "role", "admin"))
            .post(clients)
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String token =
        servers().clientCredentialsToken(made.getString("clientId"), made.getString("secret"));
    as(owner)
        .baseUri(servers().identityUrl())
        .delete(clients + "/" + made.getString("id"))
        .then()
        .statusCode(204);
    long until = System.currentTimeMillis() + 30_000;
    while (given().auth().oauth2(token).get(probe).statusCode() != 404) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("the revoked client is still let into " + probe);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return token;
  }
}
