package coop.salons.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** The billing service's own settings ({@code salons.billing.*}). */
@ConfigMapping(prefix = "salons.billing")
public interface BillingConfig {

  /** The currency of every amount (ISO 4217). */
  @WithDefault("EUR")
  String currency();

  /** The share of use at which an organisation is warned that it nears a quota, in percent. */
  @WithDefault("80")
  int warningThresholdPercent();

  /** The plan a new organisation starts on, at that plan's minimum price. */
  @WithDefault("small")
  String defaultPlan();

  /**
   * A JSON file of plans the hoster offers, read at start-up: plans it names that do not exist yet
   * are created; plans edited through the API are never overwritten. Without it, the plans shipped
   * with the service.
   */
  Optional<String> plansFile();

  /** Unit prices, in the currency, exact decimals. */
  Prices prices();

  /** What the hoster pays for, whether used or not: its idle part is shared by use. */
  Capacity capacity();

  /** The hoster's fixed monthly costs by name (domain, backups, paid time...), shared by use. */
  Map<String, BigDecimal> fixedCosts();

  /** How often the provisional months' statements are computed again. */
  @WithDefault("1h")
  String statementsEvery();

  /** How old a provisional month's statements may be before a reader gets them computed again. */
  @WithDefault("5m")
  java.time.Duration statementsFresh();

  /** How long after its end a month's statements stay provisional and are recomputed. */
  @WithDefault("5")
  int provisionalDays();

  /** Unit prices. */
  interface Prices {
    /** One core reserved for one hour. */
    @WithDefault("0.0250")
    BigDecimal coreHour();

    /** One GiB of memory reserved for one hour. */
    @WithDefault("0.0035")
    BigDecimal gibHour();

    /** One GB of storage held for a whole month. */
    @WithDefault("0.0500")
    BigDecimal gbMonth();
  }

  /** The platform's capacity. */
  interface Capacity {
    @WithDefault("4")
    BigDecimal cores();

    @WithDefault("16")
    BigDecimal memoryGib();

    @WithDefault("400")
    BigDecimal storageGb();
  }
}
