package coop.salons.billing;

import static coop.salons.testing.Fixtures.addMember;
import static coop.salons.testing.Fixtures.as;
import static coop.salons.testing.Fixtures.asService;
import static coop.salons.testing.Fixtures.organization;
import static coop.salons.testing.Fixtures.servers;
import static coop.salons.testing.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.local.Service;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Statements and the transparency report through the API, with real users and services. */
@QuarkusTest
class StatementApiTest {

  static final TestUser OWNER = user("statement-owner");
  static final TestUser MEMBER = user("statement-member");
  static final TestUser OUTSIDER = user("statement-outsider");
  static final TestUser OPERATOR = servers().operator("statement-operator");

  /** An organisation with a day of use this month (or last month on its first day). */
  static String organisationWithUse() {
    String org = organization(OWNER);
    addMember(org, OWNER, MEMBER, "member");
    UUID instance = UUID.randomUUID();
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    List<Map<String, Object>> batch = new ArrayList<>();
    YearMonth month = YearMonth.from(hour.atOffset(ZoneOffset.UTC));
    for (int h = 0; h < 24; h++) {
      Instant at = hour.minus(h, ChronoUnit.HOURS);
      if (!YearMonth.from(at.atOffset(ZoneOffset.UTC)).equals(month)) {
        break;
      }
      batch.add(UsageIngestionTest.sample(org, instance, at));
    }
    asService(Service.PROVISIONING)
        .body(Map.of("samples", batch))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(200);
    as(OPERATOR)
        .body(Map.of("month", month.toString()))
        .post("/api/v1/statement-runs")
        .then()
        .statusCode(201);
    return org;
  }

  static String month() {
    return YearMonth.from(Instant.now().minus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC))
        .toString();
  }

  @Test
  void membersReadTheirStatementAsJsonAndCsv() {
    String org = organisationWithUse();
    String path = "/api/v1/organizations/" + org + "/statements/" + month();
    as(MEMBER)
        .get(path)
        .then()
        .statusCode(200)
        .body("provisional", equalTo(true))
        .body("currency", equalTo("EUR"))
        .body("statement.planId", equalTo("small"))
        .body("statement.cpuCents", greaterThan(0))
        .body("statement.costCents", greaterThan(0))
        .body("platformTotalCostCents", greaterThan(0));
    String csv =
        as(MEMBER)
            .accept("text/csv")
            .get(path)
            .then()
            .statusCode(200)
            .contentType(containsString("text/csv"))
            .extract()
            .asString();
    assertTrue(
        csv.startsWith("organization,month,item,quantity,unit,amount_cents,amount,currency\r\n"),
        csv);
    assertTrue(csv.contains(org + "," + month() + ",cpu,"), csv);
    as(MEMBER)
        .get("/api/v1/organizations/" + org + "/statements")
        .then()
        .statusCode(200)
        .body("items.month", hasItem(month()));
    // A new price shows in the month under way at its next reading.
    as(OWNER)
        .body(Map.of("planId", "small", "priceCents", 350))
        .put("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(200);
    as(MEMBER).get(path).then().statusCode(200).body("statement.priceCents", equalTo(350));
  }

  @Test
  void outsidersReadNoStatementOfAnother() {
    String org = organisationWithUse();
    for (String path :
        List.of("/statements", "/statements/" + month(), "/usage?month=" + month())) {
      as(OUTSIDER)
          .get("/api/v1/organizations/" + org + path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    as(OUTSIDER)
        .accept("text/csv")
        .get("/api/v1/organizations/" + org + "/statements/" + month())
        .then()
        .statusCode(404);
  }

  @Test
  void badMonthsAreRefused() {
    String org = organization(OWNER);
    for (String m :
        List.of("2999-01", "2026-13", "26-11", "2026-11-01", "'; DROP TABLE statement")) {
      as(OWNER)
          .get("/api/v1/organizations/" + org + "/statements/" + m)
          .then()
          .statusCode(oneOf(400, 404))
          .contentType("application/problem+json");
    }
    as(OPERATOR)
        .body(Map.of("month", "2999-01"))
        .post("/api/v1/statement-runs")
        .then()
        .statusCode(400);
  }

  @Test
  void theReportIsPublicAndItsInternalsAreTheHosters() {
    organisationWithUse();
    organisationWithUse();
    given()
        .get("/api/v1/transparency?month=" + month())
        .then()
        .statusCode(200)
        .body("totalCostCents", greaterThan(0))
        .body("organizations", greaterThan(0))
        .body("byPlan.planId", hasItem("small"))
        .body("rates.coreHour", equalTo(0.025f))
        .body("rates.fixedCostsMonthly.offsite-backups", equalTo(12.0f))
        // Totals only: no organisation is named in the public report.
        .body("items", nullValue())
        .body("toString()", not(containsString("statement-owner")));
    String internals = "/api/v1/transparency/" + month() + "/organizations";
    as(MEMBER).get(internals).then().statusCode(403);
    given().get(internals).then().statusCode(401);
    as(OPERATOR)
        .get(internals + "?limit=2")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(2));
    as(MEMBER).body(Map.of("month", month())).post("/api/v1/statement-runs").then().statusCode(403);
  }
}
