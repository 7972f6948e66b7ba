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
 * Many accounts from one network address share one ceiling (here 3 creations an hour): making new
 * accounts does not get round the per-person limits. The address is the one the platform's proxy
 * forwards (a proxy on a local or cluster-internal address is believed).
 */
@QuarkusTest
@TestProfile(AddressLimitTest.ThreeAnAddress.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class AddressLimitTest extends IdentityTestBase {

  public static class ThreeAnAddress implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "salons.rate-limits.enabled", "true", "salons.rate-limits.per-address-per-hour", "3");
    }
  }

  @Test
  void aFourthAccountFromTheSameAddressWaits() {
    String forwarded = "203.0.113.7";
    for (int n = 0; n < 3; n++) {
      as("address-" + n + "-" + java.util.UUID.randomUUID().toString().substring(0, 6))
          .header("X-Forwarded-For", forwarded)
          .body(Map.of("slug", slug("addr" + n), "name", "A " + n))
          .post("/api/v1/organizations")
          .then()
          .statusCode(201);
    }
    as("address-4-" + java.util.UUID.randomUUID().toString().substring(0, 6))
        .header("X-Forwarded-For", forwarded)
        .body(Map.of("slug", slug("addr4"), "name", "A 4"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:rate-limited"))
        .body("detail", containsString("from one address"));
    // Someone else, behind another address, is not held back.
    as("address-5-" + java.util.UUID.randomUUID().toString().substring(0, 6))
        .header("X-Forwarded-For", "198.51.100.9")
        .body(Map.of("slug", slug("addr5"), "name", "A 5"))
        .post("/api/v1/organizations")
        .then()
        .statusCode(201);
  }
}
