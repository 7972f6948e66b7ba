package coop.salons.provisioning;

import coop.salons.testing.Fixtures;
import coop.salons.testing.TestServers.TestUser;

/** The shared fixtures, and the paths of this service's API. */
public final class Fixture extends Fixtures {

  private Fixture() {}

  /** Moves the organisation to a billing plan (at its minimum price), for more instances. */
  public static void onPlan(String org, TestUser owner, String plan, long priceCents) {
    as(owner)
        .baseUri(servers().billingUrl())
        .body(java.util.Map.of("planId", plan, "priceCents", priceCents))
        .put("/api/v1/organizations/" + org + "/subscription")
        .then()
        .statusCode(200);
  }

  /** Asks for an instance as {@code owner} (202 expected); answers its id. */
  public static java.util.UUID instance(
      TestUser owner, String org, String slug, String flavour, String plan) {
    return java.util.UUID.fromString(
        as(owner)
            .body(java.util.Map.of("slug", slug, "flavour", flavour, "plan", plan))
            .post(path(org))
            .then()
            .statusCode(202)
            .extract()
            .path("id"));
  }

  public static String path(String org) {
    return "/api/v1/organizations/" + org + "/instances";
  }

  /**
   * The instance's view once it is in {@code state} at its latest generation, or failed, or after
   * four minutes (the caller then sees which).
   */
  public static com.fasterxml.jackson.databind.JsonNode settled(
      TestUser owner, String org, String slug, String state) throws InterruptedException {
    long deadline = System.currentTimeMillis() + java.time.Duration.ofMinutes(4).toMillis();
    while (true) {
      io.restassured.path.json.JsonPath view =
          as(owner).get(path(org) + "/" + slug).then().statusCode(200).extract().jsonPath();
      String now = view.getString("state");
      if ((now.equals(state) && view.getLong("generation") == view.getLong("observedGeneration"))
          || now.equals("failed")
          || System.currentTimeMillis() > deadline) {
        try {
          return new com.fasterxml.jackson.databind.ObjectMapper().readTree(view.prettify());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      Thread.sleep(1000);
    }
  }

  /**
   * A Matrix instance {@code slug} asked for as {@code owner} (no federation), once settled (see
   * {@link #settled}); answers its view.
   */
  public static com.fasterxml.jackson.databind.JsonNode matrixInstance(
      TestUser owner, String org, String slug) throws InterruptedException {
    as(owner)
        .body(java.util.Map.of("slug", slug, "flavour", "matrix", "federation", "off"))
        .post(path(org))
        .then()
        .statusCode(202);
    return settled(owner, org, slug, "ready");
  }

  /** Where the realm sends an instance's members back after they sign in (its client's first). */
  public static String clientRedirect(java.util.UUID instance) throws Exception {
    return servers()
        .admin()
        .get("/clients?clientId=instance-" + instance)
        .get(0)
        .path("redirectUris")
        .get(0)
        .asText();
  }
}
