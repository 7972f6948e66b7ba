package coop.salons.provisioning.webhook;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks: a subscriber gets each state change, signed, and again after its own failure. */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class WebhookTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  HttpServer receiver;
  final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
  final AtomicInteger failuresLeft = new AtomicInteger();

  @BeforeEach
  void receiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          boolean fail = failuresLeft.getAndDecrement() > 0;
          if (!fail) {
            var h = exchange.getRequestHeaders();
            received.add(
                new String[] {
                  h.getFirst("Salons-Signature"),
                  body,
                  h.getFirst("webhook-id"),
                  h.getFirst("webhook-timestamp"),
                  h.getFirst("webhook-signature")
                });
          }
          exchange.sendResponseHeaders(fail ? 503 : 204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  @Test
  void aSubscriberGetsSignedStateChangesEvenAfterFailing() throws Exception {
    TestUser owner = Fixture.user("ada");
    String org = Fixture.organization(owner);
    String url = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
    String secret =
        as(owner)
            .body(Map.of("url", url))
            .post("/api/v1/organizations/" + org + "/webhooks")
            .then()
            .statusCode(201)
            .extract()
            .path("secret");
    assertNotNull(secret);
    as(owner)
        .get("/api/v1/organizations/" + org + "/webhooks")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0]", not(hasKey("secret")));

    failuresLeft.set(1); // the first delivery fails; it comes again
    Fixture.instance(owner, org, "chat", "matrix", "small");
    String[] delivery = received.poll(30, TimeUnit.SECONDS);
    assertNotNull(delivery, "the state change was delivered after a retry");
    JsonNode event = JSON.readTree(delivery[1]);
    assertEquals("instance.state-changed", event.get("type").asText());
    assertEquals(org, event.get("organization").asText());
    assertEquals("requested", event.get("state").asText());

    // The signature: t=<seconds>,v1=HMAC-SHA256(secret, "<t>.<body>").
    String[] parts = delivery[0].split(",");
    String t = parts[0].substring(2);
    assertEquals("v1=" + WebhookDispatcher.sign(secret, t + "." + delivery[1]), parts[1]);
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 120);

    // The Standard Webhooks headers, checked as a receiver's library would: the secret is
    // whsec_<base64 key>; the signature is v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">.
    assertTrue(secret.startsWith("whsec_"), secret);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())),
            "HmacSHA256"));
    String signed = delivery[2] + "." + delivery[3] + "." + delivery[1];
    assertEquals(
        "v1,"
            + java.util.Base64.getEncoder()
                .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))),
        delivery[4]);
    assertTrue(delivery[2].startsWith("msg_"), delivery[2]);

    // The delivery log: the failed attempt, then the delivery.
    String webhookId =
        as(owner)
            .get("/api/v1/organizations/" + org + "/webhooks")
            .then()
            .extract()
            .path("items[0].id");
    as(owner)
        .get("/api/v1/organizations/" + org + "/webhooks/" + webhookId + "/deliveries")
        .then()
        .statusCode(200)
        .body("items[0].eventType", equalTo("instance.state-changed"))
        .body("items[0].attempts", equalTo(2))
        .body("items[0].lastStatus", equalTo(204))
        .body("items[0].deliveredAt", notNullValue())
        .body("items[0]", not(hasKey("payload")));

    as(owner).delete(path(org) + "/chat").then().statusCode(202);
    String[] deletion = received.poll(30, TimeUnit.SECONDS);
    assertNotNull(deletion);
    assertEquals("deletion-requested", JSON.readTree(deletion[1]).get("state").asText());
  }

  /**
   * A receiver that does not answer delays nobody else: the slow one, subscribed first, holds its
   * request open (longer than the tests' sending timeout allows to end it), and the other still
   * gets the same event meanwhile.
   */
  @jakarta.inject.Inject coop.salons.membership.MembershipFollower follower;

  @Test
  void membershipChangesAreToldToo() throws Exception {
    TestUser owner = Fixture.user("webhook-members-owner");
    TestUser newcomer = Fixture.user("webhook-members-newcomer");
    String org = Fixture.organization(owner);
    String url = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
    as(owner)
        .body(Map.of("url", url))
        .post("/api/v1/organizations/" + org + "/webhooks")
        .then()
        .statusCode(201);
    Fixture.addMember(org, owner, newcomer, "admin");
    follower.catchUp();
    JsonNode added = next("member.added");
    assertEquals(org, added.get("organization").asText());
    assertEquals(newcomer.id(), added.get("userId").asText());
    assertEquals("admin", added.get("role").asText());

    as(owner)
        .baseUri(Fixture.servers().identityUrl())
        .delete("/api/v1/organizations/" + org + "/members/" + newcomer.id())
        .then()
        .statusCode(204);
    follower.catchUp();
    JsonNode removed = next("member.removed");
    assertEquals(newcomer.id(), removed.get("userId").asText());
  }

  @jakarta.inject.Inject QuotaEventFollower quotaEvents;

  /**
   * A quota past its warning threshold and a request the plan refused, as the real billing records
   * them, reach the organisation's webhooks once each.
   */
  @Test
  void quotaWarningsAndRefusalsAreTold() throws Exception {
    TestUser owner = Fixture.user("webhook-quota-owner");
    String org = Fixture.organization(owner);
    String url = "http://localhost:" + receiver.getAddress().getPort() + "/hook";
    as(owner)
        .body(Map.of("url", url))
        .post("/api/v1/organizations/" + org + "/webhooks")
        .then()
        .statusCode(201);
    String claims =
        Fixture.servers().billingUrl() + "/api/v1/organizations/" + org + "/quota-claims";
    for (int gb : new int[] {8, 5}) {
      io.restassured.RestAssured.given()
          .auth()
          .oauth2(Fixture.servers().serviceToken(coop.salons.local.Service.PROVISIONING))
          .contentType("application/json")
          .body(Map.of("quota", "storage-gb", "key", "volume-" + gb, "amount", gb))
          .post(claims)
          .then()
          .statusCode(gb == 8 ? 201 : 403);
    }
    quotaEvents.catchUp();
    JsonNode warning = next("quota.warning");
    assertEquals(org, warning.get("organization").asText());
    assertEquals("storage-gb", warning.get("quota").asText());
    assertEquals(8, warning.get("used").asInt());
    assertEquals(10, warning.get("limit").asInt());
    JsonNode exceeded = next("quota.exceeded");
    assertEquals(5, exceeded.get("requested").asInt());
    assertEquals(8, exceeded.get("used").asInt());
    // Read again: nothing is told twice.
    quotaEvents.catchUp();
    String[] again = received.poll(3, TimeUnit.SECONDS);
    assertTrue(
        again == null || !JSON.readTree(again[1]).get("type").asText().startsWith("quota."),
        "told twice: " + (again == null ? "" : again[1]));
  }

  /** The next delivery of that type (others, such as the owner's own joining, are passed). */
  private JsonNode next(String type) throws Exception {
    long until = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < until) {
      String[] delivery = received.poll(1, TimeUnit.SECONDS);
      if (delivery != null) {
        JsonNode event = JSON.readTree(delivery[1]);
        if (type.equals(event.get("type").asText())) {
          return event;
        }
      }
    }
    throw new AssertionError("no " + type + " delivered");
  }

  @Test
  void aSlowReceiverDelaysNoOtherOne() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    slow.createContext(
        "/hook",
        exchange -> {
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    slow.start();
    try {
      TestUser owner = Fixture.user("ada");
      String org = Fixture.organization(owner);
      for (int port : new int[] {slow.getAddress().getPort(), receiver.getAddress().getPort()}) {
        as(owner)
            .body(Map.of("url", "http://localhost:" + port + "/hook"))
            .post("/api/v1/organizations/" + org + "/webhooks")
            .then()
            .statusCode(201);
      }
      Fixture.instance(owner, org, "chat", "matrix", "small");
      String[] delivery = received.poll(30, TimeUnit.SECONDS);
      assertNotNull(delivery, "delivered while the slow receiver still holds its request");
      assertEquals(1, release.getCount(), "the slow receiver was not answered yet");
    } finally {
      release.countDown();
      slow.stop(0);
    }
  }

  @Test
  void badWebhookUrlsAreRefused() {
    TestUser owner = Fixture.user("ada");
    String org = Fixture.organization(owner);
    for (String bad :
        List.of(
            "ftp://example.org/x",
            "http://example.org/plain-http",
            "https://user:pw@example.org/x",
            "https://example.org/x#frag",
            "javascript:alert(1)")) {
      as(owner)
          .body(Map.of("url", bad))
          .post("/api/v1/organizations/" + org + "/webhooks")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    as(owner).get("/api/v1/organizations/" + org + "/webhooks").then().body("items", hasSize(0));
  }
}
