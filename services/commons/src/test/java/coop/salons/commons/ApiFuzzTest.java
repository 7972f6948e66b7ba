package coop.salons.commons;

import coop.salons.testing.ApiFuzzSuite;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Schemathesis against the commons API's own OpenAPI (see {@link ApiFuzzSuite}). */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class ApiFuzzTest implements ApiFuzzSuite {

  @Override
  public String service() {
    return "commons";
  }
}
