package coop.salons.portal.instance;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
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
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance's backups in a real Chromium, behind the portal the real provisioning service running
 * a real Synapse: the owner takes a backup and sees it listed with its size, is refused a restore
 * without the instance's name, restores with it and follows the steps to the end. axe-core in every
 * state, French and English.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = {
      @ResourceArg(name = "service", value = "portal"),
      @ResourceArg(name = "backends", value = "true")
    })
class BackupPagesE2E {

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

  /** Presses the page's Refresh button until the selector shows up. */
  private static void refreshUntil(Page page, String selector, long millis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (page.locator(selector).count() == 0) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not seen: " + selector + "\n" + page.content());
      }
      Thread.sleep(1000);
      if (page.locator("#refresh").count() > 0) {
        page.locator("#refresh").click();
      } else {
        page.reload();
      }
    }
  }

  @Test
  void anOwnerTakesABackupAndRestoresItFollowingEachStep() throws Exception {
    TestUser owner = SERVERS.user("olympe-backups");
    String org = Fixtures.organization(owner);
    String provisioning = SERVERS.provisioningUrl();
    String api = "/api/v1/organizations/" + org + "/instances";
    Fixtures.as(owner)
        .baseUri(provisioning)
        .body(Map.of("slug", "salon", "flavour", "matrix", "federation", "off"))
        .post(api)
        .then()
        .statusCode(202);
    long deadline = System.currentTimeMillis() + 240_000;
    String state = "";
    while (System.currentTimeMillis() < deadline && !"ready".equals(state)) {
      Thread.sleep(1000);
      state =
          Fixtures.as(owner)
              .baseUri(provisioning)
              .get(api + "/salon")
              .then()
              .extract()
              .path("state");
    }
    assertEquals("ready", state);

    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      Browser.signInOnKeycloak(page, owner.username(), owner.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      page.navigate(SERVERS.portalUrl() + "/app/organizations/" + org + "/instances/salon?lang=fr");
      page.locator("#backups-link").click();
      assertThat(page.locator("h1")).hasText("Sauvegardes");
      assertThat(page.locator("#no-backup")).isVisible();
      Browser.assertAccessible(page, "backups-empty-fr");

      page.locator("#take-backup").click();
      // While it is taken, the person refreshes the page (a button) until it is listed as done.
      refreshUntil(page, "#backups tr[data-state=done]", 120_000);
      assertThat(page.locator("#backups tr[data-state=done] td.size"))
          .hasText(Pattern.compile("\\d+(\\.\\d)? (KiB|MiB)"));
      Browser.assertAccessible(page, "backups-listed-fr");

      // Storage and retention: the figures as a chart and a table; the owner sets the retention.
      assertThat(page.locator("#chart-storage")).isVisible();
      assertThat(page.locator("#retention-next")).isVisible();
      page.locator("#retention-days").fill("30");
      page.locator("#media-retention-days").fill("7");
      page.locator("#retention-save").click();
      assertThat(page.locator("#retention-days")).hasValue("30");
      assertThat(page.locator("#media-retention-days")).hasValue("7");
      Browser.assertAccessible(page, "backups-storage-fr");
      assertEquals(
          30,
          (int)
              Fixtures.as(owner)
                  .baseUri(provisioning)
                  .get(api + "/salon")
                  .then()
                  .extract()
                  .path("retentionDays"));

      // Leaving: the owner asks for an exit bundle and downloads it through the portal's link.
      String form = "#backups tr[data-state=done] ";
      page.locator(form + "button[data-exit]").click();
      assertThat(page.locator("#exit-bundle h2")).hasText("Votre paquet de départ est prêt");
      Browser.assertAccessible(page, "backups-exit-fr");
      com.microsoft.playwright.Download bundle =
          page.waitForDownload(() -> page.locator("#exit-download").click());
      assertTrue(bundle.suggestedFilename().endsWith(".tar"), bundle.suggestedFilename());
      String listing = tarListing(bundle.path());
      for (String file :
          java.util.List.of(
              "README.md",
              "LISEZMOI.md",
              "compose.yaml",
              "homeserver.yaml",
              "database.dump",
              "media.tar",
              "manifest.json")) {
        assertTrue(listing.contains("/" + file), file + " in " + listing);
      }
      // The link alone is enough (whoever installs the server has no account here); a link
      // changed in any way is a page saying there is nothing there.
      String link = page.locator("#exit-download").getAttribute("href");
      try (BrowserContext anonymous = browser.context("en-GB")) {
        var answer = anonymous.request().get(SERVERS.portalUrl() + link);
        assertEquals(200, answer.status());
        Page other = anonymous.newPage();
        other.navigate(SERVERS.portalUrl() + link.substring(0, link.length() - 3) + "AAA");
        assertThat(other.locator("#error-title")).isVisible();
        Browser.assertAccessible(other, "exit-link-unknown-en");
      }

      // Without the instance's short name: refused, said why, nothing restored.
      page.locator(form + "input[name=confirm]").fill("bureau");
      page.locator(form + "button[data-restore]").click();
      assertThat(page.locator("#backup-errors")).containsText("salon");
      Browser.assertAccessible(page, "backups-refused-fr");

      page.navigate(
          SERVERS.portalUrl() + "/app/organizations/" + org + "/instances/salon/backups?lang=en");
      page.locator(form + "input[name=confirm]").fill("salon");
      page.locator(form + "button[data-restore]").click();
      assertThat(page.locator("#restore-title")).hasText("Restoring from a backup");
      Browser.assertAccessible(page, "restore-under-way-en");
      refreshUntil(page, "#restore-state[data-state=done]", 240_000);
      assertThat(page.locator("#restore-progress")).hasAttribute("value", "100");
      assertThat(page.locator("#restore-steps li.done")).hasCount(6);
      Browser.assertAccessible(page, "restore-done-en");
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target/screenshots/restore-done-en.png"))
              .setFullPage(true));

      // Arriving: the owner gives a bundle's link; the import is followed and its failure said.
      page.navigate(SERVERS.portalUrl() + "/app/organizations/" + org + "?lang=en");
      page.locator("#import-link").click();
      assertThat(page.locator("#import-title")).hasText("Bring an existing Matrix server in");
      Browser.assertAccessible(page, "import-form-en");
      page.locator("#import-url").fill("https://bundles.example.invalid/salon.tar");
      page.locator("#import-slug").fill("arrivee");
      page.locator("#import-start").click();
      assertThat(page.locator("#import-progress-title")).isVisible();
      refreshUntil(page, "#import-state[data-state=failed]", 120_000);
      assertThat(page.locator("#import-steps li[data-step=fetching]")).hasClass("current");
      Browser.assertAccessible(page, "import-failed-en");
      assertEquals(
          404,
          Fixtures.as(owner)
              .baseUri(provisioning)
              .get(api + "/arrivee")
              .then()
              .extract()
              .statusCode());
    }
  }

  private static String tarListing(Path tar) throws Exception {
    Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
