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
}
