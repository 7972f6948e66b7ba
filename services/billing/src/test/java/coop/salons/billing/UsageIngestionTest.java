package coop.salons.billing;

import static coop.salons.testing.Fixtures.as;
import static coop.salons.testing.Fixtures.asService;
import static coop.salons.testing.Fixtures.organization;
import static coop.salons.testing.Fixtures.user;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.local.Service;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hourly samples from the platform's services: idempotent, late ones taken, bad batches not. */
@QuarkusTest
class UsageIngestionTest {

  static final TestUser OWNER = user("usage-owner");
  static final TestUser OUTSIDER = user("usage-outsider");

  @Inject EntityManager em;

  static Map<String, Object> sample(String org, UUID instance, Instant hour) {
    Map<String, Object> s = new HashMap<>();
    s.put("organization", org);
    s.put("instanceId", instance.toString());
    s.put("hour", hour.toString());
    s.put("cpuMillicores", 500);
    s.put("memoryMib", 1024);
    s.put("storageMib", 2048);
    s.put("activeMembers", 12);
    return s;
  }

  static Instant hoursAgo(int n) {
    return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(n, ChronoUnit.HOURS);
  }

  @Transactional
  long stored(String org) {
    return ((Number)
            em.createNativeQuery("SELECT count(*) FROM usage_sample WHERE organization_slug = ?1")
                .setParameter(1, org)
                .getSingleResult())
        .longValue();
  }

  @Test
  void aSampleSentTwiceCountsOnceAndLateSamplesAreTaken() {
    String org = organization(OWNER);
    UUID instance = UUID.randomUUID();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int h = 1; h <= 48; h++) {
      batch.add(sample(org, instance, hoursAgo(h)));
    }
    batch.add(sample(org, instance, hoursAgo(1))); // the same hour twice in one batch
    asService(Service.PROVISIONING)
        .body(Map.of("samples", batch))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(200)
        .body("received", equalTo(49))
        .body("stored", equalTo(48))
        .body("duplicates", equalTo(1));
    asService(Service.PROVISIONING)
        .body(Map.of("samples", batch))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(200)
        .body("stored", equalTo(0))
        .body("duplicates", equalTo(49));
    // Three weeks late.
    asService(Service.PROVISIONING)
        .body(Map.of("samples", List.of(sample(org, instance, hoursAgo(24 * 21)))))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(200)
        .body("stored", equalTo(1));
    assertEquals(49, stored(org));
  }

  @Test
  void badBatchesAreRefusedWholeAndNothingIsStored() {
    String org = organization(OWNER);
    UUID instance = UUID.randomUUID();
    List<Map<String, Object>> bad = new ArrayList<>();
    Map<String, Object> future = sample(org, instance, hoursAgo(-2));
    Map<String, Object> negative = sample(org, instance, hoursAgo(3));
    negative.put("cpuMillicores", -1);
    Map<String, Object> absurd = sample(org, instance, hoursAgo(4));
    absurd.put("memoryMib", 2_000_000_000);
    Map<String, Object> offHour = sample(org, instance, hoursAgo(5).plusSeconds(60));
    Map<String, Object> ancient = sample(org, instance, hoursAgo(24 * 500));
    Map<String, Object> badSlug = sample(org, instance, hoursAgo(6));
    badSlug.put("organization", "Robert'); DROP TABLE usage_sample;--");
    Map<String, Object> missing = sample(org, instance, hoursAgo(7));
    missing.remove("storageMib");
    bad.add(sample(org, instance, hoursAgo(1))); // a good one: not stored either
    bad.addAll(List.of(future, negative, absurd, offHour, ancient, badSlug, missing));
    asService(Service.PROVISIONING)
        .body(Map.of("samples", bad))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("violations", hasSize(7))
        .body("violations.field", hasItem("samples[1].hour"))
        .body("violations.field", hasItem("samples[2].cpuMillicores"))
        .body("violations.field", hasItem("samples[3].memoryMib"))
        .body("violations.field", hasItem("samples[4].hour"))
        .body("violations.field", hasItem("samples[5].hour"))
        .body("violations.field", hasItem("samples[6].organization"))
        .body("violations.field", hasItem("samples[7].storageMib"));
    assertEquals(0, stored(org));

    // An organisation no one has heard of.
    asService(Service.PROVISIONING)
        .body(
            Map.of(
                "samples",
                List.of(
                    sample(org, instance, hoursAgo(1)),
                    sample("never-created-org", instance, hoursAgo(1)))))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("samples[1].organization"));
    assertEquals(0, stored(org));

    asService(Service.PROVISIONING)
        .body(Map.of("samples", List.of()))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(400);
    asService(Service.PROVISIONING)
        .body(
            "{\"samples\": [{\"organization\": \"" + org + "\", \"instanceId\": \"not-a-uuid\"}]}")
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    assertEquals(0, stored(org));
  }

  @Test
  void onlyThePlatformsServicesSendSamples() {
    String org = organization(OWNER);
    as(OWNER)
        .body(Map.of("samples", List.of(sample(org, UUID.randomUUID(), hoursAgo(1)))))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(403);
    asService(Service.BILLING)
        .body(Map.of("samples", List.of(sample(org, UUID.randomUUID(), hoursAgo(1)))))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(403);
    assertEquals(0, stored(org));
  }

  @Test
  void membersReadTheirUsageDayByDayAndOutsidersDoNot() {
    String org = organization(OWNER);
    UUID instance = UUID.randomUUID();
    Instant dayStart = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      batch.add(sample(org, instance, dayStart.plus(h, ChronoUnit.HOURS)));
    }
    asService(Service.PROVISIONING)
        .body(Map.of("samples", batch))
        .post("/api/v1/usage-samples")
        .then()
        .statusCode(200);
    String month = java.time.YearMonth.from(dayStart.atOffset(java.time.ZoneOffset.UTC)).toString();
    as(OWNER)
        .get("/api/v1/organizations/" + org + "/usage?month=" + month)
        .then()
        .statusCode(200)
        .body(
            "days.find { it.day == '" + dayStart.toString().substring(0, 10) + "' }.coreHours",
            equalTo(12.0f))
        .body(
            "days.find { it.day == '"
                + dayStart.toString().substring(0, 10)
                + "' }.storageGbAverage",
            equalTo(2.0f));
    as(OUTSIDER)
        .get("/api/v1/organizations/" + org + "/usage?month=" + month)
        .then()
        .statusCode(404);
    as(OWNER).get("/api/v1/organizations/" + org + "/usage?month=2999-01").then().statusCode(400);
    as(OWNER).get("/api/v1/organizations/" + org + "/usage?month=11-2026").then().statusCode(400);
  }
}
