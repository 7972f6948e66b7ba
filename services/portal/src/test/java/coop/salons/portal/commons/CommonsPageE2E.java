package coop.salons.portal.commons;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import coop.salons.testing.Browser;
import coop.salons.testing.Fixtures;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
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

  @Test
  void anAdminPublishesARoomAnyoneFindsItSomeoneReportsItTheHosterHidesIt() throws Exception {
    TestUser owner = SERVERS.user("gaia-directory");
    TestUser reader = SERVERS.user("ines-directory");
    TestUser hoster = SERVERS.operator("hugo-hoster");
    String org = Fixtures.organization(owner);
    Fixtures.organization(reader);
    String provisioning = SERVERS.provisioningUrl();
    Fixtures.as(owner)
        .baseUri(provisioning)
        .body(java.util.Map.of("slug", "chat", "flavour", "matrix", "federation", "platform-only"))
        .post("/api/v1/organizations/" + org + "/instances")
        .then()
        .statusCode(202);
    String url = awaitReady(provisioning, owner, org);
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    MatrixUser gaia = MatrixUser.signIn(browser, url, owner, "oidc-salons");
    gaia.createRoom(
        "jardin-" + suffix, "Jardin partagé " + suffix, "Potager collectif du quartier", true);

    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app/organizations/" + org + "/directory");
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, owner.username(), owner.password());
      page.waitForURL(Pattern.compile(".*/app/organizations/" + org + "/directory$"));
      assertThat(page.locator("#listings-none")).isVisible();
      accessible(page, "directory-org-empty-fr");

      // Publishing without a theme is refused with the reason; the form keeps what was typed.
      page.locator("#publish-room")
          .selectOption(
              new com.microsoft.playwright.options.SelectOption()
                  .setLabel("Jardin partagé " + suffix));
      page.locator("#publish-fr")
          .fill("Un potager partagé entre voisins, ouvert à toutes et tous.");
      page.locator("#publish-button").click();
      assertThat(page.locator("#publish-errors")).containsText("themes");
      assertEquals(
          "Un potager partagé entre voisins, ouvert à toutes et tous.",
          page.locator("#publish-fr").inputValue());
      accessible(page, "directory-org-refused-fr");

      page.locator("#publish-theme-alimentation").check();
      page.locator("#publish-en").fill("A shared vegetable garden between neighbours.");
      page.locator("#publish-tags").fill("jardinage, quartier");
      page.locator("#publish-language").selectOption("fr-en");
      page.locator("#publish-button").click();
      page.waitForURL(Pattern.compile(".*/directory\\?published=.*"));
      assertThat(page.locator("#published")).containsText("Jardin partagé " + suffix);
      assertThat(page.locator("#listings li[data-state=listed]")).containsText("Jardin partagé");
      accessible(page, "directory-org-published-fr");
    }

    // Anyone, not signed in: the public page finds it by a word of its description, without
    // accents, filtered by its theme; then in English.
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/communs");
      assertThat(page.locator("#directory-newest")).containsText("Jardin partagé " + suffix);
      page.locator("#directory-q").fill("jardin " + suffix);
      page.locator("#directory-theme").selectOption("alimentation");
      page.locator("#directory-search").click();
      Locator card = page.locator("#directory-found li.listing").first();
      assertThat(card.locator(".listing-name")).hasText("Jardin partagé " + suffix);
      assertThat(card.locator(".listing-org")).hasText(org);
      assertThat(card.locator(".listing-description")).containsText("potager partagé");
      assertThat(card.locator(".matrix-to"))
          .hasAttribute("href", Pattern.compile("https://matrix.to/.*"));
      // The commons in figures: a chart per theme (and its table), one week by week.
      assertThat(page.locator("#chart-themes rect")).not().hasCount(0);
      assertThat(page.locator("#chart-weeks rect")).hasCount(8);
      // the food theme counts the garden: at least one room, one association
      Locator food =
          page.locator("#figures-table tbody tr")
              .filter(new Locator.FilterOptions().setHasText("Alimentation"));
      assertThat(food.locator("td").nth(1)).not().hasText("0");
      assertThat(food.locator("td").nth(2)).not().hasText("0");
      accessible(page, "directory-search-fr");
      page.locator("#directory-theme").selectOption("culture");
      page.locator("#directory-search").click();
      assertThat(page.locator("#directory-none")).isVisible();

      page.navigate(SERVERS.portalUrl() + "/commons?lang=en&q=garden+" + suffix);
      assertThat(page.locator("#directory-found .listing-description").first())
          .containsText("shared vegetable garden");
      accessible(page, "directory-search-en");
    }

    // A signed-in person reports it; the hoster reads the report and hides it.
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, reader.username(), reader.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      page.navigate(SERVERS.portalUrl() + "/communs?q=jardin+" + suffix);
      Locator card = page.locator("#directory-found li.listing").first();
      card.locator("summary").click();
      card.locator("input[name=reason]").fill("Publicité déguisée");
      card.locator("button[type=submit]").click();
      page.waitForURL(Pattern.compile(".*/communs\\?reported=true.*"));
      assertThat(page.locator("#reported")).isVisible();
      accessible(page, "directory-reported-fr");
      // and asks for the weekly digest
      page.locator("#digest-subscribed").check();
      page.locator("#digest-save").click();
      page.waitForURL(Pattern.compile(".*/communs\\?digest=true.*"));
      assertThat(page.locator("#digest-saved")).isVisible();
      assertThat(page.locator("#digest-subscribed")).isChecked();
    }
    try (BrowserContext context = browser.context("en-GB")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      page.waitForURL(Pattern.compile(".*/realms/salons/.*"));
      Browser.signInOnKeycloak(page, hoster.username(), hoster.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      page.navigate(SERVERS.portalUrl() + "/commons?lang=en");
      Locator report =
          page.locator("#report-queue li")
              .filter(new Locator.FilterOptions().setHasText("Jardin partagé " + suffix));
      assertThat(report).containsText("Publicité déguisée");
      accessible(page, "directory-reports-en");
      report.locator("button").click();
      page.waitForURL(Pattern.compile(".*/commons\\?hidden=true.*"));
      assertThat(page.locator("#hidden")).isVisible();
      page.navigate(SERVERS.portalUrl() + "/commons?lang=en&q=jardin+" + suffix);
      assertThat(page.locator("#directory-none")).isVisible();
    }
  }

  private static String awaitReady(String provisioning, TestUser owner, String org)
      throws InterruptedException {
    long deadline = System.nanoTime() + 360_000_000_000L;
    while (System.nanoTime() < deadline) {
      io.restassured.path.json.JsonPath view =
          Fixtures.as(owner)
              .baseUri(provisioning)
              .get("/api/v1/organizations/" + org + "/instances/chat")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      if ("ready".equals(view.getString("state"))) {
        return view.getString("url");
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the association's server did not come up");
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
    Browser.assertAccessible(page, name);
  }
}
