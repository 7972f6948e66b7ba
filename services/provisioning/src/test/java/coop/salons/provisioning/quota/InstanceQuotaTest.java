package coop.salons.provisioning.quota;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.asService;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.local.Service;
import coop.salons.membership.MembershipFollower;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A creation that died after billing held its slot but before its own commit leaves a claim no
 * instance holds: the reconciler releases it once it is older than any creation in flight, and
 * never touches the claim of a live instance. Real billing, identity and Keycloak; the Kubernetes
 * stand-in (see {@link OnKubernetes}).
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class InstanceQuotaTest {

  @Inject InstanceQuota quota;
  @Inject MembershipFollower follower;

  private static int instancesUsed(TestUser owner, String org) {
    return as(owner)
        .baseUri(Fixture.servers().billingUrl())
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .statusCode(200)
        .extract()
        .path("find { it.quota == 'instances' }.used");
  }

  @Test
  void claimsNoInstanceHoldsAreReleasedOnceSettled() {
    TestUser ines = Fixture.user("iq-ines");
    TestUser jules = Fixture.user("iq-jules");
    String crashed = Fixture.organization(ines);
    String alive = Fixture.organization(jules);
    // The claim of a creation that never committed.
    asService(Service.PROVISIONING)
        .baseUri(Fixture.servers().billingUrl())
        .body(
            Map.of("quota", "instances", "key", InstanceQuota.key(UUID.randomUUID()), "amount", 1))
        .post("/api/v1/organizations/" + crashed + "/quota-claims")
        .then()
        .statusCode(201);
    // A live instance, whose claim provisioning made.
    as(jules)
        .body(Map.of("slug", "live", "flavour", "matrix", "plan", "small"))
        .post(path(alive))
        .then()
        .statusCode(202);
    follower.catchUp();
    assertEquals(1, instancesUsed(ines, crashed));
    assertEquals(1, instancesUsed(jules, alive));

    // Too young: it may be a creation still in flight.
    quota.reconcile(OffsetDateTime.now());
    assertEquals(1, instancesUsed(ines, crashed));

    // Settled: released; the live instance keeps its slot.
    assertTrue(quota.reconcile(OffsetDateTime.now().plusMinutes(11)) >= 1);
    assertEquals(0, instancesUsed(ines, crashed));
    assertEquals(1, instancesUsed(jules, alive));
    // The organisation can use its slot again.
    as(ines)
        .body(Map.of("slug", "again", "flavour", "matrix", "plan", "small"))
        .post(path(crashed))
        .then()
        .statusCode(202);
  }

  /** What billing holds for the instance, quota by quota. */
  private static Map<String, Integer> held(String org, UUID id) {
    Map<String, Integer> amounts = new java.util.TreeMap<>();
    for (String q : List.of("cpu-millicores", "memory-mib", "storage-gb")) {
      List<Map<String, Object>> claims =
          asService(Service.PROVISIONING)
              .baseUri(Fixture.servers().billingUrl())
              .get("/api/v1/organizations/" + org + "/quota-claims/" + q)
              .then()
              .statusCode(200)
              .extract()
              .path("claims");
      for (Map<String, Object> c : claims) {
        if (InstanceQuota.key(id).equals(c.get("key"))) {
          amounts.put(q, ((Number) c.get("amount")).intValue());
        }
      }
    }
    return amounts;
  }

  @Test
  void aPlanChangeRefusedAfterItsClaimGivesBillingTheOldSizeBack() {
    TestUser owner = Fixture.user("iq-resize");
    String org = Fixture.organization(owner);
    Fixture.onPlan(org, owner, "large", 2000);
    UUID id = Fixture.instance(owner, org, "talk", "mattermost", "small");
    Map<String, Integer> small =
        Map.of("cpu-millicores", 500, "memory-mib", 1024, "storage-gb", 10);
    assertEquals(small, held(org, id));

    // The plan "legacy" signs in through GitLab, which this Mattermost version no longer offers:
    // refused after billing held the new size, which must be given back.
    as(owner)
        .body(Map.of("plan", "legacy"))
        .patch(path(org) + "/talk")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    assertEquals(small, held(org, id));
    as(owner).get(path(org) + "/talk").then().statusCode(200).body("plan", equalTo("small"));

    // An accepted change holds the new size.
    as(owner).body(Map.of("plan", "medium")).patch(path(org) + "/talk").then().statusCode(202);
    Map<String, Integer> medium =
        Map.of("cpu-millicores", 1000, "memory-mib", 2048, "storage-gb", 50);
    assertEquals(medium, held(org, id));

    // Back to a smaller volume: refused before anything changes (a volume never shrinks).
    as(owner)
        .body(Map.of("plan", "small"))
        .patch(path(org) + "/talk")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("never shrink"));
    assertEquals(medium, held(org, id));
    as(owner).get(path(org) + "/talk").then().statusCode(200).body("plan", equalTo("medium"));
  }
}
