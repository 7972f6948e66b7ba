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
