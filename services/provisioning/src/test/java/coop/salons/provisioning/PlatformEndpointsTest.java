package coop.salons.provisioning;

import coop.salons.testing.PlatformEndpointsContract;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class PlatformEndpointsTest extends PlatformEndpointsContract {

  @Override
  protected String openApiTitle() {
    return "Salons provisioning API";
  }
}
