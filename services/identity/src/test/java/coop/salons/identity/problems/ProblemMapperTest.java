package coop.salons.identity.problems;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every error is application/problem+json; validation errors name each refused field. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class ProblemMapperTest {

  @Test
  void validationErrorsListEveryField() {
    given()
        .contentType("application/json")
        .body("{\"slug\":\"Not A Slug\",\"email\":\"nope\",\"members\":[{\"name\":\"\"}]}")
        .when()
        .post("/test-only/problems")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:validation"))
        .body("title", equalTo("Invalid request"))
        .body("status", equalTo(400))
        .body("violations.field", containsInAnyOrder("email", "members[0].name", "slug"));
  }

  @Test
  void aMissingBodyIsAValidationError() {
    given()
        .contentType("application/json")
        .when()
        .post("/test-only/problems")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("violations.field", contains("body"));
  }

  @Test
  void queryParametersAreNamedByTheirName() {
    given()
        .when()
        .get("/test-only/problems/page?limit=1000")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("violations.field", contains("limit"));
  }

  @Test
  void malformedJsonIsA400() {
    given()
        .contentType("application/json")
        .body("{\"slug\": ")
        .when()
        .post("/test-only/problems")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:validation"));
  }

  @Test
  void aWrongTypeNamesTheField() {
    given()
        .contentType("application/json")
        .body("{\"slug\":\"valid-slug\",\"members\":\"not a list\"}")
        .when()
        .post("/test-only/problems")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("violations.field", contains("members"));
  }

  @Test
  void anUnknownPathIsA404Problem() {
    given()
        .when()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404));
  }

  @Test
  void anUnexpectedErrorHidesInternalsAndGivesACorrelationId() {
    given()
        .when()
        .get("/test-only/problems/boom")
        .then()
        .statusCode(500)
        .contentType("application/problem+json")
        .body("correlationId", notNullValue())
        .body("detail", not(org.hamcrest.Matchers.containsString("hunter2")));
  }
}
