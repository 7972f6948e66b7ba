package coop.salons.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import coop.salons.portal.web.SecurityHeaders;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the portal carries the headers a browser expects, pages and stylesheets alike,
 * and the outsider's pages too; Strict-Transport-Security only where the portal is served over TLS
 * (the tests' portal is not).
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "portal"))
class SecurityHeadersTest {

  @Test
  void pagesStylesheetsAndErrorsCarryThem() {
    for (String path :
        new String[] {"/", "/communs", "/transparency", "/css/salons.css", "/nowhere"}) {
      given()
          .redirects()
          .follow(false)
          .get(path)
          .then()
          .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
          .header("Content-Security-Policy", containsString("default-src 'none'"))
          .header("X-Frame-Options", equalTo("DENY"))
          .header("X-Content-Type-Options", equalTo("nosniff"))
          .header("Referrer-Policy", equalTo("same-origin"))
          .header("Strict-Transport-Security", nullValue());
    }
  }

  @Test
  void behindTlsBrowsersAreToldToStayOnIt() {
    Map<String, String> h =
        SecurityHeaders.of("https://salons.example.org", "https://login.example.org/realms/salons");
    assertEquals("max-age=31536000; includeSubDomains", h.get("Strict-Transport-Security"));
    // Forms go to the portal, or to the sign-in server (a session that ran out signs in again).
    assertEquals(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action"
            + " 'self' https://login.example.org; frame-ancestors 'none'; base-uri 'none'",
        h.get("Content-Security-Policy"));
    assertFalse(
        SecurityHeaders.of("http://localhost:8080", "http://localhost:8180/realms/salons")
            .containsKey("Strict-Transport-Security"));
  }
}
