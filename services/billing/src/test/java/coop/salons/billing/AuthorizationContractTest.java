package coop.salons.billing;

import static coop.salons.testing.AuthorizationContract.Caller.MEMBER;
import static coop.salons.testing.AuthorizationContract.Caller.OWNER;
import static coop.salons.testing.AuthorizationContract.Caller.PUBLIC;
import static coop.salons.testing.AuthorizationContract.Caller.SERVICE;
import static coop.salons.testing.AuthorizationContract.Caller.SIGNED_IN;
import static coop.salons.testing.AuthorizationContract.Caller.STAFF;
import static coop.salons.testing.Fixtures.addMember;
import static coop.salons.testing.Fixtures.as;
import static coop.salons.testing.Fixtures.organization;
import static coop.salons.testing.Fixtures.user;

import coop.salons.testing.AuthorizationContract;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every operation of the billing API's OpenAPI against every kind of stranger (see {@link
 * AuthorizationContract}): an operation added without a case here fails the build.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class AuthorizationContractTest implements coop.salons.testing.AuthorizationContractSuite {

  static TestUser owner;
  static TestUser admin;
  static TestUser member;
  static TestUser outsider;
  static String org;

  @BeforeEach
  void organisation() {
    if (org != null) {
      return;
    }
    owner = user("billing-contract-owner");
    admin = user("billing-contract-admin");
    member = user("billing-contract-member");
    outsider = user("billing-contract-outsider");
    org = organization(owner);
    addMember(org, owner, admin, "admin");
    addMember(org, owner, member, "member");
    organization(outsider);
  }

  @Override
  public AuthorizationContract contract() {
    Map<String, String> o = Map.of("org", org);
    String month = YearMonth.now().minusMonths(1).toString();
    Map<String, Object> claim = Map.of("quota", "instances", "key", "contract", "amount", 1);
    Map<String, Object> sample =
        Map.of(
            "organization", org,
            "instanceId", UUID.randomUUID().toString(),
            "hour", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS),
            "cpuMillicores", 500,
            "memoryMib", 1024,
            "storageMib", 2048,
            "activeMembers", 12);
    Map<String, Object> plan =
        Map.of(
            "id", "contract",
            "name", "Plan contract",
            "description", "For tests",
            "quotas",
                Map.of(
                    "instances", 2,
                    "members", 30,
                    "storageGb", 5,
                    "cpuMillicores", 500,
                    "memoryMib", 512),
            "price",
                Map.of("suggestedCents", 500, "minimumCents", 0, "solidaritySharePercent", 10));
    return new AuthorizationContract()
        .operation("GET", "/api/v1/plans", Map.of(), null, SIGNED_IN)
        .operation("GET", "/api/v1/plans/{id}", Map.of("id", "small"), null, SIGNED_IN)
        .operation("POST", "/api/v1/plans", Map.of(), plan, STAFF)
        .operation("PUT", "/api/v1/plans/{id}", Map.of("id", "small"), plan, STAFF)
        .operation(
            "POST", "/api/v1/usage-samples", Map.of(), Map.of("samples", List.of(sample)), SERVICE)
        .operation("GET", "/api/v1/organizations/{org}/statements", o, null, MEMBER)
        .operation(
            "GET",
            "/api/v1/organizations/{org}/statements/{month}",
            Map.of("org", org, "month", month),
            null,
            MEMBER)
        .operation("GET", "/api/v1/organizations/{org}/usage", o, null, MEMBER)
        .operation("GET", "/api/v1/organizations/{org}/subscription", o, null, MEMBER)
        .operation(
            "PUT",
            "/api/v1/organizations/{org}/subscription",
            o,
            Map.of("planId", "medium", "priceCents", 1000),
            OWNER)
        .operation("GET", "/api/v1/organizations/{org}/quotas", o, null, MEMBER)
        .operation(
            "GET",
            "/api/v1/transparency/{month}/organizations",
            Map.of("month", month),
            null,
            STAFF)
        .operation("POST", "/api/v1/statement-runs", Map.of(), Map.of("month", month), STAFF)
        .operation("GET", "/api/v1/quota-events", Map.of(), null, SERVICE)
        .operation(
            "POST",
            "/api/v1/quota-claim-groups",
            Map.of(),
            Map.of("groups", List.of(Map.of("organization", org, "claims", List.of(claim)))),
            SERVICE)
        .operation("POST", "/api/v1/organizations/{org}/quota-claims", o, claim, SERVICE)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/quota-claims/batch",
            o,
            Map.of("claims", List.of(claim)),
            SERVICE)
        .operation(
            "GET",
            "/api/v1/organizations/{org}/quota-claims/{quota}",
            Map.of("org", org, "quota", "instances"),
            null,
            SERVICE)
        .operation(
            "DELETE",
            "/api/v1/organizations/{org}/quota-claims/{quota}/{key}",
            Map.of("org", org, "quota", "members", "key", "member-" + owner.id()),
            null,
            SERVICE)
        .operation("GET", "/api/v1/transparency", Map.of(), null, PUBLIC);
  }

  @Override
  public Cast cast() {
    return new Cast(owner, admin, member, outsider);
  }

  @Override
  public String revokedAutomation() {
    return coop.salons.testing.Fixtures.revokedAutomationToken(
        owner, org, "/api/v1/organizations/" + org + "/subscription");
  }

  /** What the owner sees that a refused call could change. */
  @Override
  public String state() {
    return as(owner).get("/api/v1/organizations/" + org + "/subscription").asString()
        + as(owner).get("/api/v1/organizations/" + org + "/quotas").asString()
        + as(owner).get("/api/v1/plans").asString();
  }
}
