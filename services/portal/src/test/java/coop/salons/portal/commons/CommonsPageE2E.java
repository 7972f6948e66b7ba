package coop.salons.portal.commons;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import coop.salons.testing.Browser;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commons page in a real Chromium, in French and English, with the real services behind the
 * portal (identity, the commons service, provisioning running the commons server, a real Synapse):
 * anyone browses the themes and the ways in; a member of an association opens a room and sees it
 * made; a bad address is refused with the reason; the hoster archives the room. Every page state is
 * checked with axe-core; screenshots go to target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = {
      @ResourceArg(name = "service", value = "portal"),
      @ResourceArg(name = "backends", value = "true")
    })
class CommonsPageE2E {

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
  void anyoneBrowsesTheCommonsAMemberOpensARoomTheHosterArchivesIt() {
    TestUser member = SERVERS.user("dora-commons");
    String org = Fixtures.organization(member);
    TestUser hoster = SERVERS.operator("hugo-hoster");
    String alias = "velo-" + UUID.randomUUID().toString().substring(0, 6);
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      // Anyone, not signed in, in French: the themes, their rooms and the ways in.
      page.navigate(SERVERS.portalUrl() + "/communs");
      assertThat(page.locator("html")).hasAttribute("lang", "fr");
      assertThat(page.locator("h1")).hasText("Les communs");
      reloadUntil(page, page.locator("#theme-climat li[data-alias=climat] .matrix-to"));
      assertThat(page.locator("#theme-climat h2")).containsText("Climat");
      assertThat(page.locator("#theme-education-populaire h2")).containsText("Éducation populaire");
      assertThat(page.locator("#commons-homeserver")).containsText("http://localhost:");
      assertThat(page.locator("#open-sign-in")).isVisible();
      accessible(page, "commons-fr");

      // The same page in English.
      page.navigate(SERVERS.portalUrl() + "/commons?lang=en");
      assertThat(page.locator("h1")).hasText("The commons");
      assertThat(page.locator("#theme-climat h2")).containsText("Climate");
      accessible(page, "commons-en");

      // A member of an association signs in and opens a room under a theme.
      page.locator("#sign-in").click();
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, member.username(), member.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      page.navigate(SERVERS.portalUrl() + "/communs");
      assertThat(page.locator("#open-left")).isVisible();
      accessible(page, "commons-member-fr");

      // A bad address is refused, with the reason, and nothing is made.
      page.locator("#room-theme").selectOption("mobilites");
      page.locator("#room-name").fill("Atelier <vélo> solidaire");
      page.locator("#room-alias").evaluate("e => e.removeAttribute('pattern')");
      page.locator("#room-alias").fill("Atelier Vélo!");
      page.locator("#open-room-button").click();
      assertThat(page.locator("#commons-errors")).containsText("alias");
      assertThat(page.locator("#commons-errors")).containsText("name");
      assertEquals("Atelier <vélo> solidaire", page.locator("#room-name").inputValue(), "kept");
      accessible(page, "commons-refused-fr");

      page.locator("#room-name").fill("Atelier vélo solidaire");
      page.locator("#room-alias").fill(alias);
      page.locator("#room-topic").fill("Réparer ensemble, entre associations");
      page.locator("#open-room-button").click();
      page.waitForURL(Pattern.compile(".*/communs\\?opened=" + alias));
      assertThat(page.locator("#opened")).containsText("#" + alias);
      Locator room = page.locator("#theme-mobilites li[data-alias=" + alias + "]");
      reloadUntil(page, room.locator(".matrix-to"));
      assertThat(room).containsText("Atelier vélo solidaire");
      assertThat(room.locator(".address")).containsText("#" + alias + ":localhost:");
      accessible(page, "commons-opened-fr");
      // The association says which themes it works on, on its own page.
      page.navigate(SERVERS.portalUrl() + "/app/organizations/" + org);
      page.locator("#theme-climat").check();
      page.locator("#theme-logement").check();
      page.locator("#themes-save").click();
      page.waitForURL(Pattern.compile(".*/app/organizations/" + org + "\\?themes=saved.*"));
      assertThat(page.locator("#theme-climat")).isChecked();
      assertThat(page.locator("#theme-logement")).isChecked();
      assertThat(page.locator("#theme-culture")).not().isChecked();
      accessible(page, "organization-themes");
    }

    // The hoster archives it: it leaves the page.
    try (BrowserContext context = browser.context("en-GB")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, hoster.username(), hoster.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      page.navigate(SERVERS.portalUrl() + "/commons?lang=en");
      Locator room = page.locator("#theme-mobilites li[data-alias=" + alias + "]");
      assertThat(room.locator("button.archive")).isVisible();
      accessible(page, "commons-hoster-en");
      room.locator("button.archive").click();
      page.waitForURL(Pattern.compile(".*/commons\\?archived=" + alias));
      assertThat(page.locator("#archived")).containsText("#" + alias);
      assertThat(page.locator("#theme-mobilites li[data-alias=" + alias + "]")).hasCount(0);
    }
  }

  /** Reloads the page until the locator shows (the commons server makes rooms in seconds). */
  private static void reloadUntil(Page page, Locator locator) {
    long deadline = System.nanoTime() + 360_000_000_000L;
    while (locator.count() == 0 && System.nanoTime() < deadline) {
      page.waitForTimeout(1000);
      page.reload();
    }
    assertThat(locator.first()).isVisible();
  }

  private static void accessible(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setFullPage(true)
            .setPath(Path.of("target/screenshots/" + name + ".png")));
    List<String> violations = Browser.accessibilityViolations(page);
    assertTrue(violations.isEmpty(), name + ": " + String.join("\n", violations));
  }
}
