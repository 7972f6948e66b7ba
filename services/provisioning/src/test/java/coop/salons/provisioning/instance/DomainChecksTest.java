package coop.salons.provisioning.instance;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.Dnsmasq;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Custom domains looked up on a real DNS server ({@link Dnsmasq}) holding the platform's wildcard
 * record and what three associations did with their domains: each instance's {@code DomainPointed}
 * condition tells its owners whether the domain leads to the platform, and which record is missing.
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
@QuarkusTestResource(value = Dnsmasq.class, restrictToAnnotatedClass = true)
class DomainChecksTest {

  @Inject DomainChecks checks;

  /** An organisation of its own with one Matrix instance at {@code domain}; answers the org. */
  private static String instanceAt(TestUser owner, String domain) {
    String org = Fixture.organization(owner);
    as(owner)
        .body(Map.of("slug", "chat", "flavour", "matrix", "customDomain", domain))
        .post(path(org))
        .then()
        .statusCode(202)
        .body("conditions.find { it.type == 'DomainPointed' }.status", equalTo("Unknown"));
    return org;
  }

  private static ValidatableResponse domainCondition(TestUser who, String org) {
    return as(who)
        .get(path(org) + "/chat")
        .then()
        .statusCode(200)
        .body(
            "conditions.find { it.type == 'DomainPointed' }.lastTransitionTime",
            not(equalTo(null)));
  }

  @Test
  void eachDomainIsToldWhetherItLeadsToThePlatformAndWhatIsMissing() {
    TestUser owner = Fixture.user("dns-owner");
    String byAddress = instanceAt(owner, "by-address.example.net");
    String byCname = instanceAt(owner, "by-cname.example.net");
    String elsewhere = instanceAt(owner, "elsewhere.example.net");
    String nowhere = instanceAt(owner, "nowhere.example.net");

    assertTrue(checks.checkDue() >= 4);

    // The same address as the platform's names, and a CNAME to one of them: pointed.
    domainCondition(owner, byAddress)
        .body("conditions.find { it.type == 'DomainPointed' }.status", equalTo("True"))
        .body("conditions.find { it.type == 'DomainPointed' }.reason", equalTo("Pointed"));
    domainCondition(owner, byCname)
        .body("conditions.find { it.type == 'DomainPointed' }.status", equalTo("True"));
    // Another address, and a name that does not exist: the record to create is named.
    domainCondition(owner, elsewhere)
        .body("conditions.find { it.type == 'DomainPointed' }.status", equalTo("False"))
        .body("conditions.find { it.type == 'DomainPointed' }.reason", equalTo("NotPointed"))
        .body(
            "conditions.find { it.type == 'DomainPointed' }.message",
            containsString(
                "create the record elsewhere.example.net. CNAME chat."
                    + elsewhere
                    + ".chat.example.org."));
    domainCondition(owner, nowhere)
        .body("conditions.find { it.type == 'DomainPointed' }.status", equalTo("False"));
  }

  @Test
  void anAdminAsksForALookUpNowAndTheAnswerChangesTheEtag() {
    TestUser owner = Fixture.user("dns-asker");
    TestUser admin = Fixture.user("dns-admin");
    String org = instanceAt(owner, "www.by-address.example.net");
    Fixture.addMember(org, owner, admin, "admin");
    String before = as(owner).get(path(org) + "/chat").then().extract().header("ETag");
    String pointed =
        as(admin)
            .post(path(org) + "/chat/domain-check")
            .then()
            .statusCode(200)
            .header("ETag", not(equalTo(before)))
            .body("conditions.find { it.type == 'DomainPointed' }.status", equalTo("True"))
            .extract()
            .header("ETag");
    // Asked again, the same answer: nothing the API says changed, nor its ETag.
    as(admin)
        .post(path(org) + "/chat/domain-check")
        .then()
        .statusCode(200)
        .header("ETag", equalTo(pointed));

    // An instance without a custom domain has nothing to look up.
    String plain = Fixture.organization(owner);
    as(owner)
        .body(Map.of("slug", "chat", "flavour", "matrix"))
        .post(path(plain))
        .then()
        .statusCode(202)
        .body("conditions.type", not(hasItem("DomainPointed")));
    as(owner)
        .post(path(plain) + "/chat/domain-check")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
  }

  @jakarta.inject.Inject coop.salons.provisioning.supervisor.Reconciler reconciler;
  @jakarta.inject.Inject coop.salons.provisioning.supervisor.PlatformServers platformServers;
  @jakarta.inject.Inject io.agroal.api.AgroalDataSource dataSource;

  @Test
  void aDomainCountsOnlyOnceItsTxtRecordProvesIt() throws Exception {
    TestUser owner = Fixture.user("dns-prover");
    String proven = instanceAt(owner, "proven.example.net");
    String wrong = instanceAt(owner, "wrong.example.net");
    // Each instance is told the record to create, with a value of its own.
    String record =
        as(owner)
            .get(path(proven) + "/chat")
            .then()
            .body("domainProof.record", equalTo("_salons-proof.proven.example.net"))
            .body("domainProof.provenAt", equalTo(null))
            .body("conditions.find { it.type == 'DomainProven' }.status", equalTo("False"))
            .body("conditions.find { it.type == 'DomainProven' }.reason", equalTo("AwaitingProof"))
            .extract()
            .path("domainProof.value");
    String other = as(owner).get(path(wrong) + "/chat").then().extract().path("domainProof.value");
    assertTrue(record.startsWith("salons-proof=") && !record.equals(other), record + " " + other);
    // Unproven: no route, no certificate, in no federation list.
    assertFalse(spec(proven).routed());
    assertFalse(platformServers.live().contains("proven.example.net"));

    // The association publishes the value (here: DNS holds the value the test gives the row).
    try (var c = dataSource.getConnection();
        var st =
            c.prepareStatement(
                "UPDATE instance SET domain_proof = ? WHERE organization_slug = ? AND slug = 'chat'")) {
      st.setString(1, coop.salons.testing.Dnsmasq.PROOF);
      st.setString(2, proven);
      st.executeUpdate();
    }
    long generation =
        as(owner).get(path(proven) + "/chat").then().extract().jsonPath().getLong("generation");
    checks.checkDue();
    as(owner)
        .get(path(proven) + "/chat")
        .then()
        .body("domainProof.provenAt", not(equalTo(null)))
        .body("conditions.find { it.type == 'DomainProven' }.status", equalTo("True"))
        .body("generation", equalTo((int) generation + 1));
    assertTrue(spec(proven).routed());
    assertTrue(platformServers.live().contains("proven.example.net"));
    // A TXT record with another value proves nothing.
    as(owner)
        .get(path(wrong) + "/chat")
        .then()
        .body("conditions.find { it.type == 'DomainProven' }.status", equalTo("False"));
    assertFalse(spec(wrong).routed());
    assertFalse(platformServers.live().contains("wrong.example.net"));
  }

  private coop.salons.provisioning.model.InstanceSpec spec(String org) {
    return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .call(
            () ->
                reconciler.spec(
                    Instance.<Instance>find("organizationSlug = ?1 and slug = 'chat'", org)
                        .firstResult()));
  }
}
