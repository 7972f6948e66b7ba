package coop.salons.billing.subscription;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Integer cents, rounded once, the same way everywhere. */
public final class Money {

  private Money() {}

  /** {@code percent} % of an amount of cents, rounded half to even. */
  public static long percentOf(long cents, int percent) {
    return BigDecimal.valueOf(cents)
        .multiply(BigDecimal.valueOf(percent))
        .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }
}
