package coop.salons.billing;

import static coop.salons.testing.Fixtures.addMember;
import static coop.salons.testing.Fixtures.as;
import static coop.salons.testing.Fixtures.asService;
import static coop.salons.testing.Fixtures.organization;
import static coop.salons.testing.Fixtures.servers;
import static coop.salons.testing.Fixtures.user;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.local.Service;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The real identity service claims members' slots from this billing service before it adds someone,
 * gives them back when they leave, and deletes an organisation only when no instance holds its
 * instances quota: identity's half of the quota API, tested here because billing is built after
 * identity.
 */
@QuarkusTest
class MemberQuotaTest {

  static final TestUser OWNER = user("mq-owner");
  static final TestUser ANNE = user("mq-anne");
  static final TestUser BRUNO = user("mq-bruno");
  static final TestUser KEEPER = user("mq-keeper");
  static final TestUser OPERATOR = servers().operator("mq-operator");

  static int membersUsed(String org) {
    return membersUsedBy(OWNER, org);
  }

  @Test
  void identityClaimsAMembersSlotBeforeAddingAndGivesItBack() {
    twoMembersPlan();
    String org = organization(OWNER);
    // The owner holds the first slot from the organisation's creation on.
    assertEquals(1, membersUsed(org));
    as(OWNER)
        .body(Map.of("planId", "two-members", "priceCents", 0))
        .put("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(200);

    addMember(org, OWNER, ANNE, "member");
    assertEquals(2, membersUsed(org));

    // The plan is full: identity passes billing's refusal on, and adds no one.
    String identity = servers().identityUrl();
    String members = "/api/v1/organizations/" + org + "/members";
    as(OWNER)
        .baseUri(identity)
        .body(Map.of("email", BRUNO.username() + "@example.org", "role", "member"))
        .post(members)
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:quota-exceeded"))
        .body("quota", equalTo("members"))
        .body("limit", equalTo(2))
        .body("excess", equalTo(1));
    // An invitation to someone without an account is refused the same way.
    as(OWNER)
        .baseUri(identity)
        .body(Map.of("email", "nobody-yet@example.org", "role", "member"))
        .post(members)
        .then()
        .statusCode(403)
        .body("quota", equalTo("members"));
    assertEquals(2, membersUsed(org));

    // Anne leaves: her slot is free again, and Bruno can join.
    as(OWNER).baseUri(identity).delete(members + "/" + ANNE.id()).then().statusCode(204);
    assertEquals(1, membersUsed(org));
    addMember(org, OWNER, BRUNO, "member");
    assertEquals(2, membersUsed(org));
  }

  @Test
  void aPendingInvitationHoldsASlotUntilItsLinkExpires() throws Exception {
    twoMembersPlan();
    String org = organization(OWNER);
    as(OWNER)
        .body(Map.of("planId", "two-members", "priceCents", 0))
        .put("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(200);
    String identity = servers().identityUrl();
    String members = "/api/v1/organizations/" + org + "/members";
    String invited = org + "-invited@example.org";
    as(OWNER).baseUri(identity).body(Map.of("email", invited)).post(members).then().statusCode(202);
    assertEquals(2, membersUsed(org), "the owner and the pending invitation");
    // The plan is full: a second invitation is refused; the same one again holds nothing more.
    as(OWNER)
        .baseUri(identity)
        .body(Map.of("email", org + "-second@example.org"))
        .post(members)
        .then()
        .statusCode(403)
        .body("quota", equalTo("members"));
    as(OWNER).baseUri(identity).body(Map.of("email", invited)).post(members).then().statusCode(202);
    assertEquals(2, membersUsed(org));
    // Once Keycloak no longer holds the invitation (expired, or withdrawn by the realm's admin as
    // here), the operators' reconciliation lets the slot go; a claim younger than 30 s is left
    // alone (it may be on its way to Keycloak).
    String keycloakOrg =
        servers().admin().get("/organizations?exact=true&search=" + org).get(0).path("id").asText();
    for (var invitation : servers().admin().get("/organizations/" + keycloakOrg + "/invitations")) {
      servers()
          .admin()
          .delete(
              "/organizations/" + keycloakOrg + "/invitations/" + invitation.path("id").asText());
    }
    Thread.sleep(31_000);
    as(OPERATOR)
        .baseUri(identity)
        .post("/api/v1/quota-reconciliations")
        .then()
        .statusCode(200)
        .body("released", greaterThanOrEqualTo(1));
    assertEquals(1, membersUsed(org));
  }

  private static void twoMembersPlan() {
    as(OPERATOR)
        .body(
            Map.of(
                "id",
                "two-members",
                "name",
                "Two members",
                "quotas",
                Map.of(
                    "instances", 1,
                    "members", 2,
                    "storageGb", 1,
                    "cpuMillicores", 100,
                    "memoryMib", 128),
                "price",
                Map.of("suggestedCents", 0, "minimumCents", 0, "solidaritySharePercent", 0)))
        .post("/api/v1/plans"); // 201, or 409 when an earlier run made it
  }

  @Test
  void identityDeletesAnOrganisationOnlyWhenNoInstanceIsLeft() {
    String org = organization(KEEPER);
    String claims = "/api/v1/organizations/" + org + "/quota-claims";
    // Provisioning holds the slot of an instance until it purges it.
    asService(Service.PROVISIONING)
        .body(Map.of("quota", "instances", "key", "instance-kept", "amount", 1))
        .post(claims)
        .then()
        .statusCode(201);
    asService(Service.IDENTITY)
        .get(claims + "/instances")
        .then()
        .statusCode(200)
        .body("used", equalTo(1));
    // Other callers may not read the claims.
    as(KEEPER).get(claims + "/instances").then().statusCode(403);

    String identity = servers().identityUrl();
    String path = "/api/v1/organizations/" + org;
    as(KEEPER)
        .baseUri(identity)
        .delete(path)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:organization-has-instances"))
        .body("instances", equalTo(1));
    // Nothing changed: no deletion is scheduled.
    as(KEEPER)
        .baseUri(identity)
        .get(path)
        .then()
        .statusCode(200)
        .body("deletionScheduledAt", equalTo(null));

    // The instance is purged: its slot is released, and the organisation can go.
    asService(Service.PROVISIONING)
        .delete(claims + "/instances/instance-kept")
        .then()
        .statusCode(204);
    as(KEEPER).baseUri(identity).delete(path).then().statusCode(202);
  }

  @Inject EntityManager em;

  static int membersUsedBy(TestUser owner, String org) {
    return as(owner)
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .statusCode(200)
        .extract()
        .path("find { it.quota == 'members' }.used");
  }

  @Test
  void identityReconcilesMembersClaimsOnAnOperatorsRequest() {
    TestUser owner = user("mq-rec-owner");
    TestUser cleo = user("mq-cleo");
    String org = organization(owner);
    addMember(org, owner, cleo, "member");
    assertEquals(2, membersUsedBy(owner, org));
    String claims = "/api/v1/organizations/" + org + "/quota-claims";
    // A claim left by an addition that failed an hour ago...
    String stale = "member-" + UUID.randomUUID();
    asService(Service.IDENTITY)
        .body(Map.of("quota", "members", "key", stale, "amount", 1))
        .post(claims)
        .then()
        .statusCode(201);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "UPDATE quota_claim SET created_at = now() - interval '1 hour'"
                            + " WHERE organization_slug = ?1 AND claim_key = ?2")
                    .setParameter(1, org)
                    .setParameter(2, stale)
                    .executeUpdate());
    // ...and a member whose slot was lost (billing away when they joined).
    asService(Service.IDENTITY)
        .delete(claims + "/members/" + "member-" + cleo.id())
        .then()
        .statusCode(204);
    assertEquals(2, membersUsedBy(owner, org));

    String identity = servers().identityUrl();
    String path = "/api/v1/quota-reconciliations";
    as(owner).baseUri(identity).post(path).then().statusCode(403);
    io.restassured.RestAssured.given().baseUri(identity).post(path).then().statusCode(401);
    as(OPERATOR)
        .baseUri(identity)
        .post(path)
        .then()
        .statusCode(200)
        .body("released", greaterThanOrEqualTo(1))
        .body("claimed", greaterThanOrEqualTo(1));
    asService(Service.IDENTITY)
        .get(claims + "/members")
        .then()
        .statusCode(200)
        .body("claims.key", containsInAnyOrder("member-" + owner.id(), "member-" + cleo.id()));
  }
}
