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

  /** How long a deleted organisation can still be restored before it is purged. */
  @WithDefault("P7D")
  java.time.Duration deletionGracePeriod();

  /**
   * How old an organisation whose Keycloak side is missing must be before the reconciler adds it.
   */
  @WithDefault("PT1M")
  java.time.Duration reconcileAfter();

  /**
   * Whether adding a member first claims a slot of the organisation's {@code members} quota from
   * billing ({@code billing}), or not at all ({@code off}: identity alone, e.g. its own tests).
   */
  @WithDefault("billing")
  String memberQuota();
}
