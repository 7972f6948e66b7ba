package coop.salons.provisioning.runtime;

import coop.salons.provisioning.ProvisioningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Chooses the runtime from {@code salons.provisioning.runtime}. A singleton without a proxy of its
 * own: callers get the chosen runtime's bean itself.
 */
@ApplicationScoped
public class RuntimeProducer {

  @Inject ProvisioningConfig config;
  @Inject Instance<KubernetesRuntime> kubernetes;
  @Inject Instance<LocalRuntime> local;

  @Produces
  @Singleton
  ChatRuntime runtime() {
    return switch (config.runtime()) {
      case "kubernetes" -> kubernetes.get();
      case "local" -> local.get();
      default ->
          throw new IllegalStateException(
              "salons.provisioning.runtime must be kubernetes or local, not " + config.runtime());
    };
  }
}
