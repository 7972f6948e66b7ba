package coop.salons.identity.access;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.ApiFuzzSuite;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Schemathesis against the identity API's own OpenAPI (see {@link ApiFuzzSuite}). */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class ApiFuzzTest extends IdentityTestBase implements ApiFuzzSuite {

  @Override
  public String service() {
    return "identity";
  }

  /** Identity is the service under test: its own API makes the organisation. */
  @Override
  public void organizationOf(TestUser fuzzer) {
    organizationOf(fuzzer.username(), "fuzzed");
  }
}
