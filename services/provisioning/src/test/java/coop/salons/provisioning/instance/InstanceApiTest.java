package coop.salons.provisioning.instance;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The instances API: what it accepts, what it refuses, and who may call it. */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class InstanceApiTest {

  @jakarta.inject.Inject io.agroal.api.AgroalDataSource dataSource;

  TestUser owner;
  TestUser admin;
  TestUser member;
  TestUser outsider;
  String org;

  @BeforeEach
  void organisation() {
    owner = Fixture.user("ada");
    admin = Fixture.user("grace");
    member = Fixture.user("linus");
    outsider = Fixture.user("mallory");
    org = Fixture.organization(owner);
    Fixture.addMember(org, owner, admin, "admin");
    Fixture.addMember(org, owner, member, "member");
  }

  private static Map<String, Object> matrix(String slug) {
    Map<String, Object> body = new HashMap<>();
    body.put("slug", slug);
    body.put("flavour", "matrix");
    return body;
  }

  @Test
  void anOwnerAsksForAnInstanceAndCanPollIt() {
    Map<String, Object> body = matrix("chat");
    body.put("displayName", "Le salon des amis");
    body.put("federation", "open");
    body.put("retentionDays", 365);
    body.put("mediaRetentionDays", 90);
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(202)
        .header("Location", endsWith(path(org) + "/chat"))
        .body("state", equalTo("requested"))
        .body("desiredState", equalTo("running"))
        .body("flavour", equalTo("matrix"))
        .body("version", equalTo("1.163.2"))
        .body("plan", equalTo("small"))
        .body("federation", equalTo("open"))
        .body("retentionDays", equalTo(365))
        .body("mediaRetentionDays", equalTo(90))
        .body("login", equalTo("openid"))
        // The hoster has not turned the Matrix Authentication Service on: Synapse's own sign-in.
        .body("signIn", equalTo("sso"))
        .body("conditions.type", hasItem("Ready"));
    as(member)
        .get(path(org) + "/chat")
        .then()
        .statusCode(200)
        .header("ETag", notNullValue())
        .body("slug", equalTo("chat"));
    as(member).get(path(org)).then().statusCode(200).body("items.slug", equalTo(List.of("chat")));
  }

  /**
   * A custom domain is the instance's address; the answer names the record its owners create (a
   * CNAME to the instance's name under the platform's domain), and no other instance may take it.
   */
  @Test
  void aCustomDomainIsAnsweredWithItsDnsTargetAndCannotBeTakenTwice() {
    String domain = "salon." + org + ".example.net";
    Map<String, Object> body = matrix("chat");
    body.put("customDomain", domain);
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(202)
        .body("customDomain", equalTo(domain))
        .body("dnsTarget", equalTo("chat." + org + ".chat.example.org"));
    as(member)
        .get(path(org) + "/chat")
        .then()
        .statusCode(200)
        .body("customDomain", equalTo(domain));
    TestUser otherOwner = Fixture.user("hedy");
    String otherOrg = Fixture.organization(otherOwner);
    Map<String, Object> same = matrix("chat");
    same.put("customDomain", domain);
    as(otherOwner)
        .body(same)
        .post(path(otherOrg))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString(domain));
    as(otherOwner).get(path(otherOrg)).then().statusCode(200).body("items", hasSize(0));
    // Without a custom domain, nothing to point.
    as(otherOwner)
        .body(matrix("chat"))
        .post(path(otherOrg))
        .then()
        .statusCode(202)
        .body("customDomain", equalTo(null))
        .body("dnsTarget", equalTo(null));
  }

  @Test
  void aRepeatedIdempotencyKeyReplaysTheFirstAnswer() throws Exception {
    String first =
        as(admin)
            .header("Idempotency-Key", "create-chat-1")
            .body(matrix("chat"))
            .post(path(org))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    as(admin)
        .header("Idempotency-Key", "create-chat-1")
        .body(matrix("chat"))
        .post(path(org))
        .then()
        .statusCode(202)
        .header("Idempotent-Replayed", "true")
        .body("id", equalTo(first));
    as(admin).get(path(org)).then().body("items", hasSize(1));

    // As if the process had died after writing the instance and before storing the answer: once
    // the key's lease is over, the replay answers the instance it made, and makes no other.
    try (java.sql.Connection c = dataSource.getConnection();
        var ps =
            c.prepareStatement(
                "UPDATE idempotency_record SET status = NULL, location = NULL, body = NULL,"
                    + " created_at = now() - interval '5 minutes' WHERE idempotency_key = ?"
                    + " AND scope LIKE ?")) {
      ps.setString(1, "create-chat-1");
      ps.setString(2, "%/" + org + "/instances");
      assertEquals(1, ps.executeUpdate());
    }
    as(admin)
        .header("Idempotency-Key", "create-chat-1")
        .body(matrix("chat"))
        .post(path(org))
        .then()
        .statusCode(202)
        .body("id", equalTo(first));
    as(admin).get(path(org)).then().body("items", hasSize(1));
  }

  /** Each field's bad values, one request each: a 400 naming the field, and nothing created. */
  @Test
  void badInputIsRefusedAndNothingIsCreated() {
    List<Object[]> cases =
        List.of(
            new Object[] {"slug", "Chat!"},
            new Object[] {"slug", "ab"},
            new Object[] {"slug", "www"},
            new Object[] {"slug", "double--hyphen"},
            new Object[] {"slug", "-start"},
            new Object[] {"slug", "chat\nserver_name: evil"},
            new Object[] {"flavour", "irc"},
            new Object[] {"flavour", "MATRIX"},
            new Object[] {"customDomain", "exa mple.org"},
            new Object[] {"customDomain", "chat.localhost"},
            new Object[] {"customDomain", "foo.chat.example.org"},
            new Object[] {"customDomain", "chat.example.org/../admin"},
            new Object[] {"customDomain", "CHAT.EXAMPLE.ORG"},
            // The platform's own hosts (the portal, the sign-in server) and names under them.
            new Object[] {"customDomain", "salons.example.org"},
            new Object[] {"customDomain", "api.salons.example.org"},
            new Object[] {"customDomain", "10.0.0.1"},
            new Object[] {"customDomain", "evil.org\nserver_name: x"},
            // Names no association can own: a public suffix, a name under none.
            new Object[] {"customDomain", "co.uk"},
            new Object[] {"customDomain", "github.io"},
            new Object[] {"customDomain", "chat.amis-terre.invalid"},
            new Object[] {"customDomain", "chat.corp.internal"},
            new Object[] {"displayName", "first line\nserver_name: evil.org"},
            new Object[] {"displayName", "tab\there"},
            new Object[] {"displayName", "x".repeat(101)},
            new Object[] {"federation", "everyone"},
            new Object[] {"plan", "platinum"},
            new Object[] {"plan", "small'; DROP TABLE instance; --"},
            new Object[] {"version", "latest"},
            new Object[] {"version", "1.99.0"},
            new Object[] {"version", "1.163.2\nimage: evil"},
            new Object[] {"retentionDays", -1},
            new Object[] {"retentionDays", 99999999},
            new Object[] {"mediaRetentionDays", -1});
    for (Object[] c : cases) {
      String field = (String) c[0];
      Object value = c[1];
      Map<String, Object> body = matrix("salon");
      body.put(field, value);
      as(owner)
          .body(body)
          .post(path(org))
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("violations.field", hasItem(endsWith(field)));
    }
    as(owner).get(path(org)).then().statusCode(200).body("items", hasSize(0));
  }

  @Test
  void aMissingBodyOrUnknownJsonIsAProblem() {
    as(owner).post(path(org)).then().statusCode(400).contentType("application/problem+json");
    as(owner)
        .body("{\"slug\": \"chat\", \"flavour\": ")
        .post(path(org))
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  void thePlanQuotaRefusesASecondInstance() {
    as(owner).body(matrix("chat")).post(path(org)).then().statusCode(202);
    as(owner)
        .body(matrix("autre"))
        .post(path(org))
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", endsWith("quota-exceeded"))
        .body("detail", containsString("allows 1"))
        .body("quota", equalTo("instances"))
        .body("limit", equalTo(1))
        .body("excess", equalTo(1));
    as(owner).get(path(org)).then().body("items", hasSize(1));
  }

  @Test
  void twoParallelRequestsCannotBothTakeTheLastSlot() throws Exception {
    String ownerToken = Fixture.servers().token(owner);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String slug = "salon" + i;
      calls.add(
          () ->
              given()
                  .auth()
                  .oauth2(ownerToken)
                  .contentType("application/json")
                  .body(matrix(slug))
                  .post(path(org))
                  .statusCode());
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(calls)) {
      codes.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, codes.stream().filter(c -> c == 202).count(), "codes: " + codes);
    assertEquals(3, codes.stream().filter(c -> c == 403).count(), "codes: " + codes);
    as(owner).get(path(org)).then().body("items", hasSize(1));
  }

  @Test
  void anInstanceBiggerThanThePlanIsRefusedAndHoldsNothing() {
    Map<String, Object> body = matrix("chat");
    body.put("plan", "large");
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("type", endsWith("quota-exceeded"))
        .body("quota", equalTo("cpu-millicores"))
        .body("limit", equalTo(500))
        .body("requested", equalTo(2000));
    as(owner).get(path(org)).then().body("items", hasSize(0));
    // All or nothing: not even the instance slot is held.
    as(owner)
        .baseUri(Fixture.servers().billingUrl())
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .body("find { it.quota == 'instances' }.used", equalTo(0))
        .body("find { it.quota == 'cpu-millicores' }.used", equalTo(0));

    // A small one fits; growing it to large is refused the same way, and it stays small.
    as(owner).body(matrix("chat")).post(path(org)).then().statusCode(202);
    as(owner)
        .body(Map.of("plan", "large"))
        .patch(path(org) + "/chat")
        .then()
        .statusCode(403)
        .body("quota", equalTo("cpu-millicores"));
    as(owner).get(path(org) + "/chat").then().body("plan", equalTo("small"));
    as(owner)
        .baseUri(Fixture.servers().billingUrl())
        .get("/api/v1/organizations/" + org + "/quotas")
        .then()
        .body("find { it.quota == 'cpu-millicores' }.used", equalTo(500))
        .body("find { it.quota == 'memory-mib' }.used", equalTo(1024))
        .body("find { it.quota == 'storage-gb' }.used", equalTo(10));
  }

  @Test
  void theSameSlugTwiceIsAConflict() {
    Map<String, Object> body = matrix("chat");
    as(owner).body(body).post(path(org)).then().statusCode(202);
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
  }

  @Test
  void gitlabLoginIsRefusedUnlessTheHosterAllowsUnsupportedVersions() {
    Map<String, Object> body = new HashMap<>();
    body.put("slug", "equipe");
    body.put("flavour", "mattermost");
    body.put("plan", "legacy");
    // Mattermost 11 has no GitLab sign-in at all.
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(400)
        .body("violations.field", hasItem("version"));
    // 10.11 has it, but no longer gets security fixes.
    body.put("version", "10.11.4");
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(409)
        .body("type", endsWith("unsupported-version"));
    // The openid plan signs Mattermost in with OpenID Connect (a large instance needs the
    // organisation on a large plan).
    Fixture.onPlan(org, owner, "large", 2000);
    body.put("plan", "large");
    body.remove("version");
    as(owner)
        .body(body)
        .post(path(org))
        .then()
        .statusCode(202)
        .body("login", equalTo("openid"))
        .body("signIn", nullValue())
        .body("version", equalTo("11.1.0"));
  }

  @Test
  void updatesNeedTheCurrentETagWhenTheyGiveOne() {
    as(owner).body(matrix("chat")).post(path(org)).then().statusCode(202);
    String etag = as(owner).get(path(org) + "/chat").header("ETag");
    as(admin)
        .header("If-Match", "\"999\"")
        .body(Map.of("retentionDays", 30))
        .patch(path(org) + "/chat")
        .then()
        .statusCode(412)
        .contentType("application/problem+json");
    as(admin)
        .header("If-Match", etag)
        .body(Map.of("retentionDays", 30, "federation", "off"))
        .patch(path(org) + "/chat")
        .then()
        .statusCode(202)
        .body("retentionDays", equalTo(30))
        .body("federation", equalTo("off"))
        .body("generation", equalTo(2));
  }

  /** Every endpoint, for someone of another organisation: as if nothing existed. */
  @Test
  void anOutsiderSeesNothingAndChangesNothing() {
    as(owner).body(matrix("chat")).post(path(org)).then().statusCode(202);
    String base = path(org);
    as(outsider).get(base).then().statusCode(404).contentType("application/problem+json");
    as(outsider).get(base + "/chat").then().statusCode(404);
    as(outsider).body(matrix("autre")).post(base).then().statusCode(404);
    as(outsider).body(Map.of("retentionDays", 1)).patch(base + "/chat").then().statusCode(404);
    as(outsider).post(base + "/chat/suspend").then().statusCode(404);
    as(outsider).post(base + "/chat/resume").then().statusCode(404);
    as(outsider).delete(base + "/chat").then().statusCode(404);
    as(outsider).post(base + "/chat/restore").then().statusCode(404);
    as(outsider).post(base + "/chat/domain-check").then().statusCode(404);
    as(outsider).get("/api/v1/organizations/" + org + "/webhooks").then().statusCode(404);
    as(outsider)
        .body(Map.of("url", "https://hooks.example.org/x"))
        .post("/api/v1/organizations/" + org + "/webhooks")
        .then()
        .statusCode(404);
    // and the outsider's own organisation does not reach into this one
    String theirs = Fixture.organization(outsider);
    as(outsider).get(path(theirs)).then().statusCode(200).body("items", hasSize(0));
    as(owner).get(base + "/chat").then().statusCode(200).body("generation", equalTo(1));
  }

  /** A member reads; only admins change; only owners delete. */
  @Test
  void rolesDecideWhoChangesWhat() {
    as(owner).body(matrix("chat")).post(path(org)).then().statusCode(202);
    String base = path(org);
    as(member).get(base + "/chat").then().statusCode(200);
    as(member).body(matrix("autre")).post(base).then().statusCode(403);
    as(member).body(Map.of("retentionDays", 1)).patch(base + "/chat").then().statusCode(403);
    as(member).post(base + "/chat/suspend").then().statusCode(403);
    as(member).post(base + "/chat/resume").then().statusCode(403);
    as(member).post(base + "/chat/domain-check").then().statusCode(403);
    as(member).delete(base + "/chat").then().statusCode(403);
    as(member).get("/api/v1/organizations/" + org + "/webhooks").then().statusCode(403);
    as(admin).delete(base + "/chat").then().statusCode(403);
    as(admin)
        .post(base + "/chat/suspend")
        .then()
        .statusCode(202)
        .body("desiredState", equalTo("suspended"));
    as(owner)
        .delete(base + "/chat")
        .then()
        .statusCode(202)
        .body("state", equalTo("deletion-requested"));
    as(owner)
        .post(base + "/chat/restore")
        .then()
        .statusCode(202)
        .body("state", equalTo("updating"));
  }

  @Test
  void withoutATokenEverythingIs401() {
    given().get(path(org)).then().statusCode(401).contentType("application/problem+json");
    given()
        .contentType("application/json")
        .body(matrix("chat"))
        .post(path(org))
        .then()
        .statusCode(401);
  }

  @Test
  void aBadCursorIsAProblem() {
    as(owner).queryParam("cursor", "nonsense!").get(path(org)).then().statusCode(400);
    as(owner).queryParam("limit", 0).get(path(org)).then().statusCode(400);
  }
}
