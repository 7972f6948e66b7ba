package coop.salons.commons;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commons API's walls, read from its own OpenAPI: every operation it publishes must be in the
 * table below (a new endpoint fails this test until someone says who may call it), every one is
 * called by an anonymous caller, a member of another organisation and a member whose role or
 * standing is too low, and each answer's status must be one the OpenAPI documents.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class CommonsContractTest extends Fixtures {

  /** Who may call an operation. */
  enum Access {
    /** Anyone, signed in or not. */
    PUBLIC,
    /** Anyone signed in (what they may then do is checked inside: see the other tests). */
    SIGNED_IN,
    /** Members of the organisation in the path. */
    ORG_MEMBER,
    /** Owners and admins of the organisation in the path. */
    ORG_ADMIN,
    /** The hoster's operators. */
    HOSTER
  }

  static String org;
  static TestUser owner;
  static TestUser member;
  static TestUser stranger;

  static final Map<String, Access> OPERATIONS =
      Map.ofEntries(
          Map.entry("GET /api/v1/commons", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/themes", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/themes/{slug}", Access.PUBLIC),
          Map.entry("POST /api/v1/commons/themes", Access.HOSTER),
          Map.entry("PATCH /api/v1/commons/themes/{slug}", Access.HOSTER),
          Map.entry("GET /api/v1/commons/rooms", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/rooms/{id}", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/rooms/abilities", Access.SIGNED_IN),
          Map.entry("POST /api/v1/commons/rooms", Access.SIGNED_IN),
          Map.entry("POST /api/v1/commons/rooms/{id}/archive", Access.HOSTER),
          Map.entry("GET /api/v1/organizations/{org}/themes", Access.ORG_MEMBER),
          Map.entry("PUT /api/v1/organizations/{org}/themes", Access.ORG_ADMIN),
          Map.entry("GET /api/v1/commons/directory", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/directory/feed.atom", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/directory/organizations", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/directory/stats", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/directory/{id}", Access.PUBLIC),
          Map.entry("GET /api/v1/commons/directory/reports", Access.HOSTER),
          Map.entry("POST /api/v1/commons/directory/{id}/reports", Access.SIGNED_IN),
          Map.entry("POST /api/v1/commons/directory/{id}/hide", Access.HOSTER),
          Map.entry("GET /api/v1/organizations/{org}/listings", Access.ORG_MEMBER),
          Map.entry("GET /api/v1/organizations/{org}/listings/candidates", Access.ORG_ADMIN),
          Map.entry("POST /api/v1/organizations/{org}/listings", Access.ORG_ADMIN),
          Map.entry("DELETE /api/v1/organizations/{org}/listings/{id}", Access.ORG_ADMIN),
          Map.entry("POST /api/v1/organizations/{org}/listings/refresh", Access.ORG_ADMIN),
          Map.entry("GET /api/v1/organizations/{org}/neighbours", Access.ORG_MEMBER),
          Map.entry("GET /api/v1/commons/digest", Access.SIGNED_IN),
          Map.entry("PUT /api/v1/commons/digest", Access.SIGNED_IN),
          Map.entry("POST /api/v1/commons/digest/send", Access.HOSTER));

  @BeforeEach
  void people() {
    if (org == null) {
      owner = user("contract-owner");
      org = organization(owner);
      member = user("contract-member");
      addMember(org, owner, member, "member");
      stranger = user("contract-stranger");
      organization(stranger);
    }
  }

  @Test
  void everyPublishedOperationIsInTheTableAndEveryWallHolds() {
    Map<String, Object> openapi =
        given()
            .accept("application/json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .as(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> paths =
        (Map<String, Map<String, Object>>) openapi.get("paths");
    TreeSet<String> published = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (var path : paths.entrySet()) {
      for (var op : path.getValue().entrySet()) {
        String method = op.getKey().toUpperCase();
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
          continue;
        }
        String key = method + " " + path.getKey();
        published.add(key);
        Access access = OPERATIONS.get(key);
        if (access == null) {
          failures.add(key + ": not in the table of who may call it");
          continue;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> responses =
            (Map<String, Object>) ((Map<String, Object>) op.getValue()).get("responses");
        check(
            key, access, method, path.getKey(), responses == null ? Map.of() : responses, failures);
      }
    }
    assertEquals(
        new TreeSet<>(OPERATIONS.keySet()), published, "the table names operations the API lacks");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private void check(
      String key,
      Access access,
      String method,
      String template,
      Map<String, Object> documented,
      List<String> failures) {
    String path =
        template
            .replace("{org}", org)
            .replace("{slug}", "climat")
            .replace("{id}", "00000000-0000-0000-0000-000000000000");
    Map<String, Object> body =
        template.endsWith("/listings")
            ? Map.of(
                "room", "#contrat:example.org",
                "themes", List.of("climat"),
                "descriptionFr", "Contrat",
                "language", "fr")
            : template.endsWith("/digest")
                ? Map.of("subscribed", false)
                : template.endsWith("/reports") || template.endsWith("/hide")
                    ? Map.of("reason", "Contrat")
                    : template.endsWith("/themes") && template.startsWith("/api/v1/organizations")
                        ? Map.of("themes", List.of("climat"))
                        : template.endsWith("/themes")
                            ? Map.of("slug", "contract", "nameFr", "Contrat", "nameEn", "Contract")
                            : template.endsWith("/rooms")
                                ? Map.of(
                                    "theme", "climat", "alias", "contract-room", "name", "Contrat")
                                : Map.of("nameEn", "Climate");
    Response anonymous = call(given(), method, path, body);
    expect(
        key,
        "anonymous",
        anonymous,
        access == Access.PUBLIC ? ANY_BUT_401 : 401,
        documented,
        failures);
    if (access == Access.ORG_MEMBER || access == Access.ORG_ADMIN) {
      expect(key, "a stranger", call(as(stranger), method, path, body), 404, documented, failures);
    }
    if (access == Access.ORG_ADMIN) {
      expect(key, "a mere member", call(as(member), method, path, body), 403, documented, failures);
    }
    if (access == Access.HOSTER) {
      expect(key, "an owner", call(as(owner), method, path, body), 403, documented, failures);
    }
  }

  /** An expected status meaning: a public operation answers, whatever it answers, without a 401. */
  private static final int ANY_BUT_401 = 0;

  /**
   * The answer must be {@code status} (or anything but 401), in problem+json if it is a refusal,
   * and documented.
   */
  private static void expect(
      String key,
      String who,
      Response answer,
      int status,
      Map<String, Object> documented,
      List<String> failures) {
    int got = answer.statusCode();
    if (status != ANY_BUT_401 && got != status) {
      failures.add(key + " by " + who + ": " + got + " instead of " + status);
    }
    if (status == ANY_BUT_401 && got == 401) {
      failures.add(key + " by " + who + ": 401 on a public operation");
    }
    if (got >= 400 && !answer.contentType().startsWith("application/problem+json")) {
      failures.add(key + " by " + who + ": " + got + " is not problem+json");
    }
    if (!documented.containsKey(String.valueOf(got))) {
      failures.add(key + " by " + who + ": " + got + " is not documented " + documented.keySet());
    }
  }

  private static Response call(
      RequestSpecification r, String method, String path, Map<String, Object> body) {
    RequestSpecification json = r.contentType("application/json");
    return switch (method) {
      case "GET" -> json.get(path);
      case "POST" -> json.body(body).post(path);
      case "PUT" -> json.body(body).put(path);
      case "PATCH" -> json.body(body).patch(path);
      default -> json.delete(path);
    };
  }
}
