package coop.salons.provisioning.quota;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.asService;
import static coop.salons.provisioning.Fixture.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.local.Service;
import coop.salons.membership.MembershipFollower;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.KubernetesStandIn;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A creation that died after billing held its slot but before its own commit leaves a claim no
 * instance holds: the reconciler releases it once it is older than any creation in flight, and
 * never touches the claim of a live instance. Real billing, identity and Keycloak; the Kubernetes
 * stand-in (see {@link KubernetesStandIn}).
 */
@QuarkusTest
@TestProfile(KubernetesStandIn.class)
@WithKubernetesTestServer(crud = true)
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
}
