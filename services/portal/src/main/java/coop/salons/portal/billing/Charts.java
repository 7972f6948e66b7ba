package coop.salons.portal.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Bar charts drawn as SVG by the templates, with no JavaScript: this computes each bar's geometry
 * in a 600 × 200 box; the templates add labels and a table of the same figures for screen readers.
 */
public final class Charts {

  public static final int WIDTH = 600;
  public static final int HEIGHT = 200;

  private Charts() {}

  /** One bar: where it is drawn, and what it says. */
  public record Bar(int x, int y, int width, int height, String label, String value, String css) {}

  /** One segment of a stacked horizontal bar. */
  public record Segment(int x, int width, String label, String value, String css) {}

  /** Vertical bars of values, scaled to the largest. */
  public static List<Bar> bars(
      List<String> labels, List<BigDecimal> values, String unit, String css) {
    BigDecimal max = values.stream().reduce(BigDecimal.ZERO, BigDecimal::max);
    List<Bar> bars = new ArrayList<>();
    int n = values.size();
    if (n == 0) {
      return bars;
    }
    int slot = WIDTH / Math.max(n, 1);
    int width = Math.max(1, slot - Math.max(1, slot / 5));
    for (int i = 0; i < n; i++) {
      int h =
          max.signum() == 0
              ? 0
              : values
                  .get(i)
                  .multiply(BigDecimal.valueOf(HEIGHT - 20))
                  .divide(max, 0, RoundingMode.HALF_UP)
                  .intValue();
      bars.add(
          new Bar(
              i * slot,
              HEIGHT - h,
              width,
              h,
              labels.get(i),
              values.get(i).stripTrailingZeros().toPlainString() + " " + unit,
              css));
    }
    return bars;
  }

  /** A horizontal bar split into parts in proportion to amounts of cents. */
  public static List<Segment> stacked(List<String> labels, List<Long> cents, List<String> css) {
    return stacked(labels, cents, css, Charts::money);
  }

  /**
   * A horizontal bar split into parts in proportion to amounts, each shown as {@code format} says.
   */
  public static List<Segment> stacked(
      List<String> labels,
      List<Long> cents,
      List<String> css,
      java.util.function.LongFunction<String> format) {
    long total = cents.stream().mapToLong(Long::longValue).sum();
    List<Segment> segments = new ArrayList<>();
    int x = 0;
    for (int i = 0; i < cents.size(); i++) {
      int w = total == 0 ? 0 : (int) Math.round((double) cents.get(i) * WIDTH / total);
      if (i == cents.size() - 1) {
        w = total == 0 ? 0 : WIDTH - x;
      }
      segments.add(new Segment(x, w, labels.get(i), format.apply(cents.get(i)), css.get(i)));
      x += w;
    }
    return segments;
  }

  /** Cents as an amount with two decimals. */
  public static String money(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString();
  }
}
