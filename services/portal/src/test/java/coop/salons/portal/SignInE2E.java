package coop.salons.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import coop.salons.testing.Browser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A person signs in through the real Keycloak in a real headless Chromium, and out again. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "portal"))
class SignInE2E {

  static Browser browser;

  @BeforeAll
  static void launch() {
    browser = Browser.launch();
  }

  @AfterAll
  static void close() {
    browser.close();
  }

  @Test
  void signInThroughKeycloakAndOut() {
    TestServers servers = TestServers.get();
    TestServers.TestUser carol = servers.user("carol");
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(servers.portalUrl() + "/");
      assertThat(page.locator("h1")).containsText("associations");
      assertThat(page.locator("html")).hasAttribute("lang", "fr");

      page.locator("#sign-in").click();
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, carol.username(), carol.password());

      page.waitForURL(Pattern.compile(".*/app$"));
      assertThat(page.locator("#signed-in-as")).containsText("carol");
      // Only the portal runs in this test: the page says so instead of failing.
      assertThat(page.locator("#orgs-unavailable")).isVisible();
      page.screenshot(
          new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/dashboard-fr.png")));

      page.locator("#sign-out").click();
      page.waitForURL(Pattern.compile(Pattern.quote(servers.portalUrl()) + "/(\\?.*)?$"));
      assertThat(page.locator("#sign-in")).isVisible();
    }
  }

  @Test
  void aWrongPasswordStaysOnTheLoginPage() {
    TestServers servers = TestServers.get();
    TestServers.TestUser carol = servers.user("carol");
    try (BrowserContext context = browser.context("en-GB")) {
      Page page = context.newPage();
      page.navigate(servers.portalUrl() + "/app");
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, carol.username(), "not-the-password");
      assertThat(
              page.getByText(Pattern.compile("Invalid .*password", Pattern.CASE_INSENSITIVE))
                  .first())
          .isVisible();
      assertThat(page).hasURL(Pattern.compile(".*/realms/salons/.*"));
    }
  }

  /**
   * The portal's Content-Security-Policy as Chromium applies it: a script injected into a page (as
   * a cross-site scripting flaw would) does not run, inline or as an event handler.
   */
  @Test
  void anInjectedScriptDoesNotRun() {
    TestServers servers = TestServers.get();
    try (BrowserContext context = browser.context("en-GB")) {
      Page page = context.newPage();
      page.navigate(servers.portalUrl() + "/");
      page.evaluate(
          "() => {"
              + " const s = document.createElement('script');"
              + " s.textContent = \"document.body.dataset.injected = 'script'\";"
              + " document.body.appendChild(s);"
              + " const i = document.createElement('img');"
              + " i.setAttribute('onerror', \"document.body.dataset.handler = 'ran'\");"
              + " i.src = 'data:,not-an-image';"
              + " document.body.appendChild(i);"
              + " }");
      page.waitForTimeout(500);
      org.junit.jupiter.api.Assertions.assertEquals(
          null, page.evaluate("() => document.body.dataset.injected ?? null"));
      org.junit.jupiter.api.Assertions.assertEquals(
          null, page.evaluate("() => document.body.dataset.handler ?? null"));
      // The page itself still works: the policy blocks only what the portal does not send.
      assertThat(page.locator("h1")).isVisible();
    }
  }
}
