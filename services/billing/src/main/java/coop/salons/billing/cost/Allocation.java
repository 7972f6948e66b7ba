package coop.salons.billing.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits an amount of cents between parties in proportion to weights, to the cent: each party gets
 * the floor of its exact share, and the cents left over go one each to the largest remainders (ties
 * to the earlier party). The parts always add up to the amount, none is negative, and the result
 * depends only on the parties' order, which callers fix (by organisation slug).
 */
public final class Allocation {

  private static final MathContext PRECISION = MathContext.DECIMAL128;

  private Allocation() {}

  /** The parts of {@code cents} for each weight; equal weights when they are all zero. */
  public static long[] split(long cents, List<BigDecimal> weights) {
    if (cents < 0) {
      throw new IllegalArgumentException("cannot split a negative amount: " + cents);
    }
    int n = weights.size();
    long[] parts = new long[n];
    if (n == 0) {
      if (cents != 0) {
        throw new IllegalArgumentException("no one to split " + cents + " cents between");
      }
      return parts;
    }
    BigDecimal total = BigDecimal.ZERO;
    for (BigDecimal w : weights) {
      if (w.signum() < 0) {
        throw new IllegalArgumentException("negative weight " + w);
      }
      total = total.add(w);
    }
    boolean even = total.signum() == 0;
    BigDecimal amount = BigDecimal.valueOf(cents);
    List<int[]> byRemainder = new ArrayList<>(n);
    BigDecimal[] remainders = new BigDecimal[n];
    long given = 0;
    for (int i = 0; i < n; i++) {
      BigDecimal exact =
          even
              ? amount.divide(BigDecimal.valueOf(n), PRECISION)
              : amount.multiply(weights.get(i)).divide(total, PRECISION);
      BigDecimal floor = exact.setScale(0, RoundingMode.FLOOR);
      parts[i] = floor.longValueExact();
      remainders[i] = exact.subtract(floor);
      given += parts[i];
      byRemainder.add(new int[] {i});
    }
    long left = cents - given;
    byRemainder.sort(
        Comparator.<int[], BigDecimal>comparing(a -> remainders[a[0]])
            .reversed()
            .thenComparingInt(a -> a[0]));
    for (int k = 0; left > 0; k = (k + 1) % n, left--) {
      parts[byRemainder.get(k)[0]]++;
    }
    return parts;
  }
}
