package coop.salons.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The identity service's own settings ({@code salons.identity.*}). */
@ConfigMapping(prefix = "salons.identity")
public interface IdentityConfig {

  /** The Keycloak realm that holds the platform's users and organisations. */
  @WithDefault("salons")
  String realm();

  /** The largest page a list endpoint answers. */
  @WithDefault("100")
  int maxPageSize();
}
