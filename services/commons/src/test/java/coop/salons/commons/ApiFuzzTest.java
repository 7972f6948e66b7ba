package coop.salons.commons;

import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.testing.ApiFuzzer;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Schemathesis against the commons API's own OpenAPI (see {@link ApiFuzzer}). */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class ApiFuzzTest {

  @Test
  void generatedRequestsGetNoServerErrorAndAnswersMatchTheDocument() throws Exception {
    TestUser fuzzer = Fixtures.user("commons-fuzzer");
    Fixtures.organization(fuzzer);
    ApiFuzzer.Result r =
        ApiFuzzer.run(
            "http://localhost:" + RestAssured.port,
            Fixtures.servers().token(fuzzer),
            40,
            Path.of("target/schemathesis"));
    System.out.println(
        "schemathesis against commons: "
            + r.requests()
            + " requests, tool faults "
            + r.toolFaults());
    assertTrue(r.failures().isEmpty(), r.failures() + "\n" + r.output());
    assertTrue(r.requests() >= 1000, "only " + r.requests() + " requests\n" + r.output());
  }
}
