package coop.salons.billing.cost;

import coop.salons.billing.subscription.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * OpenCost's allocation, for one month (pure: no I/O). Each organisation's direct cost is what it
 * reserved times the unit prices (core-hours, GiB-hours, GB-months); the hoster's capacity left
 * idle and its fixed costs are shared in proportion to the direct costs (evenly when no one used
 * anything). Exact decimals throughout; the platform's total is rounded to the cent once, and
 * {@link Allocation} splits it so that the statements add up to it exactly.
 */
public final class CostModel {

  private static final MathContext PRECISION = MathContext.DECIMAL128;
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);

  private CostModel() {}

  /** Unit prices, capacity and fixed costs for a month. */
  public record Rates(
      BigDecimal coreHour,
      BigDecimal gibHour,
      BigDecimal gbMonth,
      BigDecimal capacityCores,
      BigDecimal capacityMemoryGib,
      BigDecimal capacityStorageGb,
      BigDecimal fixedMonthly) {}

  /**
   * The month: its length in hours, and how many of them are counted (all, once it is over; those
   * gone by, while it runs).
   */
  public record Period(int hoursInMonth, int hoursCounted) {
    public Period {
      if (hoursInMonth <= 0 || hoursCounted < 0 || hoursCounted > hoursInMonth) {
        throw new IllegalArgumentException("bad period " + hoursInMonth + "/" + hoursCounted);
      }
    }
  }

  /** One organisation's month: sums of its hourly samples, and its subscription. */
  public record Usage(
      String organization,
      long millicoreHours,
      long mibHours,
      long storageMibHours,
      int peakMembers,
      String planId,
      long priceCents,
      int solidaritySharePercent) {}

  /** One organisation's statement. Every amount is in cents. */
  public record Line(
      Usage usage,
      BigDecimal coreHours,
      BigDecimal memoryGibHours,
      BigDecimal storageGbMonths,
      long cpuCents,
      long memoryCents,
      long storageCents,
      long sharedCents,
      long costCents,
      long solidarityShareCents,
      long coveredBySolidarityCents) {}

  /** The month for the whole platform. */
  public record Result(
      long capacityCostCents,
      long fixedCostCents,
      long directCostCents,
      long idleCostCents,
      long totalCostCents,
      long paidCents,
      long solidarityCollectedCents,
      long solidarityNeededCents,
      List<Line> lines) {}

  public static Result compute(Rates rates, Period period, List<Usage> usages) {
    List<Usage> sorted = new ArrayList<>(usages);
    sorted.sort(Comparator.comparing(Usage::organization));
    BigDecimal counted = BigDecimal.valueOf(period.hoursCounted());
    BigDecimal monthFraction = counted.divide(BigDecimal.valueOf(period.hoursInMonth()), PRECISION);

    int n = sorted.size();
    BigDecimal[][] exactLines = new BigDecimal[n][3];
    BigDecimal[][] quantities = new BigDecimal[n][3];
    List<BigDecimal> direct = new ArrayList<>(n);
    BigDecimal directTotal = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      Usage u = sorted.get(i);
      BigDecimal coreHours = BigDecimal.valueOf(u.millicoreHours()).divide(THOUSAND, PRECISION);
      BigDecimal gibHours = BigDecimal.valueOf(u.mibHours()).divide(MIB_PER_GIB, PRECISION);
      BigDecimal gbMonths =
          BigDecimal.valueOf(u.storageMibHours())
              .divide(MIB_PER_GIB, PRECISION)
              .divide(BigDecimal.valueOf(period.hoursInMonth()), PRECISION);
      quantities[i] = new BigDecimal[] {coreHours, gibHours, gbMonths};
      exactLines[i] =
          new BigDecimal[] {
            coreHours.multiply(rates.coreHour()),
            gibHours.multiply(rates.gibHour()),
            gbMonths.multiply(rates.gbMonth())
          };
      BigDecimal d = exactLines[i][0].add(exactLines[i][1]).add(exactLines[i][2]);
      direct.add(d);
      directTotal = directTotal.add(d);
    }
    BigDecimal capacity =
        rates
            .capacityCores()
            .multiply(counted)
            .multiply(rates.coreHour())
            .add(rates.capacityMemoryGib().multiply(counted).multiply(rates.gibHour()))
            .add(rates.capacityStorageGb().multiply(monthFraction).multiply(rates.gbMonth()));
    BigDecimal fixed = rates.fixedMonthly().multiply(monthFraction);
    BigDecimal idle = capacity.subtract(directTotal).max(BigDecimal.ZERO);
    BigDecimal total = n == 0 ? BigDecimal.ZERO : directTotal.add(idle).add(fixed);

    long totalCents = cents(total);
    long directCents = Math.min(cents(directTotal), totalCents);
    long sharedCents = totalCents - directCents;
    // The report's parts add up to the total too: fixed first, the rest of the shared part is idle.
    long fixedCents = Math.min(cents(fixed), sharedCents);
    long idleCents = sharedCents - fixedCents;
    long[] directParts = Allocation.split(directCents, direct);
    long[] sharedParts = Allocation.split(sharedCents, direct);

    List<Line> lines = new ArrayList<>(n);
    long paid = 0;
    long collected = 0;
    long needed = 0;
    for (int i = 0; i < n; i++) {
      Usage u = sorted.get(i);
      long[] byKind = Allocation.split(directParts[i], List.of(exactLines[i]));
      long cost = directParts[i] + sharedParts[i];
      long solidarity = Money.percentOf(u.priceCents(), u.solidaritySharePercent());
      long covered = Math.max(0, cost - (u.priceCents() - solidarity));
      paid += u.priceCents();
      collected += solidarity;
      needed += covered;
      lines.add(
          new Line(
              u,
              quantities[i][0],
              quantities[i][1],
              quantities[i][2],
              byKind[0],
              byKind[1],
              byKind[2],
              sharedParts[i],
              cost,
              solidarity,
              covered));
    }
    return new Result(
        cents(capacity),
        fixedCents,
        directCents,
        idleCents,
        totalCents,
        paid,
        collected,
        needed,
        lines);
  }

  /** An exact amount in the currency, rounded half to even to whole cents. */
  static long cents(BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }
}
