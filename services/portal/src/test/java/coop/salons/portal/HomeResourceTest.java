package coop.salons.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The landing page speaks the visitor's language; the signed-in space sends strangers to Keycloak.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "portal"))
class HomeResourceTest {

  @Test
  void englishByDefault() {
    given()
        .when()
        .get("/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .body(containsString("<html lang=\"en\">"))
        .body(containsString("Chat for associations"))
        .body(containsString("Sign in"));
  }

  @Test
  void frenchForAFrenchBrowser() {
    given()
        .header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
        .when()
        .get("/")
        .then()
        .statusCode(200)
        .body(containsString("<html lang=\"fr\">"))
        .body(containsString("Se connecter"))
        .body(containsString("L&#39;annuaire des communs"));
  }

  @Test
  void anExplicitChoiceIsRememberedInACookie() {
    given()
        .header("Accept-Language", "en")
        .when()
        .get("/?lang=fr")
        .then()
        .statusCode(200)
        .cookie("salons_lang", "fr")
        .body(containsString("Se connecter"));
    given()
        .cookie("salons_lang", "fr")
        .header("Accept-Language", "en")
        .when()
        .get("/")
        .then()
        .body(containsString("Se connecter"));
  }

  @Test
  void anUnsupportedLanguageFallsBackToEnglish() {
    given()
        .when()
        .get("/?lang=<script>")
        .then()
        .statusCode(200)
        .body(containsString("<html lang=\"en\">"))
        .body(not(containsString("<script>")));
  }

  @Test
  void theSignedInSpaceRedirectsToTheRealm() {
    given()
        .redirects()
        .follow(false)
        .when()
        .get("/app")
        .then()
        .statusCode(302)
        .header(
            "Location", startsWith(TestServers.get().realmUrl() + "/protocol/openid-connect/auth"));
  }
}
