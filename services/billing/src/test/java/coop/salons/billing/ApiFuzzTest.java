package coop.salons.billing;

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

/** Schemathesis against the billing API's own OpenAPI (see {@link ApiFuzzer}). */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class ApiFuzzTest {

  @Test
  void generatedRequestsGetNoServerErrorAndAnswersMatchTheDocument() throws Exception {
    TestUser fuzzer = Fixtures.user("billing-fuzzer");
    Fixtures.organization(fuzzer);
    ApiFuzzer.Result r =
        ApiFuzzer.run(
            "http://localhost:" + RestAssured.port,
            Fixtures.servers().token(fuzzer),
            40,
            Path.of("target/schemathesis"));
    System.out.println(
        "schemathesis against billing: "
            + r.requests()
            + " requests, tool faults "
            + r.toolFaults());
    assertTrue(r.failures().isEmpty(), r.failures() + "\n" + r.output());
    assertTrue(r.requests() >= 1000, "only " + r.requests() + " requests\n" + r.output());
  }
}
