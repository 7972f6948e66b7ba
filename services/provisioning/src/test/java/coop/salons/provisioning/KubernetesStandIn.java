package coop.salons.provisioning;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Instances on Kubernetes, where the API server is the one stand-in of the test suite: fabric8's
 * CRUD mock server. It stores, lists and watches objects like the real API server, but runs no
 * controller (no pod ever starts, a Deployment's status is what the test writes, deleting a
 * namespace does not delete what is in it), validates no schema, enforces neither quotas nor
 * network policies nor pod security, and refuses server-side apply. What the tests prove on it is
 * what the platform writes and reads; that the cluster acts on it is for a real cluster.
 *
 * <p>The supervisor does not run on its own here: the tests run its passes themselves.
 */
public class KubernetesStandIn implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.ofEntries(
        Map.entry("quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN"),
        Map.entry("salons.provisioning.runtime", "kubernetes"),
        Map.entry("salons.provisioning.supervisor.enabled", "false"),
        Map.entry("salons.provisioning.base-domain", "chat.example.org"),
        Map.entry("salons.provisioning.supervisor.lease", "PT30S"),
        Map.entry("salons.provisioning.allow-local-webhooks", "true"),
        // A plan that signs Mattermost in through the GitLab shim.
        Map.entry("salons.provisioning.plans.legacy.max-users", "20"),
        Map.entry("salons.provisioning.plans.legacy.storage-gb", "5"),
        Map.entry("salons.provisioning.plans.legacy.cpu-millis", "250"),
        Map.entry("salons.provisioning.plans.legacy.memory-mib", "512"),
        Map.entry("salons.provisioning.plans.legacy.mattermost-login", "gitlab"));
  }
}
