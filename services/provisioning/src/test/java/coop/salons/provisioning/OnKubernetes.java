package coop.salons.provisioning;

import coop.salons.testing.TestServers;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Instances on Kubernetes, on the build's real control plane ({@code
 * coop.salons.local.ControlPlane}): a real kube-apiserver on etcd judges every object (schema,
 * defaults, immutable fields, RBAC, Pod Security "restricted", quotas), the real controller-manager
 * and scheduler run Deployments, namespaces' deletion and volumes' binding, and KWOK plays the
 * node: pods become running and ready without a container runtime, so readiness probes are not run
 * and network policies are stored but not enforced (ADR 24). The same API server serves every test
 * class: each instance has a namespace of its own.
 *
 * <p>The supervisor does not run on its own here: the tests run its passes themselves.
 */
public class OnKubernetes implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(TestServers.get().kubernetes().quarkusConfig());
    config.putAll(
        Map.ofEntries(
            Map.entry("salons.provisioning.runtime", "kubernetes"),
            Map.entry("salons.provisioning.supervisor.enabled", "false"),
            Map.entry("salons.provisioning.base-domain", "chat.example.org"),
            Map.entry("salons.provisioning.reserved-hosts", "salons.example.org"),
            Map.entry("salons.provisioning.supervisor.lease", "PT30S"),
            Map.entry("salons.provisioning.allow-local-webhooks", "true"),
            // A plan that signs Mattermost in through the GitLab shim.
            Map.entry("salons.provisioning.plans.legacy.max-users", "20"),
            Map.entry("salons.provisioning.plans.legacy.storage-gb", "10"),
            Map.entry("salons.provisioning.plans.legacy.cpu-millis", "250"),
            Map.entry("salons.provisioning.plans.legacy.memory-mib", "512"),
            Map.entry("salons.provisioning.plans.legacy.mattermost-login", "gitlab")));
    return config;
  }
}
