package coop.salons.identity.member;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Members and roles, against the real Keycloak organisation membership and sessions. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class MemberResourceTest extends IdentityTestBase {

  @Test
  void anExistingUserJoinsAtOnceInKeycloakToo() throws Exception {
    String slug = organizationOf("olga", "join");
    SERVERS.user("marc");
    as("olga")
        .body(Map.of("email", "marc@example.org"))
        .post("/api/v1/organizations/" + slug + "/members")
        .then()
        .statusCode(201)
        .header(
            "Location", endsWith("/api/v1/organizations/" + slug + "/members/" + userId("marc")))
        .body("username", equalTo("marc"))
        .body("role", equalTo("member"));
    JsonNode members = SERVERS.admin().get("/organizations/" + keycloakId(slug) + "/members");
    assertEquals(2, members.size());
    as("marc")
        .get("/api/v1/organizations/" + slug + "/members")
        .then()
        .statusCode(200)
        .body("items.username", hasItem("olga"))
        .body("items.username", hasItem("marc"));
    as("marc").get("/api/v1/organizations").then().body("items.slug", hasItem(slug));
    as("olga")
        .body(Map.of("email", "marc@example.org"))
        .post("/api/v1/organizations/" + slug + "/members")
        .then()
        .statusCode(409);
  }

  @Test
  void anUnknownEmailGetsKeycloaksInvitationByMail() {
    // The realm sends through the test servers' real SMTP catcher; nothing leaves the machine.
    String slug = organizationOf("olga", "invite");
    String email = slug + "-newcomer@example.org";
    as("olga")
        .body(Map.of("email", email))
        .post("/api/v1/organizations/" + slug + "/members")
        .then()
        .statusCode(202)
        .body("email", equalTo(email))
        .body("status", equalTo("invited"));
    String mail = SERVERS.mailTo(email).orElseThrow(() -> new AssertionError("no invitation mail"));
    assertTrue(mail.contains("/realms/salons/"), "the invitation links to the realm");
    // Invited is not a member yet: the list is unchanged until the invitation is accepted.
    as("olga")
        .get("/api/v1/organizations/" + slug + "/members")
        .then()
        .body("items.size()", equalTo(1));
  }

  @Test
  void someoneWhoAcceptedAnInvitationBecomesAMember() throws Exception {
    // Accepting Keycloak's invitation makes the user a member of the Keycloak organisation; the
    // test does what the acceptance does, through the admin API.
    String slug = organizationOf("olga", "accepted");
    String ines = SERVERS.user("ines").id();
    SERVERS.admin().addOrganizationMember(keycloakId(slug), ines);
    as("ines")
        .get("/api/v1/organizations")
        .then()
        .statusCode(200)
        .body("items.find { it.slug == '" + slug + "' }.role", equalTo("member"));
    as("olga")
        .get("/api/v1/organizations/" + slug + "/members")
        .then()
        .body("items.username", hasItem("ines"));
    as("ines").get("/api/v1/organizations").then().statusCode(200); // twice: no duplicate
    as("olga").get("/api/v1/organizations/" + slug).then().body("memberCount", equalTo(2));
  }

  @Test
  void withoutWorkingMailTheRefusalIsClearAndNothingIsAdded() throws Exception {
    String slug = organizationOf("olga", "nomail");
    int closed = coop.salons.local.LocalPlatform.freePort();
    SERVERS.admin().useSmtp("127.0.0.1", closed, "noreply@salons.localhost");
    try {
      as("olga")
          .body(Map.of("email", slug + "-x@example.org"))
          .post("/api/v1/organizations/" + slug + "/members")
          .then()
          .statusCode(503)
          .contentType("application/problem+json")
          .body("type", equalTo("urn:salons:problem:email-unavailable"));
    } finally {
      SERVERS.admin().useSmtp("127.0.0.1", SERVERS.mailPort(), "noreply@salons.localhost");
    }
    as("olga")
        .get("/api/v1/organizations/" + slug + "/members")
        .then()
        .body("items.size()", equalTo(1));
  }

  @Test
  void badInputIsRefused() {
    String slug = organizationOf("olga", "badinput");
    for (Map<String, String> body :
        java.util.List.of(
            Map.of("email", "not-an-email"),
            Map.of("email", ""),
            Map.of("email", "a@example.org", "role", "superuser"),
            Map.of("email", "a@example.org\nBcc: x@example.org"))) {
      as("olga")
          .body(body)
          .post("/api/v1/organizations/" + slug + "/members")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    as("olga")
        .body(Map.of("role", "emperor"))
        .put("/api/v1/organizations/" + slug + "/members/" + userId("olga") + "/role")
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("role"));
  }

  @Test
  void rolesFollowTheRulesAndAnOwnerAlwaysRemains() {
    String slug = organizationOf("olga", "roles");
    addMember("olga", slug, "adam", "admin");
    addMember("olga", slug, "mia", "member");
    String base = "/api/v1/organizations/" + slug + "/members/";

    // An admin cannot make owners; a member cannot change roles at all.
    as("adam")
        .body(Map.of("role", "owner"))
        .put(base + userId("mia") + "/role")
        .then()
        .statusCode(403);
    as("mia")
        .body(Map.of("role", "admin"))
        .put(base + userId("mia") + "/role")
        .then()
        .statusCode(403);
    // The last owner can neither be demoted nor removed, nor leave.
    as("olga")
        .body(Map.of("role", "admin"))
        .put(base + userId("olga") + "/role")
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:salons:problem:last-owner"));
    as("olga").delete(base + userId("olga")).then().statusCode(409);
    as("adam").delete(base + userId("olga")).then().statusCode(403);
    // With a second owner, the first may step down.
    as("olga")
        .body(Map.of("role", "owner"))
        .put(base + userId("adam") + "/role")
        .then()
        .statusCode(200)
        .body("role", equalTo("owner"));
    as("olga")
        .body(Map.of("role", "member"))
        .put(base + userId("olga") + "/role")
        .then()
        .statusCode(200);
    as("olga").get("/api/v1/organizations/" + slug).then().body("role", equalTo("member"));
  }

  @Test
  void aRemovedMemberLosesAccessAndTheirSessionsEnd() throws Exception {
    String slug = organizationOf("olga", "remove");
    addMember("olga", slug, "rita", "member");
    String rita = userId("rita");
    as("rita").get("/api/v1/organizations/" + slug).then().statusCode(200);
    JsonNode sessions = SERVERS.admin().get("/users/" + rita + "/sessions");
    assertTrue(sessions.size() > 0, "the test signed rita in");

    as("olga").delete("/api/v1/organizations/" + slug + "/members/" + rita).then().statusCode(204);

    assertEquals(0, SERVERS.admin().get("/users/" + rita + "/sessions").size());
    assertEquals(1, SERVERS.admin().get("/organizations/" + keycloakId(slug) + "/members").size());
    as("rita").get("/api/v1/organizations/" + slug).then().statusCode(404);
    as("rita").get("/api/v1/organizations").then().body("items.slug", not(hasItem(slug)));
  }

  @Test
  void aMemberMayLeave() {
    String slug = organizationOf("olga", "leave");
    addMember("olga", slug, "lea", "member");
    as("lea")
        .delete("/api/v1/organizations/" + slug + "/members/" + userId("lea"))
        .then()
        .statusCode(204);
    as("lea").get("/api/v1/organizations/" + slug).then().statusCode(404);
  }

  @Test
  void membersComeAPageAtATime() {
    String slug = organizationOf("olga", "pages");
    addMember("olga", slug, "page-a", "member");
    addMember("olga", slug, "page-b", "member");
    var first = as("olga").get("/api/v1/organizations/" + slug + "/members?limit=2");
    first.then().statusCode(200).body("items.size()", equalTo(2));
    String cursor = first.jsonPath().getString("nextCursor");
    as("olga")
        .get("/api/v1/organizations/" + slug + "/members?limit=2&cursor=" + cursor)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(1))
        .body("nextCursor", equalTo(null));
  }
}
