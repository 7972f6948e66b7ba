package coop.salons.commons;

import static coop.salons.testing.AuthorizationContract.Caller.ADMIN;
import static coop.salons.testing.AuthorizationContract.Caller.MEMBER;
import static coop.salons.testing.AuthorizationContract.Caller.PUBLIC;
import static coop.salons.testing.AuthorizationContract.Caller.SIGNED_IN;
import static coop.salons.testing.AuthorizationContract.Caller.STAFF;

import coop.salons.testing.AuthorizationContract;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every operation of the commons API's OpenAPI against every kind of stranger (see {@link
 * AuthorizationContract}): an operation added without a case here fails the build. What a signed-in
 * person may then do (open a room, report one) is checked inside: see CommonsApiTest.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class AuthorizationContractTest extends Fixtures
    implements coop.salons.testing.AuthorizationContractSuite {

  static String org;
  static TestUser owner;
  static TestUser admin;
  static TestUser member;
  static TestUser stranger;

  @BeforeEach
  void people() {
    if (org == null) {
      owner = user("contract-owner");
      org = organization(owner);
      admin = user("contract-admin");
      addMember(org, owner, admin, "admin");
      member = user("contract-member");
      addMember(org, owner, member, "member");
      stranger = user("contract-stranger");
      organization(stranger);
    }
  }

  @Override
  public AuthorizationContract contract() {
    Map<String, String> none = Map.of();
    Map<String, String> o = Map.of("org", org);
    Map<String, String> theme = Map.of("slug", "climat");
    Map<String, String> id = Map.of("id", "00000000-0000-0000-0000-000000000000");
    Map<String, String> listing = Map.of("org", org, "id", id.get("id"));
    Map<String, Object> reason = Map.of("reason", "Contrat");
    String orgs = "/api/v1/organizations/{org}";
    String directory = "/api/v1/commons/directory";
    return new AuthorizationContract()
        .operation("GET", "/api/v1/commons", none, null, PUBLIC)
        .operation("GET", "/api/v1/commons/themes", none, null, PUBLIC)
        .operation("GET", "/api/v1/commons/themes/{slug}", theme, null, PUBLIC)
        .operation(
            "POST",
            "/api/v1/commons/themes",
            none,
            Map.of("slug", "contract", "nameFr", "Contrat", "nameEn", "Contract"),
            STAFF)
        .operation(
            "PATCH", "/api/v1/commons/themes/{slug}", theme, Map.of("nameEn", "Climate"), STAFF)
        .operation("GET", "/api/v1/commons/rooms", none, null, PUBLIC)
        .operation("GET", "/api/v1/commons/rooms/{id}", id, null, PUBLIC)
        .operation("GET", "/api/v1/commons/rooms/abilities", none, null, SIGNED_IN)
        .operation(
            "POST",
            "/api/v1/commons/rooms",
            none,
            Map.of("theme", "climat", "alias", "contract-room", "name", "Contrat"),
            SIGNED_IN)
        .operation("POST", "/api/v1/commons/rooms/{id}/archive", id, reason, STAFF)
        .operation("GET", orgs + "/themes", o, null, MEMBER)
        .operation("PUT", orgs + "/themes", o, Map.of("themes", List.of("climat")), ADMIN)
        .operation("GET", directory, none, null, PUBLIC)
        .operation("GET", directory + "/feed.atom", none, null, PUBLIC)
        .operation("GET", directory + "/organizations", none, null, PUBLIC)
        .operation("GET", directory + "/stats", none, null, PUBLIC)
        .operation("GET", directory + "/{id}", id, null, PUBLIC)
        .operation("GET", directory + "/reports", none, null, STAFF)
        .operation("POST", directory + "/{id}/reports", id, reason, SIGNED_IN)
        .operation("POST", directory + "/{id}/hide", id, reason, STAFF)
        .operation("GET", orgs + "/listings", o, null, MEMBER)
        .operation("GET", orgs + "/listings/candidates", o, null, ADMIN)
        .operation(
            "POST",
            orgs + "/listings",
            o,
            Map.of(
                "room", "#contrat:example.org",
                "themes", List.of("climat"),
                "descriptionFr", "Contrat",
                "language", "fr"),
            ADMIN)
        .operation("DELETE", orgs + "/listings/{id}", listing, null, ADMIN)
        .operation("POST", orgs + "/listings/refresh", o, null, ADMIN)
        .operation("GET", orgs + "/neighbours", o, null, MEMBER)
        .operation("GET", "/api/v1/commons/digest", none, null, SIGNED_IN)
        .operation("PUT", "/api/v1/commons/digest", none, Map.of("subscribed", false), SIGNED_IN)
        .operation("POST", "/api/v1/commons/digest/send", none, null, STAFF);
  }

  @Override
  public Cast cast() {
    return new Cast(owner, admin, member, stranger);
  }

  @Override
  public String revokedAutomation() {
    return coop.salons.testing.Fixtures.revokedAutomationToken(
        owner, org, "/api/v1/organizations/" + org + "/themes");
  }

  /** What the owner sees that a refused call could change. */
  @Override
  public String state() {
    return as(owner).get("/api/v1/organizations/" + org + "/themes").asString()
        + as(owner).get("/api/v1/organizations/" + org + "/listings").asString()
        + as(owner).get("/api/v1/commons/digest").asString()
        + as(owner).get("/api/v1/commons/themes").asString();
  }
}
