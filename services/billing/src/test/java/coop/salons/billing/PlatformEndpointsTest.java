package coop.salons.billing;

import coop.salons.testing.PlatformEndpointsContract;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class PlatformEndpointsTest extends PlatformEndpointsContract {

  @Override
  protected String openApiTitle() {
    return "Salons billing API";
  }
}
