package coop.salons.identity.access;

import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.ApiFuzzer;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Schemathesis against the identity API's own OpenAPI (see {@link ApiFuzzer}). */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class ApiFuzzTest extends IdentityTestBase {

  @Test
  void generatedRequestsGetNoServerErrorAndAnswersMatchTheDocument() throws Exception {
    organizationOf("fuzzer", "fuzzed");
    ApiFuzzer.Result r =
        ApiFuzzer.run(
            "http://localhost:" + RestAssured.port,
            SERVERS.token(SERVERS.user("fuzzer")),
            40,
            Path.of("target/schemathesis"));
    System.out.println(
        "schemathesis against identity: "
            + r.requests()
            + " requests, tool faults "
            + r.toolFaults());
    assertTrue(r.failures().isEmpty(), r.failures() + "\n" + r.output());
    assertTrue(r.requests() >= 1000, "only " + r.requests() + " requests\n" + r.output());
  }
}
