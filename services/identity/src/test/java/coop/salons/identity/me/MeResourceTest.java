package coop.salons.identity.me;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Tokens from the real Keycloak realm are checked on the API. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class MeResourceTest {

  @Test
  void aSignedInUserSeesTheirProfile() {
    TestServers servers = TestServers.get();
    TestServers.TestUser alice = servers.user("alice");
    given()
        .auth()
        .oauth2(servers.token(alice))
        .when()
        .get("/api/v1/me")
        .then()
        .statusCode(200)
        .body("id", equalTo(alice.id()))
        .body("username", equalTo("alice"))
        .body("email", equalTo("alice@example.org"))
        .body("realm", equalTo("salons"));
  }

  @Test
  void anAnonymousCallerGetsAProblem() {
    given()
        .when()
        .get("/api/v1/me")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("status", equalTo(401))
        .body("type", equalTo("urn:salons:problem:unauthorized"));
  }

  @Test
  void aForgedTokenIsRefused() {
    String forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5IiwiaXNzIjoiZXZpbCJ9.c2lnbmF0dXJl";
    given()
        .auth()
        .oauth2(forged)
        .when()
        .get("/api/v1/me")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }
}
