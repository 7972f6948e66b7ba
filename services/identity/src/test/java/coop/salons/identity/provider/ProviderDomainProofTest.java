package coop.salons.identity.provider;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.Dnsmasq;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * An organisation's email domain is proven by a DNS TXT record before its members are sent to its
 * own identity provider (docs/adr/0031), looked up on a real DNS server ({@link Dnsmasq}):
 * mail-proven.example.net holds the proof, mail-waiting.example.net holds nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = Dnsmasq.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class ProviderDomainProofTest extends IdentityTestBase {

  @Inject ProviderService providers;

  private static String add(String org, String name, String domain) {
    return as("proof-owner")
        .body(ProviderResourceTest.oidc(name, domain))
        .post("/api/v1/organizations/" + org + "/identity-providers")
        .then()
        .statusCode(201)
        .body("domainProven", equalTo(false))
        .extract()
        .path("domainProof.value");
  }

  /** The proof value the DNS server holds, given to the provider as if it had been drawn. */
  private static void proofIs(String alias, String value) throws Exception {
    ObjectNode p = (ObjectNode) SERVERS.admin().get("/identity-provider/instances/" + alias);
    ((ObjectNode) p.path("config")).put("salons.domain-proof", value);
    SERVERS.admin().put("/identity-provider/instances/" + alias, p);
  }

  @Test
  void membersAreSentToTheProviderOnlyOnceTheDomainIsProven() throws Exception {
    String org = organizationOf("proof-owner", "proof");
    String path = "/api/v1/organizations/" + org + "/identity-providers/";
    add(org, "ours", "mail-proven.example.net");
    add(org, "waiting", "mail-waiting.example.net");
    proofIs(org + "-ours", Dnsmasq.PROOF);
    try {
      // Not proven yet: members of the domain are not sent to it.
      JsonNode before = SERVERS.admin().get("/identity-provider/instances/" + org + "-ours");
      assertEquals(
          "false",
          before.path("config").path("kc.org.broker.redirect.mode.email-matches").asText());

      // An admin may not ask; the owner asks, DNS holds the value: proven.
      addMember("proof-owner", org, "proof-admin", "admin");
      as("proof-admin").post(path + "ours/domain-check").then().statusCode(403);
      as("proof-owner")
          .post(path + "ours/domain-check")
          .then()
          .statusCode(200)
          .body("domainProven", equalTo(true))
          .body("domainProof", nullValue());
      JsonNode after = SERVERS.admin().get("/identity-provider/instances/" + org + "-ours");
      assertEquals(
          "true", after.path("config").path("kc.org.broker.redirect.mode.email-matches").asText());
      JsonNode domains = SERVERS.admin().get("/organizations/" + keycloakId(org)).path("domains");
      boolean verified = false;
      for (JsonNode d : domains) {
        if ("mail-proven.example.net".equals(d.path("name").asText())) {
          verified = d.path("verified").asBoolean();
        }
      }
      assertTrue(verified, domains.toString());

      // The other domain holds no record: still waiting, the record still shown; the periodic
      // check leaves it so too.
      as("proof-owner")
          .post(path + "waiting/domain-check")
          .then()
          .statusCode(200)
          .body("domainProven", equalTo(false))
          .body("domainProof.value", notNullValue());
      providers.checkWaitingDomains();
      as("proof-owner").get(path + "waiting").then().body("domainProven", equalTo(false));
    } finally {
      as("proof-owner").delete(path + "ours");
      as("proof-owner").delete(path + "waiting");
    }
  }

  @Test
  void thePeriodicCheckProvesWhatDnsShows() throws Exception {
    String org = organizationOf("proof-owner", "periodic");
    String path = "/api/v1/organizations/" + org + "/identity-providers/";
    add(org, "ours", "mail-proven.example.net");
    proofIs(org + "-ours", Dnsmasq.PROOF);
    try {
      assertTrue(providers.checkWaitingDomains() >= 1);
      as("proof-owner").get(path + "ours").then().body("domainProven", equalTo(true));
    } finally {
      as("proof-owner").delete(path + "ours");
    }
  }
}
