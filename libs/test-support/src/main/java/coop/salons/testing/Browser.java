package coop.salons.testing;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real headless Chromium (the system's, never one a tool downloads) driven by Playwright. Close
 * it after use.
 */
public final class Browser implements AutoCloseable {

  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;

  private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  public static Browser launch() {
    Path chromium = chromium();
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    com.microsoft.playwright.Browser browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run")));
    return new Browser(playwright, browser);
  }

  /** A fresh browser context (its own cookies) in a given language. */
  public com.microsoft.playwright.BrowserContext context(String locale) {
    return browser.newContext(
        new com.microsoft.playwright.Browser.NewContextOptions().setLocale(locale));
  }

  /**
   * Fills Keycloak's login form. With Organizations in use the realm asks for the username first
   * and the password on a second page (identity-first login); both forms are handled.
   */
  public static void signInOnKeycloak(
      com.microsoft.playwright.Page page, String username, String password) {
    page.locator("#username").fill(username);
    if (page.locator("#password").count() == 0) {
      page.locator("#kc-login").click();
      page.locator("#password").waitFor();
    }
    page.locator("#password").fill(password);
    page.locator("#kc-login").click();
  }

  /**
   * The page's accessibility violations as axe-core finds them (WCAG 2.0 and 2.1, levels A and AA,
   * contrast included), one line each: rule, impact and the elements at fault. Empty: none.
   */
  @SuppressWarnings("unchecked")
  /**
   * A full-page screenshot in target/screenshots/{@code name}.png, then no axe-core violation, or
   * the test fails naming them.
   */
  public static void assertAccessible(com.microsoft.playwright.Page page, String name) {
    page.screenshot(
        new com.microsoft.playwright.Page.ScreenshotOptions()
            .setFullPage(true)
            .setPath(java.nio.file.Path.of("target/screenshots/" + name + ".png")));
    List<String> violations = accessibilityViolations(page);
    org.junit.jupiter.api.Assertions.assertTrue(
        violations.isEmpty(), name + ": " + String.join("\n", violations));
  }

  public static List<String> accessibilityViolations(com.microsoft.playwright.Page page) {
    // Evaluated through the browser's debugging protocol, as a tool: the pages' Content-Security-
    // Policy allows no script of theirs, and a script tag would be refused.
    page.evaluate(axe());
    Object found =
        page.evaluate(
            "async () => (await axe.run(document, {runOnly: {type: 'tag', values:"
                + " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v => v.id +"
                + " ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))");
    return (List<String>) found;
  }

  private static String axeScript;

  /** axe-core's script, as the axe-core Playwright artifact carries it. */
  private static synchronized String axe() {
    if (axeScript == null) {
      try (java.io.InputStream in =
          Browser.class.getClassLoader().getResourceAsStream("axe.min.js")) {
        if (in == null) {
          throw new IllegalStateException("axe.min.js is not on the test class path");
        }
        axeScript = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return axeScript;
  }

  private static Path chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new IllegalStateException(
        "No Chromium at /usr/bin/chromium: install it with 'apt-get install -y chromium'"
            + " (./salons test does this for you).");
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
