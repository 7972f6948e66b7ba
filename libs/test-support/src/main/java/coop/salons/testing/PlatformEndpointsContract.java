package coop.salons.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

/**
 * What every Salons service exposes to operators: health with a real database check, Prometheus
 * metrics, its OpenAPI and Swagger UI. Each service's test extends this contract.
 */
public abstract class PlatformEndpointsContract {

  /** The title of the service's OpenAPI document. */
  protected abstract String openApiTitle();

  @Test
  void readinessChecksTheRealDatabase() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("Database connections health check"));
  }

  @Test
  void livenessIsUp() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void metricsArePrometheusText() {
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("jvm_memory_used_bytes"));
  }

  @Test
  void openApiAndSwaggerUiArePublished() {
    given()
        .accept("application/json")
        .when()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("info.title", equalTo(openApiTitle()));
    given().when().get("/q/swagger-ui/").then().statusCode(200);
  }
}
