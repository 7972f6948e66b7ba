package coop.salons.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import coop.salons.testing.Browser;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every page and form of an organisation, found in the portal's own classes (a page added later is
 * in this test without anyone writing it), tried in a real Chromium signed in as someone of another
 * association: each page answers 404, as if the organisation did not exist, and passes axe-core;
 * each form, posted with the outsider's own valid CSRF token, answers 404 and changes nothing. A
 * member, on the other side, opens every page that names only the organisation.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = {
      @ResourceArg(name = "service", value = "portal"),
      @ResourceArg(name = "backends", value = "true")
    })
class OrganizationPagesWallE2E {

  static Browser browser;
  static final TestServers SERVERS = TestServers.get();
  private static final String PREFIX = "/app/organizations/{org}";
  private static final Pattern PARAMETER = Pattern.compile("\\{\\s*(\\w+)\\s*(?::([^}]*))?}");

  @BeforeAll
  static void launch() {
    browser = Browser.launch();
  }

  @AfterAll
  static void close() {
    browser.close();
  }

  /** A route of the portal under an organisation: its method and its path template. */
  record Route(String method, String template) {

    /** The path for an organisation; other parameters get a value of their shape. */
    String path(String org) {
      Matcher m = PARAMETER.matcher(template);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value =
            switch (m.group(1)) {
              case "org" -> org;
              case "month" -> "2026-11";
              default ->
                  m.group(2) != null ? m.group(2).split("\\|")[0].trim() : "absent-" + m.group(1);
            };
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }

    boolean namesOnlyTheOrganisation() {
      return PARAMETER.matcher(template).results().count() == 1;
    }
  }

  /** The organisation's routes, read from the portal's page classes. */
  static List<Route> routes() throws IOException {
    Path classes = Path.of("target/classes");
    List<Route> routes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type;
        try {
          type = Class.forName(name, false, OrganizationPagesWallE2E.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
        if (type.isInterface() || base == null || !base.value().startsWith(PREFIX)) {
          continue;
        }
        for (Method m : type.getDeclaredMethods()) {
          String method = m.isAnnotationPresent(GET.class) ? "GET" : null;
          method = m.isAnnotationPresent(POST.class) ? "POST" : method;
          if (method == null) {
            continue;
          }
          jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
          String template =
              base.value()
                  + (sub == null ? "" : (sub.value().startsWith("/") ? "" : "/") + sub.value());
          routes.add(new Route(method, template));
        }
      }
    }
    return routes;
  }

  @Test
  void anOutsiderLearnsNothingAndChangesNothing() throws IOException {
    List<Route> routes = routes();
    // The walls of every page family are in the list (a broken scan would test nothing).
    for (String page :
        List.of("/members", "/sign-in", "/automation", "/billing", "/directory", "/instances")) {
      assertTrue(
          routes.stream().anyMatch(r -> r.template().startsWith(PREFIX + page)),
          page + " not found among " + routes);
    }
    TestUser owner = SERVERS.user("wall-owner");
    TestUser member = SERVERS.user("wall-member");
    TestUser outsider = SERVERS.user("wall-outsider");
    String org = Fixtures.organization(owner);
    Fixtures.addMember(org, owner, member, "member");
    Fixtures.organization(outsider);
    String before = ownersView(owner, org);

    List<String> wrong = new ArrayList<>();
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      Browser.signInOnKeycloak(page, outsider.username(), outsider.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      // The outsider's own, valid CSRF token, from a form of their own space.
      var csrf = page.locator("input[type=hidden][name*=csrf]").first();
      String csrfName = csrf.getAttribute("name");
      String csrfValue = csrf.getAttribute("value");
      boolean checkedOnePage = false;
      for (Route r : routes) {
        String url = SERVERS.portalUrl() + r.path(org);
        int status;
        if ("GET".equals(r.method())) {
          status = page.navigate(url).status();
          if (status == 404 && !checkedOnePage) {
            Browser.assertAccessible(page, "outsider-404");
            checkedOnePage = true;
          }
        } else {
          status =
              page.request()
                  .post(
                      url,
                      RequestOptions.create()
                          .setMaxRedirects(0)
                          .setForm(FormData.create().set(csrfName, csrfValue).set("name", "x")))
                  .status();
        }
        if (status != 404) {
          wrong.add(r.method() + " " + r.template() + ": " + status);
        }
      }
    }
    assertTrue(wrong.isEmpty(), "an outsider got more than 404: " + wrong);
    assertEquals(before, ownersView(owner, org), "an outsider's request changed something");

    // A member opens every page that names only the organisation (or is told it is not theirs
    // to see: 403), never a 404 or an error.
    try (BrowserContext context = browser.context("en-GB")) {
      Page page = context.newPage();
      page.navigate(SERVERS.portalUrl() + "/app");
      Browser.signInOnKeycloak(page, member.username(), member.password());
      page.waitForURL(Pattern.compile(".*/app$"));
      for (Route r : routes) {
        if (!"GET".equals(r.method()) || !r.namesOnlyTheOrganisation()) {
          continue;
        }
        int status = page.navigate(SERVERS.portalUrl() + r.path(org)).status();
        if (status != 200 && status != 403) {
          wrong.add("member: " + r.template() + ": " + status);
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /** What the owner sees of the organisation through the APIs: members, instances, providers. */
  private static String ownersView(TestUser owner, String org) {
    StringBuilder view = new StringBuilder();
    for (Map.Entry<String, String> api :
        Map.of(
                SERVERS.identityUrl(), "/api/v1/organizations/" + org + "/members",
                SERVERS.provisioningUrl(), "/api/v1/organizations/" + org + "/instances")
            .entrySet()) {
      view.append(
          Fixtures.as(owner)
              .baseUri(api.getKey())
              .get(api.getValue())
              .then()
              .statusCode(200)
              .extract()
              .asString());
    }
    view.append(
        Fixtures.as(owner)
            .baseUri(SERVERS.identityUrl())
            .get("/api/v1/organizations/" + org + "/automation-clients")
            .then()
            .statusCode(200)
            .extract()
            .asString());
    return view.toString();
  }
}
