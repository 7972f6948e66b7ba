package coop.salons.identity.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the identity API against every kind of stranger: an anonymous caller (401), a
 * member of another organisation (404: the organisation is not theirs to know of), a member whose
 * role is too low (403). Refused calls change nothing.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class AuthorizationMatrixTest extends IdentityTestBase {

  static String org;
  static String target;

  /** An endpoint: how to call it, and the least role it needs in the organisation. */
  record Endpoint(
      String name,
      String minimumRole,
      Function<RequestSpecification, io.restassured.response.Response> call) {}

  @BeforeEach
  void organisations() {
    if (org != null) {
      return;
    }
    org = organizationOf("owner-a", "matrix");
    addMember("owner-a", org, "admin-a", "admin");
    addMember("owner-a", org, "member-a", "member");
    addMember("owner-a", org, "target-a", "member");
    organizationOf("owner-b", "elsewhere");
    target = userId("target-a");
  }

  static List<Endpoint> endpoints() {
    String o = "/api/v1/organizations/" + org;
    return List.of(
        new Endpoint("read the organisation", "member", r -> r.get(o)),
        new Endpoint("rename it", "admin", r -> r.body(Map.of("name", "Hijacked")).patch(o)),
        new Endpoint("delete it", "owner", r -> r.delete(o)),
        new Endpoint("restore it", "owner", r -> r.post(o + "/restore")),
        new Endpoint("list members", "member", r -> r.get(o + "/members")),
        new Endpoint("read a member", "member", r -> r.get(o + "/members/" + target)),
        new Endpoint(
            "add a member",
            "admin",
            r -> r.body(Map.of("email", "owner-b@example.org")).post(o + "/members")),
        new Endpoint(
            "change a role",
            "admin",
            r -> r.body(Map.of("role", "admin")).put(o + "/members/" + target + "/role")),
        new Endpoint("remove a member", "admin", r -> r.delete(o + "/members/" + target)),
        new Endpoint("list identity providers", "admin", r -> r.get(o + "/identity-providers")),
        new Endpoint(
            "read an identity provider", "admin", r -> r.get(o + "/identity-providers/ours")),
        new Endpoint(
            "add an identity provider",
            "owner",
            r ->
                r.body(
                        Map.of(
                            "name", "ours",
                            "kind", "saml",
                            "displayName", "Ours",
                            "metadataUrl",
                                SERVERS.keycloakUrl() + "/realms/master/protocol/saml/descriptor",
                            "domain", org + ".example.org"))
                    .post(o + "/identity-providers")),
        new Endpoint(
            "remove an identity provider", "owner", r -> r.delete(o + "/identity-providers/ours")));
  }

  @Test
  void anonymousCallersGet401Everywhere() {
    for (Endpoint e : endpoints()) {
      e.call()
          .apply(given().contentType("application/json"))
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }
    given().get("/api/v1/organizations").then().statusCode(401);
    given()
        .contentType("application/json")
        .body(Map.of("slug", slug("anon"), "name", "x"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(401);
    given().get("/api/v1/me").then().statusCode(401);
  }

  @Test
  void membersOfAnotherOrganisationGet404Everywhere() {
    for (Endpoint e : endpoints()) {
      e.call().apply(as("owner-b")).then().statusCode(404).contentType("application/problem+json");
    }
    unchanged();
  }

  @Test
  void aRoleTooLowGets403() {
    for (Endpoint e : endpoints()) {
      if (e.minimumRole().equals("admin") || e.minimumRole().equals("owner")) {
        e.call()
            .apply(as("member-a"))
            .then()
            .statusCode(403)
            .contentType("application/problem+json");
      }
      if (e.minimumRole().equals("owner")) {
        e.call()
            .apply(as("admin-a"))
            .then()
            .statusCode(403)
            .contentType("application/problem+json");
      }
    }
    unchanged();
  }

  @Test
  void theRightRoleIsLetIn() {
    for (Endpoint e : endpoints()) {
      if (e.minimumRole().equals("member")) {
        e.call().apply(as("member-a")).then().statusCode(200);
      }
    }
  }

  private static void unchanged() {
    as("owner-a")
        .get("/api/v1/organizations/" + org)
        .then()
        .body("name", equalTo("The matrix association"))
        .body("memberCount", equalTo(4))
        .body("deletionScheduledAt", equalTo(null));
    as("owner-a")
        .get("/api/v1/organizations/" + org + "/identity-providers")
        .then()
        .statusCode(200)
        .body("$", hasSize(0));
    as("owner-a")
        .get("/api/v1/organizations/" + org + "/members/" + target)
        .then()
        .body("role", equalTo("member"));
  }
}
