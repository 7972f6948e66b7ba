package coop.salons.portal.automation;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import coop.salons.testing.Browser;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The automation page in a real Chromium with the real identity behind the portal: an owner makes a
 * client for a script and sees its secret once, the script gets a token with it, the page shows its
 * last use, the owner revokes it; an admin is refused the page, an outsider does not learn the
 * organisation exists. Every state is checked with axe-core, in French and English.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = {
      @ResourceArg(name = "service", value = "portal"),
      @ResourceArg(name = "backends", value = "true")
    })
class AutomationPageE2E {

  static Browser browser;
  static final TestServers SERVERS = TestServers.get();

  @BeforeAll
  static void launch() {
    browser = Browser.launch();
  }

  @AfterAll
  static void close() {
    browser.close();
  }

  @Test
  void anOwnerMakesAClientForAScriptSeesItUsedAndRevokesIt() {
    TestUser owner = SERVERS.user("otto-automation");
    TestUser admin = SERVERS.user("ada-automation");
    TestUser outsider = SERVERS.user("oscar-automation");
    String org = Fixtures.organization(owner);
    Fixtures.addMember(org, owner, admin, "admin");
    String url = SERVERS.portalUrl() + "/app/organizations/" + org + "/automation";
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      Browser.signInOnKeycloak(page, owner.username(), owner.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      page.navigate(SERVERS.portalUrl() + "/app/organizations/" + org);
      page.locator("#automation-link").click();
      assertThat(page.locator("h1")).hasText("Scripts et automatisation");
      assertThat(page.locator("#no-automation")).isVisible();
      Browser.assertAccessible(page, "automation-empty-fr");

      page.locator("#automation-name").fill("Export nocturne");
      page.locator("#automation-role").selectOption("admin");
      page.locator("#add-automation").click();
      assertThat(page.locator("#automation-secret")).isVisible();
      String clientId = page.locator("#secret-client-id").textContent();
      String secret = page.locator("#secret-value").textContent();
      assertThat(page.locator("tr[data-client='Export nocturne'] .last-used")).hasText("jamais");
      Browser.assertAccessible(page, "automation-secret-fr");

      // The script gets a token; the page then shows when it was used, without the secret.
      SERVERS.clientCredentialsToken(clientId, secret);
      page.navigate(url + "?lang=en");
      assertThat(page.locator("#automation-secret")).hasCount(0);
      assertThat(page.locator("tr[data-client='Export nocturne'] .last-used"))
          .hasText(Pattern.compile("\\d{4}-\\d{2}-\\d{2}"));
      Browser.assertAccessible(page, "automation-used-en");

      page.locator("button[data-revoke='Export nocturne']").click();
      assertThat(page.locator("#no-automation")).isVisible();
      assertThrows(RuntimeException.class, () -> SERVERS.clientCredentialsToken(clientId, secret));
    }
    // An admin is refused the page; an outsider does not learn the organisation exists.
    for (var who : new TestUser[] {admin, outsider}) {
      try (BrowserContext context = browser.context("en-GB")) {
        Page page = context.newPage();
        page.navigate(SERVERS.portalUrl() + "/app");
        Browser.signInOnKeycloak(page, who.username(), who.password());
        page.waitForURL(Pattern.compile(".*/app$"));
        Response answer = page.navigate(url);
        assertEquals(who == admin ? 403 : 404, answer.status(), who.username());
      }
    }
  }
}
