package coop.salons.identity.organization;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One person owns at most so many organisations (here 2): the next is refused with the reason, and
 * nothing of it is made; someone else still creates theirs.
 */
@QuarkusTest
@TestProfile(OrganizationLimitTest.TwoEach.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class OrganizationLimitTest extends IdentityTestBase {

  public static class TwoEach implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("salons.identity.max-organizations-per-user", "2");
    }
  }

  @Test
  void aThirdOrganisationIsRefused() {
    String user = "limit-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    for (int n = 0; n < 2; n++) {
      as(user)
          .body(Map.of("slug", slug("mine" + n), "name", "Mine " + n))
          .post("/api/v1/organizations")
          .then()
          .statusCode(201);
    }
    String third = slug("third");
    as(user)
        .body(Map.of("slug", third, "name", "One too many"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:organization-limit"))
        .body("detail", containsString("(2)"));
    as(user).get("/api/v1/organizations/" + third).then().statusCode(404);
    String other = "limit-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    as(other)
        .body(Map.of("slug", third, "name", "Someone else's"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(201);
  }
}
