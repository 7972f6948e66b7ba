package coop.salons.provisioning.instance;

import static coop.salons.provisioning.Fixture.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.common.api.ProblemException;
import coop.salons.local.Service;
import coop.salons.membership.MembershipFollower;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.instance.InstanceDtos.CreateInstance;
import coop.salons.provisioning.instance.InstanceDtos.InstanceView;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.quota.InstanceQuota;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Creations written in batches (docs/adr/0017): in one batch each creation gets its own answer —
 * held and written, over quota, slug taken by a creation before it, not writable — and billing
 * holds exactly what was written. Real billing (its claim groups), identity and Keycloak; the
 * Kubernetes stand-in is not involved (nothing is applied here).
 */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class CreationsTest {

  @Inject Creations creations;
  @Inject Plans plans;
  @Inject MembershipFollower follower;

  private Creation creation(String org, String slug, String displayName) {
    return new Creation(
        org,
        UUID.randomUUID(),
        new CreateInstance(slug, "matrix", displayName, "small", null, null, null, null, null),
        Flavour.MATRIX,
        "small",
        plans.require("small"),
        "1.163.0",
        LoginMode.OPENID);
  }

  private static Creations.Pending pending(Creation c) {
    return new Creations.Pending(c, new CompletableFuture<>());
  }

  private static ProblemException refusal(Creations.Pending p) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> p.answer().get());
    return assertInstanceOf(ProblemException.class, e.getCause());
  }

  /** The keys holding the organisation's instance slots in billing. */
  private static List<String> claimKeys(String org) {
    return Fixture.asService(Service.PROVISIONING)
        .baseUri(Fixture.servers().billingUrl())
        .get("/api/v1/organizations/" + org + "/quota-claims/instances")
        .then()
        .statusCode(200)
        .extract()
        .path("claims.key");
  }

  @Test
  void eachCreationOfABatchGetsItsOwnAnswer() throws Exception {
    TestUser owner = Fixture.user("cb-owner");
    String small = Fixture.organization(owner);
    String other = Fixture.organization(owner);
    String third = Fixture.organization(owner);
    follower.catchUp();
    Creations.Pending first = pending(creation(small, "salon", null));
    Creations.Pending sameSlug = pending(creation(small, "salon", null));
    Creations.Pending overQuota = pending(creation(small, "second", null));
    Creations.Pending elsewhere = pending(creation(other, "salon", null));
    // Passes every check but cannot be written (longer than its column): refused alone.
    Creations.Pending unwritable = pending(creation(third, "long", "x".repeat(150)));
    creations.write(List.of(first, sameSlug, overQuota, elsewhere, unwritable));

    InstanceView written = first.answer().get();
    assertEquals("salon", written.slug());
    assertEquals(409, refusal(sameSlug).status());
    ProblemException quota = refusal(overQuota);
    assertEquals(403, quota.status());
    assertEquals("quota-exceeded", quota.slug());
    assertEquals("instances", quota.extensions().get("quota"));
    assertEquals("salon", elsewhere.answer().get().slug());
    assertEquals(500, refusal(unwritable).status());

    // Billing holds what was written, and nothing else: not the refused ones, not the one that
    // could not be written (its claim was given back).
    assertEquals(List.of(InstanceQuota.key(first.creation().id())), claimKeys(small));
    assertEquals(List.of(InstanceQuota.key(elsewhere.creation().id())), claimKeys(other));
    assertEquals(List.of(), claimKeys(third));
    // And the API shows the same.
    as(owner)
        .get(Fixture.path(small))
        .then()
        .statusCode(200)
        .body("items.slug", equalTo(List.of("salon")));
    as(owner).get(Fixture.path(third)).then().statusCode(200).body("items", hasSize(0));
  }

  @Test
  void creationsAskedAtOnceThroughTheApiAreEachAnsweredOnce() throws Exception {
    TestUser owner = Fixture.user("cb-crowd");
    String org = Fixture.organization(owner);
    follower.catchUp();
    // Eight requests at once for one organisation on the small plan (one instance), four of them
    // for the same slug: one 202, the others 403 or 409, never two instances.
    String token = Fixture.servers().token(owner);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int n = 0; n < 8; n++) {
      String slug = n < 4 ? "crowd" : "crowd" + n;
      answers.add(
          pool.submit(
              () ->
                  io.restassured.RestAssured.given()
                      .auth()
                      .oauth2(token)
                      .contentType("application/json")
                      .body(Map.of("slug", slug, "flavour", "matrix", "plan", "small"))
                      .post(Fixture.path(org))
                      .then()
                      .extract()
                      .statusCode()));
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> f : answers) {
      codes.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, codes.stream().filter(c -> c == 202).count(), codes.toString());
    assertTrue(codes.stream().allMatch(c -> c == 202 || c == 403 || c == 409), codes.toString());
    assertEquals(1, claimKeys(org).size());
    as(owner).get(Fixture.path(org)).then().statusCode(200).body("items", hasSize(1));
  }
}
