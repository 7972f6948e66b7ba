package coop.salons.provisioning;

import coop.salons.testing.PlatformEndpointsContract;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

@QuarkusTest
@TestProfile(KubernetesStandIn.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class PlatformEndpointsTest extends PlatformEndpointsContract {

  @Override
  protected String openApiTitle() {
    return "Salons provisioning API";
  }
}
