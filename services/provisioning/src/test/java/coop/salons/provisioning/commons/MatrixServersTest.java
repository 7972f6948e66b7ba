package coop.salons.provisioning.commons;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import coop.salons.local.Service;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.instance.Instance;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The associations' Matrix servers are told to the commons service, and to nobody else. */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class MatrixServersTest {

  private static final String PATH = "/api/v1/commons/matrix-servers";

  @Test
  void onlyTheCommonsServiceReadsTheServersAndOnlyMatrixOnesWithAPlaceAreListed() {
    TestUser owner = Fixture.user("servers-owner");
    String org = Fixture.organization(owner);
    UUID matrix = Fixture.instance(owner, org, "salon", "matrix", "small");
    String other = Fixture.organization(owner);
    UUID mattermost = Fixture.instance(owner, other, "equipe", "mattermost", "small");
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instance.<Instance>findById(matrix).url = "https://salon." + org + ".example";
              Instance.<Instance>findById(mattermost).url = "https://equipe." + other + ".example";
            });

    Fixture.as(owner).get(PATH).then().statusCode(403).contentType("application/problem+json");
    Fixture.asService(Service.BILLING).get(PATH).then().statusCode(403);
    io.restassured.RestAssured.given().get(PATH).then().statusCode(401);
    Fixture.asService(Service.COMMONS)
        .get(PATH)
        .then()
        .statusCode(200)
        .body("serverName", hasItem("salon." + org + ".chat.example.org"))
        .body("url", hasItem("https://salon." + org + ".example"))
        .body("organization", not(hasItem(other)));
  }
}
