package coop.salons.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.testing.TestServers.TestUser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fuzzing every API service runs against its own OpenAPI ({@link ApiFuzzer}) as the owner of an
 * organisation: at least 1,000 generated requests, none answered 5xx or off the document.
 */
public interface ApiFuzzSuite {

  /** The service under test, for its fuzzer's name and the report. */
  String service();

  /** Cases per operation and phase (more for a service with few operations). */
  default int examples() {
    return 40;
  }

  /** Makes the fuzzer's organisation (through identity, or its own API for identity). */
  default void organizationOf(TestUser fuzzer) {
    Fixtures.organization(fuzzer);
  }

  @Test
  default void generatedRequestsGetNoServerErrorAndAnswersMatchTheDocument() throws Exception {
    TestUser fuzzer = TestServers.get().user(service() + "-fuzzer");
    organizationOf(fuzzer);
    ApiFuzzer.Result r =
        ApiFuzzer.run(
            "http://localhost:" + io.restassured.RestAssured.port,
            TestServers.get().token(fuzzer),
            examples(),
            Path.of("target/schemathesis"));
    System.out.println(
        "schemathesis against "
            + service()
            + ": "
            + r.requests()
            + " requests, tool faults "
            + r.toolFaults());
    assertTrue(r.failures().isEmpty(), r.failures() + "\n" + r.output());
    assertTrue(r.requests() >= 1000, "only " + r.requests() + " requests\n" + r.output());
  }
}
