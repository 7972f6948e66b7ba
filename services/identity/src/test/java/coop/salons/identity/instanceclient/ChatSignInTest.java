package coop.salons.identity.instanceclient;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.identity.IdentityTestBase;
import coop.salons.local.Service;
import coop.salons.testing.RelyingParty;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Mattermost instance in {@code openid} or {@code gitlab} mode admits only its organisation's
 * members (docs/adr/0030). Mattermost cannot run here: {@link RelyingParty} does what its login
 * does (discovery, the realm's real login form, code for tokens, userinfo), against the real
 * Keycloak and this service's gate.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class ChatSignInTest extends IdentityTestBase {

  @TestHTTPResource("/")
  URL base;

  /** A Mattermost instance's client, as provisioning makes it; answers its secret. */
  private static String mattermostClient(UUID instance, String org, String mode, String redirect) {
    return given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.PROVISIONING))
        .contentType("application/json")
        .body(
            Map.of(
                "organization",
                org,
                "flavour",
                "mattermost",
                "redirectUris",
                List.of(redirect),
                "loginMode",
                mode))
        .put("/api/v1/instance-clients/" + instance)
        .then()
        .statusCode(201)
        .extract()
        .path("secret");
  }

  private RelyingParty mattermost(UUID instance, String secret, String redirect) {
    return new RelyingParty(
        base + "api/v1/chat-sign-in/" + instance + "/.well-known/openid-configuration",
        "instance-" + instance,
        secret,
        redirect);
  }

  @Test
  void onlyTheOrganisationsMembersGetIn() throws Exception {
    String org = organizationOf("gate-owner", "gate");
    addMember("gate-owner", org, "gate-member", "member");
    UUID instance = UUID.randomUUID();
    String redirect = "https://chat." + org + ".example.org/signup/openid/complete";
    RelyingParty chat =
        mattermost(instance, mattermostClient(instance, org, "openid", redirect), redirect);

    // The document is the realm's, its userinfo the gate's.
    var discovery = chat.discovery();
    assertEquals(SERVERS.realmUrl(), discovery.path("issuer").asText());
    assertEquals(
        base + "api/v1/chat-sign-in/" + instance + "/userinfo",
        discovery.path("userinfo_endpoint").asText());

    RelyingParty.SignedIn member = chat.signIn(SERVERS.user("gate-member"));
    assertEquals(200, member.userinfoStatus(), member.userinfo().toString());
    assertEquals(userId("gate-member"), member.userinfo().path("sub").asText());
    assertEquals("gate-member@example.org", member.userinfo().path("email").asText());

    // Someone of the realm who is not a member: the chat server learns nothing, and why.
    RelyingParty.SignedIn stranger = chat.signIn(SERVERS.user("gate-stranger"));
    assertEquals(403, stranger.userinfoStatus());
    assertEquals("urn:salons:problem:not-a-member", stranger.userinfo().path("type").asText());
    assertFalse(stranger.userinfo().has("sub"));

    // A member removed: the next sign-in is refused.
    as("gate-owner")
        .delete("/api/v1/organizations/" + org + "/members/" + userId("gate-member"))
        .then()
        .statusCode(204);
    assertEquals(403, chat.signIn(SERVERS.user("gate-member")).userinfoStatus());
  }

  @Test
  void anEmailNotVerifiedIsNotPassedOnAndGitLabNumbersStay() throws Exception {
    String org = organizationOf("gate-owner", "gitlab");
    addMember("gate-owner", org, "gate-unverified", "member");
    UUID instance = UUID.randomUUID();
    String redirect = "https://chat." + org + ".example.org/signup/gitlab/complete";
    RelyingParty chat =
        mattermost(instance, mattermostClient(instance, org, "gitlab", redirect), redirect);
    String user = userId("gate-unverified");
    try {
      RelyingParty.SignedIn verified = chat.signIn(SERVERS.user("gate-unverified"));
      assertEquals(200, verified.userinfoStatus(), verified.userinfo().toString());
      assertTrue(verified.userinfo().path("id").canConvertToLong(), verified.userinfo().toString());
      assertEquals("gate-unverified@example.org", verified.userinfo().path("email").asText());

      SERVERS.admin().put("/users/" + user, Map.of("emailVerified", false));
      RelyingParty.SignedIn unverified = chat.signIn(SERVERS.user("gate-unverified"));
      assertEquals(200, unverified.userinfoStatus());
      assertFalse(unverified.userinfo().has("email"), unverified.userinfo().toString());
    } finally {
      SERVERS.admin().put("/users/" + user, Map.of("emailVerified", true));
    }
  }

  @Test
  void onlyTheInstancesOwnTokensAreRead() {
    String org = organizationOf("gate-owner", "tokens");
    addMember("gate-owner", org, "gate-member-2", "member");
    UUID ours = UUID.randomUUID();
    UUID theirs = UUID.randomUUID();
    String redirect = "https://chat." + org + ".example.org/signup/openid/complete";
    mattermostClient(ours, org, "openid", redirect);
    RelyingParty other =
        mattermost(theirs, mattermostClient(theirs, org, "openid", redirect), redirect);
    String path = "/api/v1/chat-sign-in/" + ours + "/userinfo";

    // Another instance's token, the platform API's token, none: 401, a problem document.
    String elsewhere = other.signIn(SERVERS.user("gate-member-2")).accessToken();
    for (String token :
        List.of(elsewhere, SERVERS.token(SERVERS.user("gate-member-2")), "not-a-token")) {
      given()
          .auth()
          .oauth2(token)
          .get(path)
          .then()
          .statusCode(401)
          .contentType("application/problem+json");
    }
    given().get(path).then().statusCode(401);
    // An instance that is not a Mattermost one signing in here: 404.
    given()
        .get("/api/v1/chat-sign-in/" + UUID.randomUUID() + "/.well-known/openid-configuration")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
