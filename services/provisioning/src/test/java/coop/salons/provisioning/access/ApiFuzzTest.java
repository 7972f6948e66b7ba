package coop.salons.provisioning.access;

import coop.salons.provisioning.OnKubernetes;
import coop.salons.testing.ApiFuzzSuite;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Schemathesis against the provisioning API's own OpenAPI (see {@link ApiFuzzSuite}). */
@QuarkusTest
@TestProfile(OnKubernetes.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class ApiFuzzTest implements ApiFuzzSuite {

  @Override
  public String service() {
    return "provisioning";
  }

  /** Fewer operations than the other services: more cases each for 1,000 requests. */
  @Override
  public int examples() {
    return 60;
  }
}
