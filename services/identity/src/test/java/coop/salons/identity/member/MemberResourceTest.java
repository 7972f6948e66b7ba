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
  void anAccountRegisteredWithSomeoneElsesEmailIsNotLetIn() throws Exception {
    // Someone registers first with the address an admin is about to add, never verifying it:
    // the address's owner gets an invitation; the squatting account joins nothing.
    String slug = organizationOf("olga", "squat");
    String email = slug + "-victim@example.org";
    String squatter =
        SERVERS.admin().ensureUser(slug + "-squatter", email, "not-their-mailbox-1", false);
    as("olga")
        .body(Map.of("email", email))
        .post("/api/v1/organizations/" + slug + "/members")
        .then()
        .statusCode(202)
        .body("status", equalTo("invited"));
    String mail = SERVERS.mailTo(email).orElseThrow(() -> new AssertionError("no invitation mail"));
    assertTrue(mail.contains("/realms/salons/"), "the invitation goes to the mailbox");
    as("olga")
        .get("/api/v1/organizations/" + slug + "/members")
        .then()
        .body("items.size()", equalTo(1))
        .body("items.userId", not(hasItem(squatter)));
    JsonNode members = SERVERS.admin().get("/organizations/" + keycloakId(slug) + "/members");
    assertEquals(1, members.size(), "Keycloak's organisation has only its owner");
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

  /**
   * The whole path to a chat server: a member signs in to an instance's client through Keycloak's
   * login page (a real authorization-code sign-in, driven over HTTP); removing them makes Keycloak
   * POST a back-channel logout token to the URL the instance registered — here a local listener
   * standing for Synapse's {@code /_synapse/client/oidc/backchannel_logout}.
   */
  @Test
  void removingAMemberSendsBackChannelLogoutToTheirChat() throws Exception {
    String slug = organizationOf("olga", "logout");
    addMember("olga", slug, "sacha", "member");
    String sacha = userId("sacha");
    java.util.concurrent.BlockingQueue<String> tokens =
        new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer chat =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    chat.createContext(
        "/",
        x -> {
          String body =
              new String(
                  x.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          if (x.getRequestURI().getPath().equals("/logout")) {
            tokens.add(body);
          }
          x.sendResponseHeaders(200, -1);
          x.close();
        });
    chat.start();
    try {
      String base = "http://localhost:" + chat.getAddress().getPort();
      String instance = java.util.UUID.randomUUID().toString();
      io.restassured.RestAssured.given()
          .auth()
          .oauth2(SERVERS.serviceToken(coop.salons.local.Service.PROVISIONING))
          .contentType("application/json")
          .body(
              Map.of(
                  "organization",
                  slug,
                  "flavour",
                  "matrix",
                  "redirectUris",
                  java.util.List.of(base + "/callback"),
                  "backchannelLogoutUrl",
                  base + "/logout"))
          .put("/api/v1/instance-clients/" + instance)
          .then()
          .statusCode(201);

      signIn("instance-" + instance, base + "/callback", "sacha");
      as("olga")
          .delete("/api/v1/organizations/" + slug + "/members/" + sacha)
          .then()
          .statusCode(204);

      String form = tokens.poll(20, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(form != null && form.startsWith("logout_token="), "no back-channel logout came");
      String jwt =
          java.net.URLDecoder.decode(
              form.substring("logout_token=".length()), java.nio.charset.StandardCharsets.UTF_8);
      JsonNode claims =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
      assertEquals(sacha, claims.path("sub").asText());
      assertEquals(
          "instance-" + instance,
          claims.path("aud").isArray()
              ? claims.path("aud").get(0).asText()
              : claims.path("aud").asText());
      assertTrue(claims.path("events").has("http://schemas.openid.net/event/backchannel-logout"));
    } finally {
      chat.stop(0);
    }
  }

  /** Signs a user in to a client through Keycloak's login form; stops at the redirect back. */
  private static void signIn(String clientId, String redirectUri, String username)
      throws Exception {
    // Keycloak marks its cookies Secure, which Java's cookie manager keeps off plain http even on
    // localhost (browsers do not): the cookies go back by hand.
    java.net.http.HttpClient browser =
        java.net.http.HttpClient.newBuilder()
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
    String auth =
        SERVERS.realmUrl()
            + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id="
            + clientId
            + "&redirect_uri="
            + java.net.URLEncoder.encode(redirectUri, java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> login =
        browser.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(auth)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    String cookies = merged("", login.headers().allValues("Set-Cookie"));
    String form =
        "username="
            + username
            + "&password="
            + java.net.URLEncoder.encode(
                SERVERS.user(username).password(), java.nio.charset.StandardCharsets.UTF_8);
    // With Organizations the realm asks for the username first, then the password: each form is
    // posted in turn until Keycloak sends the browser back to the chat.
    java.net.http.HttpResponse<String> answer = login;
    for (int step = 0; step < 3 && answer.statusCode() == 200; step++) {
      java.util.regex.Matcher action =
          java.util.regex.Pattern.compile("action=\"([^\"]+)\"").matcher(answer.body());
      assertTrue(action.find(), "Keycloak's login form");
      answer =
          browser.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(action.group(1).replace("&amp;", "&")))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Cookie", cookies)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      cookies = merged(cookies, answer.headers().allValues("Set-Cookie"));
    }
    assertEquals(302, answer.statusCode(), answer.body());
    assertTrue(
        answer.headers().firstValue("Location").orElse("").startsWith(redirectUri + "?"),
        "signed in and sent back to the chat");
  }

  /** A Cookie header: the cookies sent so far, updated by the ones just set. */
  private static String merged(String header, java.util.List<String> setCookies) {
    Map<String, String> jar = new java.util.LinkedHashMap<>();
    for (String c : header.isEmpty() ? new String[0] : header.split("; ")) {
      jar.put(c.substring(0, c.indexOf('=')), c);
    }
    for (String set : setCookies) {
      String c = set.split(";", 2)[0];
      jar.put(c.substring(0, c.indexOf('=')), c);
    }
    return String.join("; ", jar.values());
  }
}
