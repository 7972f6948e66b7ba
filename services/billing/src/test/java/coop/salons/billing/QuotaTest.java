package coop.salons.billing;

import static coop.salons.testing.Fixtures.addMember;
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
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions and quota claims: organisations made through the real identity service, claims sent
 * with the real service accounts of provisioning and identity.
 */
@QuarkusTest
class QuotaTest {

  static final TestUser OWNER = user("billing-owner");
  static final TestUser MEMBER = user("billing-member");
  static final TestUser OUTSIDER = user("billing-outsider");

  static String claims(String org) {
    return "/api/v1/organizations/" + org + "/quota-claims";
  }

  static Map<String, Object> claim(String quota, String key, long amount) {
    return Map.of("quota", quota, "key", key, "amount", amount);
  }

  @Test
  void aNewOrganisationStartsOnTheDefaultPlanAtItsMinimum() {
    String org = organization(OWNER);
    addMember(org, OWNER, MEMBER, "member");
    as(MEMBER)
        .get("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(200)
        .body("plan.id", equalTo("small"))
        .body("priceCents", equalTo(0))
        .body("quotas.find { it.quota == 'instances' }.limit", equalTo(1))
        .body("quotas.find { it.quota == 'instances' }.used", equalTo(0));
  }

  @Test
  void outsidersSeeNothingAndMembersChangeNothing() {
    String org = organization(OWNER);
    addMember(org, OWNER, MEMBER, "admin");
    for (String path : List.of("subscription", "quotas")) {
      as(OUTSIDER)
          .get("/api/v1/organizations/" + org + "/" + path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    Map<String, Object> change = Map.of("planId", "medium", "priceCents", 1500);
    as(OUTSIDER)
        .body(change)
        .put("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(404);
    as(MEMBER)
        .body(change)
        .put("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(403);
    // Users, even the organisation's owner, cannot claim quotas: only the platform's services.
    as(OWNER).body(claim("instances", "x", 1)).post(claims(org)).then().statusCode(403);
    as(OWNER).delete(claims(org) + "/instances/x").then().statusCode(403);
  }

  @Test
  void theOwnerChoosesAPlanAndAPriceWithinItsRules() {
    String org = organization(OWNER);
    String path = "/api/v1/organizations/" + org + "/subscription";
    as(OWNER)
        .body(Map.of("planId", "medium", "priceCents", 400))
        .put(path)
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("priceCents"));
    as(OWNER)
        .body(Map.of("planId", "no-such-plan", "priceCents", 400))
        .put(path)
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("planId"));
    as(OWNER).body(Map.of("planId", "medium", "priceCents", -1)).put(path).then().statusCode(400);
    as(OWNER).get(path).then().body("plan.id", equalTo("small"));
    as(OWNER)
        .body(Map.of("planId", "medium", "priceCents", 2000))
        .put(path)
        .then()
        .statusCode(200)
        .body("plan.id", equalTo("medium"))
        .body("priceCents", equalTo(2000))
        .body("solidarityShareCents", equalTo(300));
  }

  @Test
  void aClaimIsHeldOnceAndARefusalSaysWhichQuotaAndByHowMuch() {
    String org = organization(OWNER);
    asService(Service.PROVISIONING)
        .body(claim("storage-gb", "volume-a", 8))
        .post(claims(org))
        .then()
        .statusCode(201)
        .body("used", equalTo(8))
        .body("limit", equalTo(10))
        .body("warning", equalTo(true));
    // Sent again: held once.
    asService(Service.PROVISIONING)
        .body(claim("storage-gb", "volume-a", 8))
        .post(claims(org))
        .then()
        .statusCode(200)
        .body("used", equalTo(8));
    double refusedBefore = refusals("storage-gb");
    asService(Service.PROVISIONING)
        .body(claim("storage-gb", "volume-b", 5))
        .post(claims(org))
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:salons:problem:quota-exceeded"))
        .body("quota", equalTo("storage-gb"))
        .body("limit", equalTo(10))
        .body("used", equalTo(8))
        .body("requested", equalTo(5))
        .body("excess", equalTo(3));
    // Counted for the operator's dashboard (a dry run below is a question, not a refusal).
    assertEquals(refusedBefore + 1, refusals("storage-gb"));
    asService(Service.PROVISIONING)
        .body(Map.of("quota", "storage-gb", "key", "volume-b", "amount", 2, "dryRun", true))
        .post(claims(org))
        .then()
        .statusCode(200)
        .body("held", equalTo(false))
        .body("used", equalTo(10));
    assertEquals(refusedBefore + 1, refusals("storage-gb"));
    dashboardSeriesAreExported();
    as(OWNER)
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .body("find { it.quota == 'storage-gb' }.used", equalTo(8))
        .body("find { it.quota == 'storage-gb' }.percent", equalTo(80))
        .body("find { it.quota == 'storage-gb' }.warning", equalTo(true));
    // Released, and the room is back.
    asService(Service.PROVISIONING)
        .delete(claims(org) + "/storage-gb/volume-a")
        .then()
        .statusCode(204);
    asService(Service.PROVISIONING)
        .delete(claims(org) + "/storage-gb/volume-a")
        .then()
        .statusCode(204);
    asService(Service.PROVISIONING)
        .body(claim("storage-gb", "volume-b", 5))
        .post(claims(org))
        .then()
        .statusCode(201)
        .body("warning", equalTo(false));
    // Identity holds members.
    asService(Service.IDENTITY)
        .body(claim("members", "user-1", 1))
        .post(claims(org))
        .then()
        .statusCode(201);
  }

  /**
   * The chart's Grafana dashboard reads series by name: those of billing (its quota refusals) and
   * of every service's connection pool are exported under those names.
   */
  private static void dashboardSeriesAreExported() {
    String dashboard;
    try {
      dashboard =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("../../deploy/helm/salons/files/grafana-dashboard.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    java.util.Set<String> wanted = new java.util.TreeSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\b(agroal_[a-z_]+|salons_quota_[a-z_]+)")
            .matcher(dashboard);
    while (m.find()) {
      wanted.add(m.group(1));
    }
    assertEquals(4, wanted.size(), wanted.toString());
    String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
    for (String series : wanted) {
      org.junit.jupiter.api.Assertions.assertTrue(
          metrics.contains("\n" + series + "{"), series + " is not exported");
    }
  }

  /** The quota refusals counted so far ({@code salons_quota_refusals_total}) for one quota. */
  private static double refusals(String quota) {
    String series = "salons_quota_refusals_total{quota=\"" + quota + "\"} ";
    return io.restassured.RestAssured.get("/q/metrics")
        .asString()
        .lines()
        .filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length()).trim()))
        .findFirst()
        .orElse(0);
  }

  /**
   * Crossing the warning threshold and a refusal are each recorded once, in order, for provisioning
   * to tell the organisation's webhooks; a claim that stays under, one sent again and a dry run are
   * not; nobody but provisioning reads them.
   */
  @Test
  void warningsAndRefusalsAreEventsProvisioningReads() {
    String org = organization(OWNER);
    long from = lastQuotaEvent();
    for (int gb : new int[] {3, 5, 8, 8}) {
      asService(Service.PROVISIONING).body(claim("storage-gb", "grows", gb)).post(claims(org));
    }
    asService(Service.PROVISIONING)
        .body(Map.of("quota", "storage-gb", "key", "other", "amount", 5, "dryRun", true))
        .post(claims(org))
        .then()
        .statusCode(403);
    asService(Service.PROVISIONING)
        .body(claim("storage-gb", "other", 5))
        .post(claims(org))
        .then()
        .statusCode(403);
    io.restassured.path.json.JsonPath page =
        asService(Service.PROVISIONING)
            .get("/api/v1/quota-events?after=" + from + "&limit=1000")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> ours =
        page.<Map<String, Object>>getList("items").stream()
            .filter(e -> org.equals(e.get("organization")))
            .toList();
    assertEquals(2, ours.size(), ours.toString());
    assertEquals("warning", ours.get(0).get("kind"));
    assertEquals("storage-gb", ours.get(0).get("quota"));
    assertEquals(8, ours.get(0).get("used"));
    assertEquals(10, ours.get(0).get("limit"));
    assertEquals("exceeded", ours.get(1).get("kind"));
    assertEquals(5, ours.get(1).get("requested"));
    as(OWNER).get("/api/v1/quota-events").then().statusCode(403);
    asService(Service.BILLING).get("/api/v1/quota-events").then().statusCode(403);
  }

  private static long lastQuotaEvent() {
    long last = 0;
    while (true) {
      io.restassured.path.json.JsonPath page =
          asService(Service.PROVISIONING)
              .get("/api/v1/quota-events?after=" + last + "&limit=1000")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Integer> ids = page.getList("items.id", Integer.class);
      if (ids.isEmpty()) {
        return last;
      }
      last = ids.get(ids.size() - 1);
    }
  }

  @Test
  void aBatchIsHeldWholeOrNotAtAll() {
    String org = organization(OWNER);
    // Too much memory for the small plan: nothing of the batch is held, and the refusal says why.
    asService(Service.PROVISIONING)
        .body(
            Map.of(
                "claims",
                List.of(
                    claim("instances", "instance-big", 1),
                    claim("cpu-millicores", "instance-big", 500),
                    claim("memory-mib", "instance-big", 4096))))
        .post(claims(org) + "/batch")
        .then()
        .statusCode(403)
        .body("quota", equalTo("memory-mib"))
        .body("limit", equalTo(1024));
    asService(Service.IDENTITY)
        .get(claims(org) + "/instances")
        .then()
        .statusCode(200)
        .body("used", equalTo(0))
        .body("claims", hasSize(0));
    // One that fits is held whole; sent again it holds once.
    Map<String, Object> fits =
        Map.of(
            "claims",
            List.of(
                claim("instances", "instance-ok", 1),
                claim("cpu-millicores", "instance-ok", 500),
                claim("memory-mib", "instance-ok", 1024)));
    asService(Service.PROVISIONING)
        .body(fits)
        .post(claims(org) + "/batch")
        .then()
        .statusCode(201)
        .body("claims.quota", equalTo(List.of("instances", "cpu-millicores", "memory-mib")));
    asService(Service.PROVISIONING).body(fits).post(claims(org) + "/batch").then().statusCode(200);
    asService(Service.PROVISIONING)
        .get(claims(org) + "/memory-mib")
        .then()
        .body("used", equalTo(1024))
        .body("claims.key", equalTo(List.of("instance-ok")));
    // The same quota and key twice is a mistake.
    asService(Service.PROVISIONING)
        .body(
            Map.of(
                "claims",
                List.of(claim("instances", "instance-x", 1), claim("instances", "instance-x", 1))))
        .post(claims(org) + "/batch")
        .then()
        .statusCode(400);
  }

  @Test
  void groupsOfManyOrganisationsAreHeldOrRefusedEachOnItsOwn() {
    String small = organization(OWNER);
    String other = organization(OWNER);
    // The small plan has one instance: of two groups for the same organisation the second is
    // refused; the other organisation's group is held; an unknown organisation is 404.
    Map<String, Object> request =
        Map.of(
            "groups",
            List.of(
                group(small, "instance-a"),
                group(small, "instance-b"),
                group(other, "instance-c"),
                group("no-such-org", "instance-d")));
    asService(Service.PROVISIONING)
        .body(request)
        .post("/api/v1/quota-claim-groups")
        .then()
        .statusCode(200)
        .body("groups.status", equalTo(List.of(201, 403, 201, 404)))
        .body("groups[0].claims.quota", equalTo(List.of("instances", "cpu-millicores")))
        .body("groups[1].problem.type", equalTo("urn:salons:problem:quota-exceeded"))
        .body("groups[1].problem.quota", equalTo("instances"))
        .body("groups[1].claims", equalTo(null))
        .body("groups[3].problem.status", equalTo(404));
    // What the refused group asked is not held, not even its CPU; the held ones are.
    asService(Service.PROVISIONING)
        .get(claims(small) + "/cpu-millicores")
        .then()
        .body("claims.key", equalTo(List.of("instance-a")));
    asService(Service.PROVISIONING)
        .get(claims(other) + "/instances")
        .then()
        .body("claims.key", equalTo(List.of("instance-c")));
    // Sent again: the held groups hold once (200), the refused one is still refused.
    asService(Service.PROVISIONING)
        .body(request)
        .post("/api/v1/quota-claim-groups")
        .then()
        .statusCode(200)
        .body("groups.status", equalTo(List.of(200, 403, 200, 404)));
    // In one call: a group sent twice holds once (the second sees the first), and a malformed group
    // (the same quota and key twice) is refused alone.
    String third = organization(OWNER);
    asService(Service.PROVISIONING)
        .body(
            Map.of(
                "groups",
                List.of(
                    group(third, "instance-e"),
                    group(third, "instance-e"),
                    Map.of(
                        "organization",
                        third,
                        "claims",
                        List.of(
                            claim("instances", "instance-f", 1),
                            claim("instances", "instance-f", 1))))))
        .post("/api/v1/quota-claim-groups")
        .then()
        .statusCode(200)
        .body("groups.status", equalTo(List.of(201, 200, 400)))
        .body("groups[2].problem.status", equalTo(400));
    asService(Service.PROVISIONING)
        .get(claims(third) + "/instances")
        .then()
        .body("claims.key", equalTo(List.of("instance-e")));
    // Members may not use it; nor may a service that is not a platform's claimer.
    as(OWNER)
        .body(request)
        .post("/api/v1/quota-claim-groups")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    asService(Service.PROVISIONING)
        .body(Map.of("groups", List.of()))
        .post("/api/v1/quota-claim-groups")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    asService(Service.PROVISIONING)
        .body(Map.of("groups", List.of(Map.of("organization", "Bad Slug!", "claims", List.of()))))
        .post("/api/v1/quota-claim-groups")
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("groups[0].organization"));
  }

  private static Map<String, Object> group(String org, String key) {
    return Map.of(
        "organization",
        org,
        "claims",
        List.of(claim("instances", key, 1), claim("cpu-millicores", key, 100)));
  }

  @Test
  void twoParallelClaimsCannotBothTakeTheLastSlot() throws Exception {
    String org = organization(OWNER);
    String token = coop.salons.testing.Fixtures.servers().serviceToken(Service.PROVISIONING);
    int parallel = 6;
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Callable<Integer>> tries = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        String key = "instance-" + i;
        tries.add(
            () ->
                io.restassured.RestAssured.given()
                    .auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body(claim("instances", key, 1))
                    .post(claims(org))
                    .statusCode());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(tries)) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(
          parallel - 1, statuses.stream().filter(s -> s == 403).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
    as(OWNER)
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .body("find { it.quota == 'instances' }.used", equalTo(1));
  }

  @Test
  void aPlanTooSmallForWhatIsHeldIsRefused() {
    String org = organization(OWNER);
    String path = "/api/v1/organizations/" + org + "/subscription";
    as(OWNER).body(Map.of("planId", "large", "priceCents", 2000)).put(path).then().statusCode(200);
    asService(Service.PROVISIONING)
        .body(claim("instances", "i-1", 1))
        .post(claims(org))
        .then()
        .statusCode(201);
    asService(Service.PROVISIONING)
        .body(claim("instances", "i-2", 1))
        .post(claims(org))
        .then()
        .statusCode(201);
    Response refused = as(OWNER).body(Map.of("planId", "small", "priceCents", 0)).put(path);
    refused
        .then()
        .statusCode(409)
        .body("type", equalTo("urn:salons:problem:plan-too-small"))
        .body("quotas[0].quota", equalTo("instances"))
        .body("quotas[0].used", equalTo(2))
        .body("quotas[0].limit", equalTo(1));
    as(OWNER).get(path).then().body("plan.id", equalTo("large"));
  }

  @Test
  void badClaimsAreRefused() {
    String org = organization(OWNER);
    asService(Service.PROVISIONING)
        .body(claim("gpus", "k", 1))
        .post(claims(org))
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("quota"));
    asService(Service.PROVISIONING)
        .body(claim("instances", "bad key/../x", 1))
        .post(claims(org))
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("key"));
    asService(Service.PROVISIONING)
        .body(claim("instances", "k", -3))
        .post(claims(org))
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("amount"));
    asService(Service.PROVISIONING)
        .body(claim("instances", "k", 1))
        .post(claims("no-such-org-here"))
        .then()
        .statusCode(404);
    as(OWNER)
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .body("find { it.quota == 'instances' }.used", equalTo(0));
  }
}
