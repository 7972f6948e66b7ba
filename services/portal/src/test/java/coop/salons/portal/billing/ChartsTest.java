package coop.salons.portal.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The geometry of the portal's SVG charts. */
class ChartsTest {

  @Test
  void barsAreScaledToTheLargestAndSitOnTheBaseline() {
    List<Charts.Bar> bars =
        Charts.bars(
            List.of("01", "02", "03"),
            List.of(new BigDecimal("12"), new BigDecimal("6"), BigDecimal.ZERO),
            "core-h",
            "c1");
    assertEquals(3, bars.size());
    assertEquals(Charts.HEIGHT - 20, bars.get(0).height());
    assertEquals((Charts.HEIGHT - 20) / 2, bars.get(1).height());
    assertEquals(0, bars.get(2).height());
    for (Charts.Bar b : bars) {
      assertEquals(Charts.HEIGHT, b.y() + b.height());
      assertTrue(b.x() + b.width() <= Charts.WIDTH);
    }
    assertEquals("12 core-h", bars.get(0).value());
  }

  @Test
  void aStackedBarFillsTheWidthInProportion() {
    List<Charts.Segment> s =
        Charts.stacked(List.of("a", "b", "c"), List.of(100L, 300L, 1L), List.of("c1", "c2", "c3"));
    assertEquals(Charts.WIDTH, s.stream().mapToInt(Charts.Segment::width).sum());
    assertEquals(0, s.get(0).x());
    assertEquals(s.get(0).width(), s.get(1).x());
    assertEquals("3.00", s.get(1).value());
    List<Charts.Segment> none =
        Charts.stacked(List.of("a", "b"), List.of(0L, 0L), List.of("c1", "c2"));
    assertEquals(0, none.stream().mapToInt(Charts.Segment::width).sum());
  }
}
