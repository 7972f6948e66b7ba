package coop.salons.billing;

import coop.salons.testing.ApiFuzzSuite;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Schemathesis against the billing API's own OpenAPI (see {@link ApiFuzzSuite}). */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class ApiFuzzTest implements ApiFuzzSuite {

  @Override
  public String service() {
    return "billing";
  }
}
