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
 * Ceilings on what one account can make the platform do: it owns at most so many organisations
 * (here 2), and asks for at most so many an hour (here 3): beyond, 429 with Retry-After.
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
      return Map.of(
          "salons.identity.max-organizations-per-user",
          "2",
          "salons.rate-limits.enabled",
          "true",
          "salons.rate-limits.organizations-per-hour",
          "3");
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

  /** The fourth request of the hour is refused before anything is looked at, with when to retry. */
  @Test
  void aFourthRequestInTheHourWaits() {
    String user = "rate-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    for (int n = 0; n < 3; n++) {
      as(user)
          .body(Map.of("slug", slug("r" + n), "name", "R " + n))
          .post("/api/v1/organizations")
          .then()
          .statusCode(n < 2 ? 201 : 403); // the third: the ownership ceiling
    }
    as(user)
        .body(Map.of("slug", slug("r4"), "name", "R 4"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Retry-After", org.hamcrest.Matchers.matchesRegex("[1-9][0-9]*"))
        .body("type", equalTo("urn:salons:problem:rate-limited"));
  }
}
