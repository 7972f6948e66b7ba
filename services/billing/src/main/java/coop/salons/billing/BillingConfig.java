package coop.salons.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The billing service's own settings ({@code salons.billing.*}). */
@ConfigMapping(prefix = "salons.billing")
public interface BillingConfig {

  /** The currency of every amount (ISO 4217). */
  @WithDefault("EUR")
  String currency();

  /** The share of use at which an organisation is warned that it nears a quota, in percent. */
  @WithDefault("80")
  int warningThresholdPercent();
}
