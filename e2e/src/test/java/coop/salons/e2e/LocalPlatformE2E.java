package coop.salons.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import coop.salons.testing.Browser;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The local platform as a newcomer starts it ({@code ./salons run}, minus the Maven build that the
 * reactor has just done): its own PostgreSQL and Keycloak, the four packaged services, the portal
 * on http://localhost:8080, and the demo account signing in through a real Chromium. Then Ctrl-C
 * (SIGTERM) stops everything and frees the ports.
 */
class LocalPlatformE2E {

  private static final Path DATA = Path.of("target/e2e-platform").toAbsolutePath();

  @Test
  void theRunCommandServesThePortalAndTheDemoAccountSignsIn() throws Exception {
    deleteTree(DATA);
    Files.createDirectories(DATA);
    Path log = DATA.resolveSibling("e2e-platform.log");
    ProcessBuilder start =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "coop.salons.local.LocalPlatform",
                    "run",
                    "--data-dir",
                    DATA.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Usage samples every few seconds instead of every ten minutes, for the billing page below.
    start.environment().put("SALONS_PROVISIONING_USAGE_EVERY", "5s");
    Process platform = start.start();
    try {
      waitForReady(platform, log);
      String output = Files.readString(log);
      assertTrue(output.contains("Portal:    http://localhost:8080"), output);
      assertTrue(output.contains("Sign in:   demo / "), output);

      HttpClient http = HttpClient.newHttpClient();
      for (int port : new int[] {8081, 8082, 8083, 8084}) {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "service on port " + port);
      }

      String demoPassword = secrets().getProperty("SALONS_DEMO_PASSWORD");
      try (Browser browser = Browser.launch();
          BrowserContext context = browser.context("en-GB")) {
        Page page = context.newPage();
        page.navigate("http://localhost:8080/");
        assertThat(page.locator("h1")).containsText("Chat for associations");
        page.screenshot(
            new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/landing-en.png")));
        page.locator("#sign-in").click();
        page.waitForURL(Pattern.compile("http://localhost:8180/realms/salons/.*"));
        Browser.signInOnKeycloak(page, "demo", demoPassword);
        page.waitForURL("http://localhost:8080/app");
        assertThat(page.locator("#signed-in-as")).containsText("Demo Volunteer");
        assertThat(page.locator("#orgs-none")).isVisible();

        // A bad short name is refused with the field named, and nothing is created.
        page.locator("#org-name").fill("Les Amis de la Terre");
        page.locator("#org-slug").evaluate("e => e.removeAttribute('pattern')");
        page.locator("#org-slug").fill("Amis!");
        page.locator("#create-org").click();
        assertThat(page.locator("#create-errors")).containsText("slug");
        assertThat(page.locator("#orgs-none")).isVisible();

        // The volunteer creates their association's organisation through the portal.
        page.locator("#org-slug").fill("amis-terre");
        page.locator("#create-org").click();
        page.waitForURL("http://localhost:8080/app?created=amis-terre");
        assertThat(page.locator("#created")).isVisible();
        assertThat(page.locator("#organizations li[data-slug=amis-terre]")).containsText("owner");
        page.screenshot(
            new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/dashboard-en.png")));

        // The same space in French.
        page.navigate("http://localhost:8080/app?lang=fr");
        assertThat(page.locator("h1")).hasText("Votre espace");
        assertThat(page.locator("#organizations li[data-slug=amis-terre]"))
            .containsText("1 membre(s)");

        // The volunteer asks for the association's Matrix chat and watches it come up: a real
        // Synapse, started by the local runtime (its virtualenv is created if this is the first).
        page.navigate("http://localhost:8080/app?lang=en");
        page.locator("#organizations li[data-slug=amis-terre] a").click();
        page.waitForURL("http://localhost:8080/app/organizations/amis-terre");
        assertThat(page.locator("#instances-none")).isVisible();
        page.locator("#instance-name").fill("Le salon des amis");
        page.locator("#instance-slug").fill("salon");
        // At a domain of the association's own (here one that never exists in DNS).
        page.locator("#instance-domain").fill("salon.amis-terre.example.org");
        page.locator("#create-instance").click();
        page.waitForURL("http://localhost:8080/app/organizations/amis-terre/instances/salon");
        assertThat(page.locator("#progress")).isVisible();
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(Path.of("target/screenshots/instance-coming-up.png")));
        // The page refreshes itself until the chat is ready.
        assertThat(page.locator("#instance-ready"))
            .isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                    .setTimeout(240_000));
        assertThat(page.locator("#steps li.done")).hasCount(5);
        page.screenshot(
            new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/instance-ready.png")));
        // The page names the DNS record that would bring the domain here; looking it up again
        // finds it does not lead here (or that DNS does not answer, on a machine without one).
        assertThat(page.locator("#domain-record"))
            .hasText("salon.amis-terre.example.org. CNAME salon.amis-terre.chat.localhost.");
        page.locator("#domain-check").click();
        page.waitForURL("http://localhost:8080/app/organizations/amis-terre/instances/salon");
        assertThat(page.locator("#domain"))
            .hasAttribute("data-status", java.util.regex.Pattern.compile("False|Unknown"));
        assertThat(page.locator("#domain-record")).isVisible();
        // And the TXT record that proves the domain is the association's, with its own value.
        assertThat(page.locator("#domain-proof"))
            .hasText(
                java.util.regex.Pattern.compile(
                    "_salons-proof\\.salon\\.amis-terre\\.example\\.org\\. TXT \"salons-proof=[0-9a-f]{40}\""));
        // No web client on this machine: the page says how to connect a Matrix app to the
        // server, and the address it gives is the server's.
        assertThat(page.locator("#open-chat")).hasCount(0);
        assertThat(page.locator("#connect-steps li")).hasCount(4);
        assertEquals(
            List.of(), Browser.accessibilityViolations(page), "the instance page passes axe-core");
        String chat = page.locator("#homeserver-url").textContent() + "/";
        HttpResponse<String> versions =
            http.send(
                HttpRequest.newBuilder(URI.create(chat + "_matrix/client/versions")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, versions.statusCode(), versions.body());
        assertTrue(versions.body().contains("\"versions\""), versions.body());
        // The footer links the platform's API: the four services' documents in one, each path
        // naming the service that answers it.
        assertThat(page.locator("#api-link")).hasAttribute("href", "/openapi.json");
        HttpResponse<String> api =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:8080/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, api.statusCode(), api.body());
        com.fasterxml.jackson.databind.JsonNode doc =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(api.body());
        assertEquals(
            "http://localhost:8082",
            doc.at("/paths/~1api~1v1~1organizations/servers/0/url").asText());
        assertEquals(
            "http://localhost:8081",
            doc.at("/paths/~1api~1v1~1organizations~1{org}~1instances/servers/0/url").asText());
        assertEquals(
            "http://localhost:8083", doc.at("/paths/~1api~1v1~1plans/servers/0/url").asText());
        assertEquals(
            "http://localhost:8084",
            doc.at("/paths/~1api~1v1~1commons~1themes/servers/0/url").asText());
        // Suspended: the server stops (the page follows it); started again: it answers again.
        page.locator("#suspend").click();
        assertThat(page.locator("#resume"))
            .isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                    .setTimeout(60_000));
        assertThat(page.locator("#instance-state")).hasAttribute("data-state", "suspended");
        assertTrue(!answers(http, chat), "a suspended chat server does not answer");
        page.locator("#resume").click();
        assertThat(page.locator("#instance-ready"))
            .isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                    .setTimeout(120_000));
        assertTrue(answers(http, chat), "the chat server answers again");
        page.locator("a[href='/app/organizations/amis-terre']").click();
        assertThat(page.locator("#instances li[data-slug=salon]")).containsText("Ready");
        page.navigate("http://localhost:8080/app/organizations/amis-terre?lang=fr");
        assertThat(page.locator("#instances li[data-slug=salon]")).containsText("Prête");

        // The owner deletes the instance: it stops at once and can be restored for 7 days.
        page.navigate("http://localhost:8080/app/organizations/amis-terre/instances/salon?lang=en");
        page.locator("#delete-box summary").click();
        page.locator("#delete-confirm").check();
        page.locator("#delete").click();
        assertThat(page.locator("#deletion-scheduled")).isVisible();
        assertThat(page.locator("#instance-state"))
            .hasAttribute("data-state", "deletion-requested");
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(Path.of("target/screenshots/instance-deletion-scheduled.png")));
        page.locator("#restore").click();
        assertThat(page.locator("#instance-ready"))
            .isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                    .setTimeout(120_000));
        assertTrue(answers(http, chat), "the restored chat server answers");

        // The commons: the platform's own Matrix server came up with it, and its thematic rooms
        // are listed, with the ways in, for anyone.
        page.navigate("http://localhost:8080/communs");
        for (int tries = 0;
            page.locator("#theme-climat li[data-alias=climat] .matrix-to").count() == 0
                && tries < 90;
            tries++) {
          Thread.sleep(2000); // the commons server and its rooms are made in the background
          page.reload();
        }
        assertThat(page.locator("h1")).hasText("Les communs");
        assertThat(page.locator("#theme-climat li[data-alias=climat] .address"))
            .hasText("#climat:localhost:8401");
        assertThat(page.locator("#open-left")).isVisible(); // a member of an association
        page.screenshot(
            new Page.ScreenshotOptions()
                .setFullPage(true)
                .setPath(Path.of("target/screenshots/commons-fr.png")));

        // Hosting and costs: the plan, the quotas, the use measured by provisioning and sent to
        // billing, drawn as charts; the month's statement and its CSV; the owner's price.
        page.navigate("http://localhost:8080/app/organizations/amis-terre/billing?lang=en");
        assertThat(page.locator("#plan")).containsText("Small association");
        // Provisioning holds one slot of the plan's instances quota in billing.
        assertThat(page.locator("#quotas li[data-quota=instances]")).containsText("1 / 1");
        // Identity holds the owner's slot of the members quota.
        assertThat(page.locator("#quotas li[data-quota=members]")).containsText("1 / 50");
        for (int tries = 0; page.locator("#chart-cpu rect").count() == 0 && tries < 30; tries++) {
          Thread.sleep(2000); // the next usage sample is a few seconds away
          page.reload();
        }
        assertTrue(page.locator("#chart-cpu rect").count() > 0, "the usage chart has bars");
        assertTrue(page.locator("#chart-storage rect").count() > 0);
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(Path.of("target/screenshots/billing-en.png"))
                .setFullPage(true));
        // The owner chooses to pay 7.50 a month; below the plan's floor is refused.
        page.locator("#price").fill("7.50");
        page.locator("#change-plan").click();
        page.waitForURL("http://localhost:8080/app/organizations/amis-terre/billing");
        assertThat(page.locator("#plan")).containsText("7.50 EUR");
        page.locator("#plan-id").selectOption("large");
        page.locator("#price").evaluate("e => e.removeAttribute('pattern')");
        page.locator("#price").fill("1");
        page.locator("#change-plan").click();
        assertThat(page.locator("#billing-errors")).containsText("priceCents");
        assertThat(page.locator("#plan")).containsText("Small association");
        page.navigate("http://localhost:8080/app/organizations/amis-terre/billing?lang=fr");
        assertThat(page.locator("#billing-title")).hasText("Hébergement et coûts");
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(Path.of("target/screenshots/billing-fr.png"))
                .setFullPage(true));
        // Members: the owner is listed; someone without an account is invited by email (after
        // billing said the plan has room).
        page.navigate("http://localhost:8080/app/organizations/amis-terre/members?lang=en");
        assertThat(page.locator("#members tr[data-username=demo]")).containsText("Owner");
        page.locator("#member-email").fill("camille@example.org");
        page.locator("#add-member").click();
        assertThat(page.locator("#member-invited")).containsText("camille@example.org");
        page.screenshot(
            new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/members-en.png")));
        // The only owner cannot make themself a mere member: identity's refusal is shown.
        page.locator("select[data-role-of=demo]").selectOption("member");
        page.locator("button[data-change-role=demo]").click();
        assertThat(page.locator("#member-errors")).isVisible();
        assertThat(page.locator("#members tr[data-username=demo]")).containsText("Owner");

        // Sign-in: the owner links the association's own provider. One that does not answer is
        // refused with the reason; a real one (the same Keycloak's master realm as a SAML
        // provider, on this machine) is linked and says what to register there; then unlinked.
        page.navigate("http://localhost:8080/app/organizations/amis-terre");
        page.locator("#sign-in-link").click();
        assertThat(page.locator("#no-provider")).isVisible();
        page.locator("#provider-display").fill("Amis accounts");
        page.locator("#provider-name").fill("amis");
        page.locator("#provider-domain").fill("amis-terre.org");
        page.locator("#provider-url")
            .fill("https://login.amis-terre.invalid/.well-known/openid-configuration");
        page.locator("#provider-client-id").fill("salons");
        page.locator("#provider-client-secret").fill("a-secret-of-the-association");
        page.locator("#add-provider").click();
        assertThat(page.locator("#provider-errors")).containsText("does not resolve");
        assertThat(page.locator("#provider-domain")).hasValue("amis-terre.org");
        page.locator("#provider-kind").selectOption("saml");
        page.locator("#provider-url")
            .fill("http://localhost:8180/realms/master/protocol/saml/descriptor");
        page.locator("#add-provider").click();
        assertThat(page.locator("#provider-added")).containsText("Amis accounts");
        assertThat(page.locator("#providers tr[data-provider=amis] code.register"))
            .containsText("/realms/salons/broker/amis-terre-amis/endpoint/descriptor");
        // Not used until the email domain is proven: the record to publish is shown, and checking
        // now (no such record for amis-terre.org) leaves it waiting.
        assertThat(page.locator("[data-proof=amis] code.proof-record"))
            .containsText("_salons-proof.amis-terre.org. TXT \"salons-proof=");
        page.locator("button[data-check-provider=amis]").click();
        assertThat(page.locator("[data-proof=amis]")).isVisible();
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(Path.of("target/screenshots/sign-in-en.png"))
                .setFullPage(true));
        page.navigate("http://localhost:8080/app/organizations/amis-terre/sign-in?lang=fr");
        assertThat(page.locator("#providers-title")).hasText("Connexion");
        page.locator("button[data-remove-provider=amis]").click();
        assertThat(page.locator("#no-provider")).isVisible();

        // The transparency page is public.
        try (BrowserContext anonymous = browser.context("fr-FR")) {
          Page outside = anonymous.newPage();
          outside.navigate("http://localhost:8080/transparency");
          assertThat(outside.locator("#platform-total")).isVisible();
          assertTrue(outside.locator("#chart-platform-cost rect").count() > 0);
          outside.screenshot(
              new Page.ScreenshotOptions()
                  .setPath(Path.of("target/screenshots/transparency-fr.png"))
                  .setFullPage(true));
        }
      }
    } finally {
      platform.destroy(); // SIGTERM, as Ctrl-C would
      boolean exited = platform.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        platform.descendants().forEach(ProcessHandle::destroyForcibly);
        platform.destroyForcibly();
      }
      assertTrue(exited, "the platform did not stop on SIGTERM");
    }
    assertTrue(Files.readString(log).contains("[salons] stopped."), Files.readString(log));
    // The chat servers stop with the platform too: the commons server (8400, the local runtime's
    // first port, and 8401 for federation) and the association's (8402).
    for (int port : new int[] {8080, 8081, 8082, 8083, 8084, 8180, 5433, 8400, 8401, 8402}) {
      assertTrue(portIsFree(port), "port " + port + " is still taken after stopping");
    }
  }

  private static boolean answers(HttpClient http, String chat) throws InterruptedException {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(chat + "_matrix/client/versions"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitForReady(Process platform, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (!Files.exists(DATA.resolve("ready"))) {
      if (!platform.isAlive()) {
        throw new AssertionError("the platform stopped:\n" + Files.readString(log));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "the platform was not ready in 5 minutes:\n" + Files.readString(log));
      }
      Thread.sleep(500);
    }
  }

  private static Properties secrets() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(DATA.resolve("secrets.properties"))) {
      p.load(in);
    }
    return p;
  }

  private static boolean portIsFree(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
