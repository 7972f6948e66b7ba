package coop.salons.identity.member;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.identity.IdentityTestBase;
import coop.salons.local.Service;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The other services read membership changes in order; nobody else can. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class MembershipEventResourceTest extends IdentityTestBase {

  @Test
  void provisioningReadsAddedChangedAndRemovedInOrder() {
    String provisioning = SERVERS.serviceToken(Service.PROVISIONING);
    long start =
        given()
            .auth()
            .oauth2(provisioning)
            .get("/api/v1/membership-events?limit=1000")
            .jsonPath()
            .getList("items.id", Long.class)
            .stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0);
    String slug = organizationOf("olga", "events");
    addMember("olga", slug, "evan", "member");
    String evan = userId("evan");
    as("olga")
        .body(Map.of("role", "admin"))
        .put("/api/v1/organizations/" + slug + "/members/" + evan + "/role")
        .then()
        .statusCode(200);
    as("olga").delete("/api/v1/organizations/" + slug + "/members/" + evan).then().statusCode(204);

    var page =
        given()
            .auth()
            .oauth2(provisioning)
            .get("/api/v1/membership-events?after=" + start)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> kinds = page.getList("items.findAll { it.organization == '" + slug + "' }.kind");
    assertEquals(List.of("added", "added", "role_changed", "removed"), kinds);
    given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.BILLING))
        .get("/api/v1/membership-events?after=" + start)
        .then()
        .statusCode(200);
  }

  @Test
  void usersAndOtherClientsAreRefused() {
    as("olga")
        .get("/api/v1/membership-events")
        .then()
        .statusCode(403)
        .body("type", equalTo("urn:salons:problem:forbidden"));
    given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.IDENTITY))
        .get("/api/v1/membership-events")
        .then()
        .statusCode(403);
    given().get("/api/v1/membership-events").then().statusCode(401);
  }

  @Test
  void provisioningReadsTheMemberDirectoryAndNobodyElse() {
    String slug = organizationOf("dora", "directory");
    addMember("dora", slug, "dmitri", "admin");
    String path = "/api/v1/member-directory/" + slug;
    given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.PROVISIONING))
        .get(path)
        .then()
        .statusCode(200)
        .body("username", equalTo(List.of("dmitri", "dora")))
        .body("email", equalTo(List.of("dmitri@example.org", "dora@example.org")))
        .body("role", equalTo(List.of("admin", "owner")));
    // Neither the members themselves nor billing's account may read emails in bulk.
    as("dora").get(path).then().statusCode(403);
    given().auth().oauth2(SERVERS.serviceToken(Service.BILLING)).get(path).then().statusCode(403);
    given().get(path).then().statusCode(401);
    given()
        .auth()
        .oauth2(SERVERS.serviceToken(Service.PROVISIONING))
        .get("/api/v1/member-directory/no-such-org")
        .then()
        .statusCode(404);
  }
}
