package coop.salons.provisioning.access;

import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.ApiFuzzer;
import coop.salons.testing.Fixtures;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Schemathesis against the provisioning API's own OpenAPI (see {@link ApiFuzzer}). */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class ApiFuzzTest {

  @Test
  void generatedRequestsGetNoServerErrorAndAnswersMatchTheDocument() throws Exception {
    TestUser fuzzer = Fixtures.user("provisioning-fuzzer");
    Fixtures.organization(fuzzer);
    ApiFuzzer.Result r =
        ApiFuzzer.run(
            "http://localhost:" + RestAssured.port,
            Fixtures.servers().token(fuzzer),
            60, // fewer operations than the other services: more cases each for 1,000 requests
            Path.of("target/schemathesis"));
    System.out.println(
        "schemathesis against provisioning: "
            + r.requests()
            + " requests, tool faults "
            + r.toolFaults());
    assertTrue(r.failures().isEmpty(), r.failures() + "\n" + r.output());
    assertTrue(r.requests() >= 1000, "only " + r.requests() + " requests\n" + r.output());
  }
}
