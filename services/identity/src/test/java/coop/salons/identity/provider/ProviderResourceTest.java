package coop.salons.identity.provider;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An organisation brings its own identity provider. The providers here are real: the same
 * Keycloak's {@code master} realm serves as an outside OpenID Connect provider (its discovery
 * document) and as a SAML one (its metadata), over plain http on localhost, which these tests allow
 * ({@code providers-allow-local}); production refuses local and private addresses (checked below
 * without the network).
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class ProviderResourceTest extends IdentityTestBase {

  static final String SECRET = "broker-secret-" + UUID.randomUUID();

  static String discovery() {
    return SERVERS.keycloakUrl() + "/realms/master/.well-known/openid-configuration";
  }

  static String metadata() {
    return SERVERS.keycloakUrl() + "/realms/master/protocol/saml/descriptor";
  }

  static String domainFor(String slug) {
    return slug + ".example.org";
  }

  static Map<String, Object> oidc(String name, String domain) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("kind", "oidc");
    body.put("displayName", "Our accounts");
    body.put("discoveryUrl", discovery());
    body.put("clientId", "salons-broker");
    body.put("clientSecret", SECRET);
    body.put("domain", domain);
    return body;
  }

  static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
    Map<String, Object> copy = new HashMap<>(body);
    copy.put(key, value);
    return copy;
  }

  static JsonNode keycloakProvider(String alias) throws Exception {
    return SERVERS.admin().get("/identity-provider/instances/" + alias);
  }

  @Test
  void anOwnerAddsAnOpenIdConnectProviderAndItsSecretNeverComesBack() throws Exception {
    String org = organizationOf("idp-owner", "brokered");
    String path = "/api/v1/organizations/" + org + "/identity-providers";
    String domain = domainFor(org);

    String answer =
        as("idp-owner")
            .header("Idempotency-Key", "add-" + org)
            .body(oidc("partner", domain))
            .post(path)
            .then()
            .statusCode(201)
            .header("Location", endsWith(path + "/partner"))
            .body("kind", equalTo("oidc"))
            .body("domain", equalTo(domain))
            .body("clientId", equalTo("salons-broker"))
            .body("redirectUri", endsWith("/realms/salons/broker/" + org + "-partner/endpoint"))
            .body("domainProven", equalTo(false))
            .body("domainProof.name", equalTo("_salons-proof." + domain + "."))
            .body("domainProof.type", equalTo("TXT"))
            .body("domainProof.value", matchesPattern("salons-proof=[0-9a-f]{40}"))
            .extract()
            .asString();
    assertFalse(answer.contains(SECRET), "the secret is never answered");
    // A replay with the same key gets the first answer and makes nothing more.
    as("idp-owner")
        .header("Idempotency-Key", "add-" + org)
        .body(oidc("partner", domain))
        .post(path)
        .then()
        .statusCode(201)
        .body("name", equalTo("partner"));
    // Without the key, the same name is refused.
    as("idp-owner")
        .body(oidc("partner", domain))
        .post(path)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:provider-exists"));

    String read =
        as("idp-owner").get(path).then().statusCode(200).body("$", hasSize(1)).extract().asString();
    assertFalse(read.contains(SECRET));
    as("idp-owner")
        .get(path + "/partner")
        .then()
        .statusCode(200)
        .body("displayName", equalTo("Our accounts"));

    // Keycloak holds it: read from the partner's discovery document, linked to the organisation
    // with its domain; members of that domain are sent to it only once the domain is proven.
    JsonNode p = keycloakProvider(org + "-partner");
    assertNotNull(p);
    assertEquals("oidc", p.path("providerId").asText());
    JsonNode config = p.path("config");
    assertTrue(
        config
            .path("authorizationUrl")
            .asText()
            .contains("/realms/master/protocol/openid-connect/auth"));
    assertEquals(domain, config.path("kc.org.domain").asText());
    assertEquals("false", config.path("kc.org.broker.redirect.mode.email-matches").asText());
    assertFalse(p.toString().contains(SECRET), "Keycloak's admin API does not show it either");
    JsonNode linked =
        SERVERS.admin().get("/organizations/" + keycloakId(org) + "/identity-providers");
    assertEquals(org + "-partner", linked.get(0).path("alias").asText());
    JsonNode organization = SERVERS.admin().get("/organizations/" + keycloakId(org));
    assertTrue(organization.path("domains").toString().contains(domain));

    // Removed: unlinked, gone from Keycloak, and the domain given back.
    as("idp-owner").delete(path + "/partner").then().statusCode(204);
    assertNull(keycloakProvider(org + "-partner"));
    assertFalse(
        SERVERS
            .admin()
            .get("/organizations/" + keycloakId(org))
            .path("domains")
            .toString()
            .contains(domain));
    as("idp-owner").get(path + "/partner").then().statusCode(404);
    as("idp-owner").delete(path + "/partner").then().statusCode(404);
  }

  @Test
  void aSamlProviderIsReadFromItsMetadata() throws Exception {
    String org = organizationOf("saml-owner", "saml");
    String path = "/api/v1/organizations/" + org + "/identity-providers";
    as("saml-owner")
        .body(
            Map.of(
                "name", "campus",
                "kind", "saml",
                "displayName", "Campus login",
                "metadataUrl", metadata(),
                "domain", domainFor(org)))
        .post(path)
        .then()
        .statusCode(201)
        .body("metadataUrl", equalTo(metadata()))
        .body(
            "serviceProviderMetadataUrl",
            endsWith("/realms/salons/broker/" + org + "-campus/endpoint/descriptor"));
    JsonNode config = keycloakProvider(org + "-campus").path("config");
    assertTrue(
        config.path("singleSignOnServiceUrl").asText().contains("/realms/master/protocol/saml"));
  }

  @Test
  void badProvidersAreRefusedAndNothingIsMade() throws Exception {
    String org = organizationOf("idp-careful", "careful");
    String path = "/api/v1/organizations/" + org + "/identity-providers";
    Map<String, Object> good = oidc("partner", domainFor(org));
    record Bad(Map<String, Object> body, int status, String field) {}
    var cases =
        java.util.List.of(
            new Bad(
                with(
                    good,
                    "discoveryUrl",
                    "http://idp.example.org/.well-known/openid-configuration"),
                400,
                "discoveryUrl"),
            new Bad(
                with(good, "discoveryUrl", "https://idp.invalid/.well-known/openid-configuration"),
                400,
                "discoveryUrl"),
            // Answers, but not with a discovery document.
            new Bad(
                with(good, "discoveryUrl", SERVERS.keycloakUrl() + "/realms/master"),
                400,
                "discoveryUrl"),
            new Bad(
                with(
                    good,
                    "discoveryUrl",
                    SERVERS.keycloakUrl() + "/realms/nowhere/.well-known/openid-configuration"),
                400,
                "discoveryUrl"),
            new Bad(with(good, "discoveryUrl", null), 400, "discoveryUrl"),
            new Bad(with(good, "clientId", null), 400, "clientId"),
            new Bad(with(good, "clientSecret", null), 400, "clientSecret"),
            new Bad(with(good, "kind", "ldap"), 400, "kind"),
            new Bad(with(good, "name", "Partner"), 400, "name"),
            new Bad(
                with(good, "displayName", "x\"\n<script>alert(1)</script>"), 400, "displayName"),
            new Bad(with(good, "domain", "gmail.com"), 400, "domain"),
            new Bad(with(good, "domain", "asso.fr"), 400, "domain"),
            new Bad(with(good, "domain", "amis.invalid"), 400, "domain"),
            new Bad(with(good, "domain", "example.org; DROP"), 400, "domain"),
            new Bad(
                with(with(good, "kind", "saml"), "metadataUrl", discovery()), 400, "metadataUrl"));
    for (Bad bad : cases) {
      as("idp-careful")
          .body(bad.body())
          .post(path)
          .then()
          .statusCode(bad.status())
          .contentType("application/problem+json")
          .body("violations.field", hasItem(containsString(bad.field())));
    }
    // A domain another organisation holds already.
    String other = organizationOf("idp-other", "other");
    as("idp-other")
        .body(oidc("mine", domainFor(other)))
        .post("/api/v1/organizations/" + other + "/identity-providers")
        .then()
        .statusCode(201);
    as("idp-careful")
        .body(oidc("partner", domainFor(other)))
        .post(path)
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:salons:problem:domain-taken"));

    // Nothing was made: no provider, no domain.
    as("idp-careful").get(path).then().statusCode(200).body("$", hasSize(0));
    assertNull(keycloakProvider(org + "-partner"));
    JsonNode organization = SERVERS.admin().get("/organizations/" + keycloakId(org));
    assertEquals(0, organization.path("domains").size());
    as("idp-careful").body(good).post(path).then().statusCode(201).body("name", not(equalTo(null)));
  }

  @Test
  void internalAddressesAreTold() throws Exception {
    for (String internal :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "172.16.0.9",
          "192.168.1.1",
          "169.254.169.254",
          "::1",
          "fd12:3456::1",
          "0.0.0.0"
        }) {
      assertTrue(ProviderDocuments.isInternal(InetAddress.getByName(internal)), internal);
    }
    for (String outside : new String[] {"93.184.216.34", "2001:db8::1", "1.1.1.1"}) {
      assertFalse(ProviderDocuments.isInternal(InetAddress.getByName(outside)), outside);
    }
  }
}
