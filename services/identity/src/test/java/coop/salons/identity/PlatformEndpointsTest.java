package coop.salons.identity;

import static io.restassured.RestAssured.given;

import coop.salons.testing.PlatformEndpointsContract;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class PlatformEndpointsTest extends PlatformEndpointsContract {

  @Override
  protected String openApiTitle() {
    return "Salons identity API";
  }

  @Test
  void theApiIsVersioned() {
    given()
        .accept("application/json")
        .when()
        .get("/q/openapi")
        .then()
        .body("paths", Matchers.hasKey("/api/v1/me"));
  }
}
