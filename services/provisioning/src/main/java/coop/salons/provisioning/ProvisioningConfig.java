package coop.salons.provisioning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The provisioning service's own settings ({@code salons.provisioning.*}). */
@ConfigMapping(prefix = "salons.provisioning")
public interface ProvisioningConfig {

  /** Where chat instances run: {@code kubernetes} in production, {@code local} on one machine. */
  @WithDefault("local")
  String runtime();

  /** The parent domain of the instances' default host names ({@code <instance>.<org>.<domain>}). */
  @WithDefault("chat.localhost")
  String baseDomain();
}
