package coop.salons.identity.access;

import static coop.salons.testing.AuthorizationContract.Caller.ADMIN;
import static coop.salons.testing.AuthorizationContract.Caller.CHAT_INSTANCE;
import static coop.salons.testing.AuthorizationContract.Caller.MEMBER;
import static coop.salons.testing.AuthorizationContract.Caller.OWNER;
import static coop.salons.testing.AuthorizationContract.Caller.PUBLIC;
import static coop.salons.testing.AuthorizationContract.Caller.SERVICE;
import static coop.salons.testing.AuthorizationContract.Caller.SIGNED_IN;
import static coop.salons.testing.AuthorizationContract.Caller.STAFF;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.AuthorizationContract;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every operation of the identity API's OpenAPI against every kind of stranger (see {@link
 * AuthorizationContract}): an operation added without a case here fails the build.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class AuthorizationContractTest extends IdentityTestBase
    implements coop.salons.testing.AuthorizationContractSuite {

  static String org;
  static String target;

  @BeforeEach
  void organisations() {
    if (org != null) {
      return;
    }
    org = organizationOf("owner-a", "matrix");
    addMember("owner-a", org, "admin-a", "admin");
    addMember("owner-a", org, "member-a", "member");
    addMember("owner-a", org, "target-a", "member");
    organizationOf("owner-b", "elsewhere");
    target = userId("target-a");
  }

  @Override
  public AuthorizationContract contract() {
    Map<String, String> o = Map.of("org", org);
    Map<String, String> m = Map.of("org", org, "member", target);
    Map<String, String> idp = Map.of("org", org, "name", "ours");
    Map<String, String> instance = Map.of("instance", "chat-" + org);
    return new AuthorizationContract()
        .exempt("POST", "/test-only/problems", "the tests' own resource, absent from the service")
        .exempt("GET", "/test-only/problems/boom", "the tests' own resource")
        .exempt("GET", "/test-only/problems/page", "the tests' own resource")
        .operation("GET", "/api/v1/organizations", Map.of(), null, SIGNED_IN)
        .operation(
            "POST",
            "/api/v1/organizations",
            Map.of(),
            Map.of("slug", slug("stranger"), "name", "Strangers"),
            SIGNED_IN)
        .operation("GET", "/api/v1/me", Map.of(), null, SIGNED_IN)
        .operation("GET", "/api/v1/organizations/{org}", o, null, MEMBER)
        .operation("PATCH", "/api/v1/organizations/{org}", o, Map.of("name", "Hijacked"), ADMIN)
        .operation("DELETE", "/api/v1/organizations/{org}", o, null, OWNER)
        .operation("POST", "/api/v1/organizations/{org}/restore", o, null, OWNER)
        .operation("GET", "/api/v1/organizations/{org}/members", o, null, MEMBER)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/members",
            o,
            Map.of("email", "owner-b@example.org"),
            ADMIN)
        .operation("GET", "/api/v1/organizations/{org}/members/{member}", m, null, MEMBER)
        .operation(
            "PUT",
            "/api/v1/organizations/{org}/members/{member}/role",
            m,
            Map.of("role", "admin"),
            ADMIN)
        .operation("DELETE", "/api/v1/organizations/{org}/members/{member}", m, null, ADMIN)
        .operation("GET", "/api/v1/organizations/{org}/identity-providers", o, null, ADMIN)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/identity-providers",
            o,
            Map.of(
                "name", "ours",
                "kind", "saml",
                "displayName", "Ours",
                "metadataUrl", SERVERS.keycloakUrl() + "/realms/master/protocol/saml/descriptor",
                "domain", org + ".example.org"),
            OWNER)
        .operation("GET", "/api/v1/organizations/{org}/identity-providers/{name}", idp, null, ADMIN)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/identity-providers/{name}/domain-check",
            idp,
            null,
            OWNER)
        .operation(
            "DELETE", "/api/v1/organizations/{org}/identity-providers/{name}", idp, null, OWNER)
        .operation("GET", "/api/v1/organizations/{org}/automation-clients", o, null, OWNER)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/automation-clients",
            o,
            Map.of("name", "Strangers script", "role", "admin"),
            OWNER)
        .operation(
            "POST",
            "/api/v1/organizations/{org}/automation-clients/{id}/secret",
            Map.of("org", org, "id", java.util.UUID.randomUUID().toString()),
            null,
            OWNER)
        .operation(
            "DELETE",
            "/api/v1/organizations/{org}/automation-clients/{id}",
            Map.of("org", org, "id", java.util.UUID.randomUUID().toString()),
            null,
            OWNER)
        .operation("GET", "/api/v1/member-directory/{org}", o, null, SERVICE)
        .operation("GET", "/api/v1/membership-events", Map.of(), null, SERVICE)
        .operation("POST", "/api/v1/quota-reconciliations", Map.of(), null, STAFF)
        .operation(
            "PUT",
            "/api/v1/instance-clients/{instance}",
            instance,
            Map.of(
                "organization",
                org,
                "flavour",
                "matrix",
                "redirectUris",
                java.util.List.of("https://chat.example.org/cb")),
            SERVICE)
        .operation("GET", "/api/v1/instance-clients/{instance}", instance, null, SERVICE)
        .operation("POST", "/api/v1/instance-clients/{instance}/secret", instance, null, SERVICE)
        .operation("DELETE", "/api/v1/instance-clients/{instance}", instance, null, SERVICE)
        .operation(
            "GET",
            "/api/v1/chat-sign-in/{instance}/.well-known/openid-configuration",
            Map.of("instance", java.util.UUID.randomUUID().toString()),
            null,
            PUBLIC)
        .operation(
            "GET",
            "/api/v1/chat-sign-in/{instance}/userinfo",
            Map.of("instance", java.util.UUID.randomUUID().toString()),
            null,
            CHAT_INSTANCE);
  }

  @Override
  public Cast cast() {
    return new Cast(
        SERVERS.user("owner-a"),
        SERVERS.user("admin-a"),
        SERVERS.user("member-a"),
        SERVERS.user("owner-b"));
  }

  /** An automation client of the organisation, made and revoked: its token still unexpired. */
  @Override
  public String revokedAutomation() {
    String clients = "/api/v1/organizations/" + org + "/automation-clients";
    io.restassured.path.json.JsonPath made =
        as("owner-a")
            .body(Map.of("name", "Revoked script", "role", "admin"))
            .post(clients)
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String token =
        SERVERS.clientCredentialsToken(made.getString("clientId"), made.getString("secret"));
    as("owner-a").delete(clients + "/" + made.getString("id")).then().statusCode(204);
    return token;
  }

  /** What the organisation's owner sees: unchanged by any refused call. */
  @Override
  public String state() {
    return as("owner-a").get("/api/v1/organizations/" + org).asString()
        + as("owner-a").get("/api/v1/organizations/" + org + "/members").asString()
        + as("owner-a").get("/api/v1/organizations/" + org + "/identity-providers").asString()
        + as("owner-a").get("/api/v1/organizations/" + org + "/automation-clients").asString();
  }
}
