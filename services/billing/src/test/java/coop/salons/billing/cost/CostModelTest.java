package coop.salons.billing.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.billing.cost.CostModel.Line;
import coop.salons.billing.cost.CostModel.Period;
import coop.salons.billing.cost.CostModel.Rates;
import coop.salons.billing.cost.CostModel.Result;
import coop.salons.billing.cost.CostModel.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cost model alone: a month worked by hand, and properties over many random months. */
class CostModelTest {

  static final Rates RATES =
      new Rates(
          new BigDecimal("0.0250"),
          new BigDecimal("0.0035"),
          new BigDecimal("0.0500"),
          new BigDecimal("4"),
          new BigDecimal("16"),
          new BigDecimal("400"),
          new BigDecimal("15.00"));

  @Test
  void aMonthWorkedByHand() {
    // 30 days = 720 h. Org a: one instance of 0.5 core, 1 GiB, 10 GiB of storage all month.
    // Org b: half of that. Direct: a = 360 core-h × 0.025 + 720 GiB-h × 0.0035 + 10 GB-month ×
    // 0.05 = 9 + 2.52 + 0.5 = 12.02; b = 6.01. Capacity: 4×720×0.025 + 16×720×0.0035 + 400×0.05
    // = 72 + 40.32 + 20 = 132.32; idle = 132.32 − 18.03 = 114.29; fixed 15; total 147.32.
    // Shared 129.29 split 2:1 → 86.1933… and 43.0966…: floors 86.19 and 43.09, and the cent
    // left goes to the largest remainder, b's: a 86.19, b 43.10.
    List<Usage> usages =
        List.of(
            new Usage("a", 500L * 720, 1024L * 720, 10240L * 720, 7, "small", 500, 10),
            new Usage("b", 250L * 720, 512L * 720, 5120L * 720, 3, "small", 0, 10));
    Result r = CostModel.compute(RATES, new Period(720, 720), usages);
    assertEquals(13232, r.capacityCostCents());
    assertEquals(1803, r.directCostCents());
    assertEquals(1500, r.fixedCostCents());
    assertEquals(11429, r.idleCostCents());
    assertEquals(14732, r.totalCostCents());
    Line a = r.lines().get(0);
    Line b = r.lines().get(1);
    assertEquals(900, a.cpuCents());
    assertEquals(252, a.memoryCents());
    assertEquals(50, a.storageCents());
    assertEquals(8619, a.sharedCents());
    assertEquals(9821, a.costCents());
    assertEquals(450 + 126 + 25, b.cpuCents() + b.memoryCents() + b.storageCents());
    assertEquals(4310, b.sharedCents());
    assertEquals(0, new BigDecimal("10").compareTo(a.storageGbMonths()));
    // a pays 5.00, 0.50 of it to solidarity; its cost is 98.21, so solidarity covers 93.71.
    assertEquals(50, a.solidarityShareCents());
    assertEquals(9821 - 450, a.coveredBySolidarityCents());
    assertEquals(500, r.paidCents());
  }

  @Test
  void nobodyUsedAnythingSoTheFixedCostsAreSharedEvenly() {
    List<Usage> usages =
        List.of(
            new Usage("a", 0, 0, 0, 0, "small", 0, 0),
            new Usage("b", 0, 0, 0, 0, "small", 0, 0),
            new Usage("c", 0, 0, 0, 0, "small", 0, 0));
    Result r = CostModel.compute(RATES, new Period(720, 720), usages);
    long sum = r.lines().stream().mapToLong(Line::costCents).sum();
    assertEquals(r.totalCostCents(), sum);
    long min = r.lines().stream().mapToLong(Line::costCents).min().orElseThrow();
    long max = r.lines().stream().mapToLong(Line::costCents).max().orElseThrow();
    assertTrue(max - min <= 1);
  }

  @Test
  void sharesAddUpToTheCentAreNeverNegativeAndIgnoreOrder() {
    Random random = new Random(20261124);
    for (int round = 0; round < 500; round++) {
      int n = 1 + random.nextInt(40);
      List<Usage> usages = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean idle = random.nextInt(5) == 0;
        usages.add(
            new Usage(
                "org-" + i,
                idle ? 0 : random.nextInt(2_000_000),
                idle ? 0 : random.nextInt(5_000_000),
                idle ? 0 : (long) random.nextInt(1 << 30),
                random.nextInt(500),
                "small",
                random.nextInt(5000),
                random.nextInt(101)));
      }
      int hours = List.of(672, 696, 720, 744).get(random.nextInt(4));
      Period period = new Period(hours, random.nextInt(hours + 1));
      Rates rates =
          new Rates(
              new BigDecimal(random.nextInt(10000)).movePointLeft(5),
              new BigDecimal(random.nextInt(10000)).movePointLeft(6),
              new BigDecimal(random.nextInt(1000)).movePointLeft(3),
              BigDecimal.valueOf(random.nextInt(64)),
              BigDecimal.valueOf(random.nextInt(256)),
              BigDecimal.valueOf(random.nextInt(10000)),
              new BigDecimal(random.nextInt(100000)).movePointLeft(2));
      Result r = CostModel.compute(rates, period, usages);
      check(r);
      List<Usage> shuffled = new ArrayList<>(usages);
      Collections.shuffle(shuffled, random);
      assertEquals(r, CostModel.compute(rates, period, shuffled), "order changed the result");
    }
  }

  static void check(Result r) {
    long cost = 0;
    long shared = 0;
    long direct = 0;
    for (Line l : r.lines()) {
      assertTrue(l.cpuCents() >= 0 && l.memoryCents() >= 0 && l.storageCents() >= 0, l.toString());
      assertTrue(l.sharedCents() >= 0 && l.coveredBySolidarityCents() >= 0, l.toString());
      assertEquals(
          l.costCents(), l.cpuCents() + l.memoryCents() + l.storageCents() + l.sharedCents());
      cost += l.costCents();
      shared += l.sharedCents();
      direct += l.cpuCents() + l.memoryCents() + l.storageCents();
    }
    assertEquals(r.totalCostCents(), cost);
    assertEquals(r.directCostCents(), direct);
    assertEquals(r.totalCostCents(), r.directCostCents() + r.idleCostCents() + r.fixedCostCents());
    assertEquals(r.idleCostCents() + r.fixedCostCents(), shared);
  }
}
