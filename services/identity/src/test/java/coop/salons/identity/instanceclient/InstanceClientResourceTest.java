package coop.salons.identity.instanceclient;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import coop.salons.identity.IdentityTestBase;
import coop.salons.local.Service;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Instance clients in the real Keycloak, managed by the provisioning service's account only. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class InstanceClientResourceTest extends IdentityTestBase {

  private static RequestSpecification provisioning() {
    return given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.PROVISIONING))
        .contentType("application/json");
  }

  private static Map<String, Object> spec(String... redirects) {
    return Map.of("organization", "amis", "flavour", "matrix", "redirectUris", List.of(redirects));
  }

  private static JsonNode keycloakClient(String clientId) throws Exception {
    JsonNode found = SERVERS.admin().get("/clients?clientId=" + clientId);
    return found.size() == 0 ? null : found.get(0);
  }

  @Test
  void createdWithExactlyItsRedirectsAndTheSecretShownOnce() throws Exception {
    String id = UUID.randomUUID().toString();
    String path = "/api/v1/instance-clients/" + id;
    String secret =
        provisioning()
            .body(spec("https://chat.amis.example.org/_synapse/client/oidc/callback"))
            .put(path)
            .then()
            .statusCode(201)
            .body("clientId", equalTo("instance-" + id))
            .extract()
            .path("secret");
    JsonNode client = keycloakClient("instance-" + id);
    assertEquals(
        List.of("https://chat.amis.example.org/_synapse/client/oidc/callback"),
        List.of(client.path("redirectUris").get(0).asText()));
    assertEquals(1, client.path("redirectUris").size());
    assertEquals(false, client.path("publicClient").asBoolean());
    assertEquals(false, client.path("directAccessGrantsEnabled").asBoolean());
    JsonNode stored =
        SERVERS.admin().get("/clients/" + client.path("id").asText() + "/client-secret");
    assertEquals(secret, stored.path("value").asText());

    // Again: the spec is applied, no secret is shown.
    provisioning()
        .body(
            spec(
                "https://chat.amis.example.org/_synapse/client/oidc/callback",
                "https://amis.example.org/cb"))
        .put(path)
        .then()
        .statusCode(200)
        .body("$", not(hasKey("secret")))
        .body("redirectUris", hasItem("https://amis.example.org/cb"));
    provisioning().get(path).then().statusCode(200).body("$", not(hasKey("secret")));

    String rotated =
        provisioning().post(path + "/secret").then().statusCode(200).extract().path("secret");
    assertNotEquals(secret, rotated);
    assertEquals(
        rotated,
        SERVERS
            .admin()
            .get("/clients/" + client.path("id").asText() + "/client-secret")
            .path("value")
            .asText());

    provisioning().delete(path).then().statusCode(204);
    assertNull(keycloakClient("instance-" + id));
    provisioning().delete(path).then().statusCode(204);
    provisioning().get(path).then().statusCode(404);
  }

  @Test
  void badSpecsAreRefused() {
    String path = "/api/v1/instance-clients/" + UUID.randomUUID();
    for (String bad :
        List.of(
            "http://chat.example.org/cb",
            "https://*.example.org/cb",
            "https://chat.example.org/cb#x",
            "https://user:pw@chat.example.org/cb",
            "javascript:alert(1)",
            "https://chat.example.org/cb?next=x",
            "https://chat.example.org/cb\nX: y")) {
      provisioning()
          .body(spec(bad))
          .put(path)
          .then()
          .statusCode(400)
          .body("violations.field[0]", org.hamcrest.Matchers.startsWith("redirectUris"));
    }
    provisioning()
        .body(
            Map.of(
                "organization",
                "amis",
                "flavour",
                "irc",
                "redirectUris",
                List.of("https://a.example.org/")))
        .put(path)
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("flavour"));
    provisioning()
        .body(spec("https://a.example.org/"))
        .put("/api/v1/instance-clients/not-a-uuid")
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("instance"));
  }

  @Test
  void onlyTheProvisioningServiceMayCall() {
    String path = "/api/v1/instance-clients/" + UUID.randomUUID();
    as("olga").body(spec("https://a.example.org/")).put(path).then().statusCode(403);
    given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.BILLING))
        .contentType("application/json")
        .body(spec("https://a.example.org/"))
        .put(path)
        .then()
        .statusCode(403);
    given()
        .contentType("application/json")
        .body(spec("https://a.example.org/"))
        .put(path)
        .then()
        .statusCode(401);
  }

  @Inject GitLabShape gitlab;

  private static JsonNode userinfo(String clientUuid, String userId) throws Exception {
    // Keycloak's own evaluation of what the client's userinfo answers for that user.
    return SERVERS
        .admin()
        .get(
            "/clients/"
                + clientUuid
                + "/evaluate-scopes/generate-example-userinfo?scope=openid&userId="
                + userId);
  }

  @Test
  void gitlabModeGivesUserinfoTheShapeMattermostReads() throws Exception {
    String org = organizationOf("gl-owner", "gitlab");
    String id = UUID.randomUUID().toString();
    String path = "/api/v1/instance-clients/" + id;
    Map<String, Object> spec =
        Map.of(
            "organization",
            org,
            "flavour",
            "mattermost",
            "redirectUris",
            List.of("https://chat.gitlab.example.org/signup/gitlab/complete"),
            "loginMode",
            "gitlab");
    provisioning().body(spec).put(path).then().statusCode(201);
    String client = keycloakClient("instance-" + id).path("id").asText();

    String owner = userId("gl-owner");
    JsonNode info = userinfo(client, owner);
    assertTrue(info.path("id").isIntegralNumber(), "id is a number: " + info);
    assertEquals(GitLabShape.numberOf(owner), info.path("id").asLong());
    assertEquals("gl-owner", info.path("username").asText());
    assertEquals("gl-owner@example.org", info.path("email").asText());

    // Someone who joins later is numbered by the next round (every minute).
    addMember("gl-owner", org, "gl-later", "member");
    gitlab.numberNewMembers();
    String later = userId("gl-later");
    assertEquals(GitLabShape.numberOf(later), userinfo(client, later).path("id").asLong());
    assertNotEquals(GitLabShape.numberOf(owner), GitLabShape.numberOf(later));

    // Applying the spec again changes nothing; another mode takes the GitLab claims away.
    provisioning().body(spec).put(path).then().statusCode(200);
    assertEquals(4, gitlabMappers(client));
    provisioning()
        .body(
            Map.of(
                "organization",
                org,
                "flavour",
                "mattermost",
                "redirectUris",
                List.of("https://chat.gitlab.example.org/signup/openid/complete"),
                "loginMode",
                "openid"))
        .put(path)
        .then()
        .statusCode(200);
    assertEquals(0, gitlabMappers(client));
    assertFalse(userinfo(client, owner).has("id"));
  }

  private static int gitlabMappers(String clientUuid) throws Exception {
    int n = 0;
    for (JsonNode m : SERVERS.admin().get("/clients/" + clientUuid + "/protocol-mappers/models")) {
      n += m.path("name").asText().startsWith("gitlab-") ? 1 : 0;
    }
    return n;
  }

  @Test
  void numbersAreStableAndFitInJson() {
    String id = "5b0c6f1e-8a8e-4c52-9a3f-2f4d6c8e1a77";
    assertEquals(GitLabShape.numberOf(id), GitLabShape.numberOf(id));
    for (int i = 0; i < 1000; i++) {
      long n = GitLabShape.numberOf(UUID.randomUUID().toString());
      assertTrue(n > 0 && n < (1L << 53), "positive and exact in a JSON number: " + n);
    }
  }
}
