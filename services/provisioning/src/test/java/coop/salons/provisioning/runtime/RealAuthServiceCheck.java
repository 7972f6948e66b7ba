package coop.salons.provisioning.runtime;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.supervisor.Reconciler;
import coop.salons.testing.Browser;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * <b>Run by hand, with a real MAS</b> (docs/operator-guide.md, "Checking MAS by hand"): the suite
 * cannot, MAS being on no registry the build reaches, so this class is not named like the
 * integration tests and runs only when asked for, with {@code SALONS_TEST_MAS_BINARY} naming the
 * {@code mas-cli} of a MAS release (its {@code share/} beside it):
 *
 * <pre>
 * SALONS_TEST_MAS_BINARY=/opt/mas/mas-cli ./salons test -pl services/provisioning \
 *   -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=RealAuthServiceCheck
 * </pre>
 *
 * A member of an association signs in to its Matrix server as a person would: their app asks the
 * server where to sign in, MAS sends the real Chromium to the realm's real login form, MAS gives
 * the app a session, Synapse takes it, and they send and read a message. Someone from another
 * association is turned away at MAS by the organisation gate.
 */
@QuarkusTest
@TestProfile(RealAuthServiceCheck.WithRealAuthService.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class RealAuthServiceCheck {

  /** The local runtime of {@code ./salons run}, with the real MAS binary named. */
  public static class WithRealAuthService extends LocalSynapseIT.LocalRuntimeProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> c = new java.util.HashMap<>(super.getConfigOverrides());
      c.put("salons.provisioning.mas.binary", binary());
      c.put("salons.provisioning.local.first-port", "18700");
      return c;
    }
  }

  static String binary() {
    String b = Optional.ofNullable(System.getenv("SALONS_TEST_MAS_BINARY")).orElse("");
    if (b.isBlank() || !Files.isExecutable(Path.of(b))) {
      throw new IllegalStateException(
          "set SALONS_TEST_MAS_BINARY to the mas-cli of a MAS release to run this check");
    }
    return b;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOGIN_TOKEN = Pattern.compile("[?&]loginToken=([^&#]+)");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Inject ChatRuntime runtime;
  @Inject Reconciler reconciler;

  @Test
  void aMemberSignsInThroughMasAndChatsAndAStrangerIsTurnedAway() throws Exception {
    TestUser owner = Fixture.user("margaret");
    String org = Fixture.organization(owner);
    JsonNode view = Fixture.matrixInstance(owner, org, "phones");
    assertEquals("ready", view.path("state").asText(), view.toString());
    assertEquals("mas", view.path("signIn").asText());
    UUID id = UUID.fromString(view.path("id").asText());
    InstanceSpec spec =
        QuarkusTransaction.requiringNew()
            .call(() -> reconciler.spec(Instance.<Instance>findById(id)));
    Placement placement = runtime.placement(spec, reconciler.localPortOf(id));
    Placement.AuthService at = placement.authService().orElseThrow();
    String synapse = placement.baseUrl();
    String compat = "http://localhost:" + at.healthPort();

    // An app asks the server where to sign in: Synapse answers with MAS's metadata.
    JsonNode metadata = get(synapse + "/_matrix/client/v1/auth_metadata");
    assertEquals(at.publicBase(), metadata.path("issuer").asText(), metadata.toString());

    try (Browser browser = Browser.launch()) {
      // The member signs in at the realm through MAS, and chats.
      MatrixUser member = signIn(browser, synapse, compat, owner).orElseThrow();
      assertEquals("@" + owner.username() + ":" + placement.serverName(), member.userId());
      String room = member.createRoom("bureau", "Bureau", "Le bureau de l'association", false);
      member.send(room, "Bonjour depuis Element X");
      member.awaitMessage(room, "Bonjour depuis Element X", Duration.ofSeconds(30));

      // The same member from an app that speaks OAuth 2.0 as Element X does: it registers itself
      // with MAS, sends the person to MAS's authorization page, and takes a code back.
      MatrixUser app = signInWithOAuth(browser, synapse, owner);
      assertEquals(member.userId(), app.userId());
      app.awaitMessage(room, "Bonjour depuis Element X", Duration.ofSeconds(30));
      app.send(room, "Et depuis une app OAuth 2.0");
      member.awaitMessage(room, "Et depuis une app OAuth 2.0", Duration.ofSeconds(30));

      // Someone of another association is turned away by MAS (the organisation gate): no session.
      TestUser stranger = Fixture.user("mallory");
      Fixture.organization(stranger);
      assertFalse(signIn(browser, synapse, compat, stranger).isPresent());
      assertTrue(refusal.contains("Subject is empty"), refusal);

      // A member the association removes loses their sessions at once: identity ends their realm
      // sessions, the realm calls MAS's back-channel logout, MAS ends every session it gave.
      TestUser leaving = Fixture.user("katherine");
      Fixture.addMember(org, owner, leaving, "member");
      MatrixUser gone = signIn(browser, synapse, compat, leaving).orElseThrow();
      assertEquals(200, whoami(gone));
      io.restassured.RestAssured.given()
          .baseUri(Fixture.servers().identityUrl())
          .auth()
          .oauth2(Fixture.servers().token(owner))
          .get("/api/v1/organizations/" + org + "/members")
          .then()
          .statusCode(200)
          .extract()
          .path("find { it.username == '" + leaving.username() + "' }.userId");
      io.restassured.RestAssured.given()
          .baseUri(Fixture.servers().identityUrl())
          .auth()
          .oauth2(Fixture.servers().token(owner))
          .delete("/api/v1/organizations/" + org + "/members/" + leaving.id())
          .then()
          .statusCode(204);
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (whoami(gone) == 200) {
        assertTrue(System.nanoTime() < until, "the removed member's session still works");
        Thread.sleep(500);
      }
      assertEquals(401, whoami(gone));
      // The member who stays keeps theirs.
      assertEquals(200, whoami(member));
    }
  }

  /**
   * The operator guide's move-over of an instance made with Synapse's own sign-on: a member signs
   * in and speaks there; the instance is suspended, marked, its members' accounts and links to the
   * realm carried into MAS's database by {@code mas-cli syn2mas}, resumed; the member signs in
   * through MAS as the same Matrix user and reads what they said.
   */
  @Test
  void anInstanceOfSynapsesOwnSignOnMovesOverWithSyn2mas() throws Exception {
    TestUser owner = Fixture.user("ada");
    String org = Fixture.organization(owner);
    JsonNode view = Fixture.matrixInstance(owner, org, "older");
    assertEquals("ready", view.path("state").asText(), view.toString());
    UUID id = UUID.fromString(view.path("id").asText());
    // Made as before MAS: Synapse's own sign-on, no MAS database.
    mark(id, false);
    reach(owner, org, "older", "ready");
    InstanceSpec spec =
        QuarkusTransaction.requiringNew()
            .call(() -> reconciler.spec(Instance.<Instance>findById(id)));
    assertFalse(spec.authService());
    dropAuthServiceDatabase(spec);
    Placement placement = runtime.placement(spec, reconciler.localPortOf(id));
    String synapse = placement.baseUrl();
    String room;
    String userId;
    try (Browser browser = Browser.launch()) {
      MatrixUser before = MatrixUser.signIn(browser, synapse, owner, "oidc-salons");
      userId = before.userId();
      room = before.createRoom("avant", "Avant", "Avant MAS", false);
      before.send(room, "Dit avant le passage à MAS");
    }

    // The guide's steps: suspend, move over, syn2mas, resume.
    as(owner).post(path(org) + "/older/suspend").then().statusCode(202);
    reach(owner, org, "older", "suspended");
    TestUser operator = Fixture.servers().operator("hoster-" + UUID.randomUUID());
    as(operator).post(path(org) + "/older/authentication-service").then().statusCode(202);
    long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!databaseExists(spec.database().name() + "_mas")) {
      assertTrue(System.nanoTime() < until, "MAS's database was not made");
      Thread.sleep(500);
    }
    InstanceSpec moved =
        QuarkusTransaction.requiringNew()
            .call(() -> reconciler.spec(Instance.<Instance>findById(id)));
    Path config = Path.of(placement.configDir(), "config.yaml");
    until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!Files.exists(config)) {
      assertTrue(System.nanoTime() < until, "MAS's configuration was not written");
      Thread.sleep(500);
    }
    String password = Files.readString(Path.of(placement.secretsDir(), "mas-db-password")).strip();
    String database =
        "postgresql://"
            + moved.database().user()
            + ":"
            + password
            + "@"
            + moved.database().host()
            + ":"
            + moved.database().port()
            + "/"
            + moved.database().name();
    for (String step : List.of("check", "migrate")) {
      Process p =
          new ProcessBuilder(
                  binary(),
                  "syn2mas",
                  step,
                  "--config",
                  config.toString(),
                  "--synapse-config",
                  Path.of(placement.configDir(), "homeserver.yaml").toString(),
                  "--synapse-database-uri",
                  database,
                  "--ignore-missing-auth-providers")
              .directory(Path.of(binary()).getParent().toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES));
      System.out.println("syn2mas " + step + ":\n" + out);
      // The check's only warning (exit 11): Synapse's configuration, already MAS's, no longer
      // names the realm's provider; MAS's names it (synapse_idp_id), which is what links members.
      assertEquals(step.equals("check") ? 11 : 0, p.exitValue(), "syn2mas " + step + ": " + out);
      assertFalse(out.contains("===== Errors"), out);
    }
    as(owner).post(path(org) + "/older/resume").then().statusCode(202);
    view = reach(owner, org, "older", "ready");
    assertEquals("mas", view.path("signIn").asText());

    Placement.AuthService at = placement.authService().orElseThrow();
    try (Browser browser = Browser.launch()) {
      MatrixUser after =
          signIn(browser, synapse, "http://localhost:" + at.healthPort(), owner).orElseThrow();
      assertEquals(userId, after.userId(), "the same Matrix account, through MAS");
      after.awaitMessage(room, "Dit avant le passage à MAS", Duration.ofSeconds(30));
    }
  }

  /** Turns MAS on or off for an instance for its next generation (an instance made before MAS). */
  private static void mark(UUID id, boolean authService) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instance i = Instance.findById(id);
              i.authService = authService;
              i.generation++;
              i.nextAttemptAt = java.time.OffsetDateTime.now();
            });
  }

  private static JsonNode reach(TestUser owner, String org, String slug, String state)
      throws InterruptedException {
    JsonNode view = Fixture.settled(owner, org, slug, state);
    assertEquals(state, view.path("state").asText(), view.toString());
    return view;
  }

  @Inject coop.salons.provisioning.ProvisioningConfig config;

  private java.sql.Connection admin() throws java.sql.SQLException {
    var t = config.tenantDatabase();
    return java.sql.DriverManager.getConnection(t.adminJdbcUrl(), t.adminUser(), t.adminPassword());
  }

  private boolean databaseExists(String name) throws java.sql.SQLException {
    try (var c = admin();
        var q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      q.setString(1, name);
      return q.executeQuery().next();
    }
  }

  private void dropAuthServiceDatabase(InstanceSpec spec) throws java.sql.SQLException {
    try (var c = admin();
        var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS \"" + spec.database().name() + "_mas\" WITH (FORCE)");
    }
  }

  /**
   * Signs in as an app of OAuth 2.0 delegation does (Element X, Element Web with MAS): it reads
   * where to sign in from the server's authentication metadata, registers itself with MAS (dynamic
   * client registration), sends the browser to MAS's authorization page with a PKCE challenge, and
   * trades the code for an access token Synapse takes.
   */
  private MatrixUser signInWithOAuth(Browser browser, String synapse, TestUser user)
      throws Exception {
    JsonNode metadata = get(synapse + "/_matrix/client/v1/auth_metadata");
    String app = "http://localhost:18799/";
    String redirect = app + "callback";
    JsonNode client =
        post(
            metadata.path("registration_endpoint").asText(),
            "application/json",
            JSON.writeValueAsString(
                Map.of(
                    "client_name",
                    "Une app de test",
                    "client_uri",
                    app,
                    "redirect_uris",
                    List.of(redirect),
                    "grant_types",
                    List.of("authorization_code", "refresh_token"),
                    "response_types",
                    List.of("code"),
                    "token_endpoint_auth_method",
                    "none",
                    "application_type",
                    "web")));
    String clientId = client.path("client_id").asText();
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    String verifier = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String device = "SALONSAPP" + (int) (Math.random() * 10);
    String scope = "openid urn:matrix:client:api:* urn:matrix:client:device:" + device;
    String authorize =
        metadata.path("authorization_endpoint").asText()
            + "?response_type=code&client_id="
            + enc(clientId)
            + "&redirect_uri="
            + enc(redirect)
            + "&scope="
            + enc(scope)
            + "&state=salons&code_challenge_method=S256&code_challenge="
            + challenge;
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      String[] landed = new String[1];
      page.onRequest(
          r -> {
            if (r.url().startsWith(redirect)) {
              landed[0] = r.url();
            }
          });
      page.navigate(authorize);
      Browser.signInOnKeycloak(page, user.username(), user.password());
      page.waitForCondition(
          () -> landed[0] != null || page.locator("form.cpd-form-root button").count() > 0,
          new Page.WaitForConditionOptions().setTimeout(30_000));
      if (landed[0] == null) {
        // MAS asks the person to let the app in.
        page.screenshot(
            new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/mas-consent.png")));
        page.locator("form.cpd-form-root button[type=submit]").first().click();
        page.waitForCondition(
            () -> landed[0] != null, new Page.WaitForConditionOptions().setTimeout(15_000));
      }
      Matcher code = Pattern.compile("[?&]code=([^&#]+)").matcher(landed[0]);
      assertTrue(code.find(), landed[0]);
      assertTrue(landed[0].contains("state=salons"), landed[0]);
      JsonNode token =
          post(
              metadata.path("token_endpoint").asText(),
              "application/x-www-form-urlencoded",
              "grant_type=authorization_code&code="
                  + code.group(1)
                  + "&redirect_uri="
                  + enc(redirect)
                  + "&client_id="
                  + enc(clientId)
                  + "&code_verifier="
                  + verifier);
      String accessToken = token.path("access_token").asText();
      HttpResponse<String> whoami =
          http.send(
              HttpRequest.newBuilder(URI.create(synapse + "/_matrix/client/v3/account/whoami"))
                  .header("Authorization", "Bearer " + accessToken)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, whoami.statusCode(), whoami.body());
      JsonNode me = JSON.readTree(whoami.body());
      assertEquals(device, me.path("device_id").asText(), whoami.body());
      return MatrixUser.withToken(synapse, accessToken, me.path("user_id").asText());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private JsonNode post(String url, String type, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, url + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  /** What MAS's page said the last time it refused someone. */
  private String refusal = "";

  /** The status of {@code whoami} with the user's session: 200 while it lasts. */
  private static int whoami(MatrixUser user) {
    return user.call("GET", "/_matrix/client/v3/account/whoami", null).status();
  }

  /**
   * Signs in as an app does through MAS's compatibility layer: the browser goes to MAS, on to the
   * realm's login form, back to MAS, which hands the app a login token it trades for a session.
   * Empty when MAS refuses the person (the page then says why).
   */
  private Optional<MatrixUser> signIn(Browser browser, String synapse, String compat, TestUser user)
      throws Exception {
    String back = synapse + "/_matrix/client/versions";
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(
          compat
              + "/_matrix/client/v3/login/sso/redirect?redirectUrl="
              + URLEncoder.encode(back, StandardCharsets.UTF_8));
      Browser.signInOnKeycloak(page, user.username(), user.password());
      page.waitForCondition(
          () ->
              LOGIN_TOKEN.matcher(page.url()).find()
                  || page.locator("button[type=submit]").count() > 0
                  || page.locator(".cpd-form-message-error, .text-critical, h1").count() > 0,
          new Page.WaitForConditionOptions().setTimeout(30_000));
      if (!LOGIN_TOKEN.matcher(page.url()).find()
          && page.locator("form.cpd-form-root button[type=submit]").count() > 0) {
        // MAS asks the person to confirm they continue to the app (the form beside it signs out).
        page.locator("form.cpd-form-root button[type=submit]").first().click();
        page.waitForCondition(
            () -> LOGIN_TOKEN.matcher(page.url()).find() || page.url().contains("error"),
            new Page.WaitForConditionOptions().setTimeout(15_000));
      }
      Path shot = Path.of("target/screenshots/mas-sign-in-" + user.username() + ".png");
      page.screenshot(new Page.ScreenshotOptions().setPath(shot));
      Matcher m = LOGIN_TOKEN.matcher(page.url());
      if (!m.find()) {
        refusal = page.innerText("body");
        return Optional.empty();
      }
      String body =
          JSON.writeValueAsString(
              Map.of(
                  "type",
                  "m.login.token",
                  "token",
                  java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)));
      HttpResponse<String> login =
          http.send(
              HttpRequest.newBuilder(URI.create(compat + "/_matrix/client/v3/login"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, login.statusCode(), login.body());
      JsonNode session = JSON.readTree(login.body());
      String token = session.path("access_token").asText();
      // Synapse takes MAS's session: it asks MAS who holds the token.
      HttpResponse<String> whoami =
          http.send(
              HttpRequest.newBuilder(URI.create(synapse + "/_matrix/client/v3/account/whoami"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, whoami.statusCode(), whoami.body());
      String userId = JSON.readTree(whoami.body()).path("user_id").asText();
      assertTrue(userId.equals(session.path("user_id").asText()), whoami.body());
      return Optional.of(MatrixUser.withToken(synapse, token, userId));
    }
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return JSON.readTree(r.body());
  }
}
