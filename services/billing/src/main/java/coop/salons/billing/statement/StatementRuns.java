package coop.salons.billing.statement;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.cost.CostModel;
import coop.salons.billing.cost.CostModel.Line;
import coop.salons.billing.cost.CostModel.Period;
import coop.salons.billing.cost.CostModel.Rates;
import coop.salons.billing.cost.CostModel.Result;
import coop.salons.billing.cost.CostModel.Usage;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Computes a month's statements for every organisation at once (the shared costs depend on all of
 * them) and stores them with the month's run. A month is provisional while it runs and for {@code
 * provisional-days} after; it is recomputed every hour until then, so late samples count.
 */
@ApplicationScoped
public class StatementRuns {

  @Inject DataSource ds;
  @Inject BillingConfig config;

  /** A month's platform figures, as stored. */
  public record Run(
      YearMonth month,
      Instant computedAt,
      boolean provisional,
      int hours,
      long samples,
      int organizations,
      long capacityCostCents,
      long fixedCostCents,
      long directCostCents,
      long idleCostCents,
      long totalCostCents,
      long paidCents,
      long solidarityCollectedCents,
      long solidarityNeededCents,
      long durationMs) {}

  @Scheduled(
      every = "${salons.billing.statements-every:1h}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void recomputeProvisional() {
    Instant now = Instant.now();
    YearMonth current = Months.current(now);
    try {
      compute(current, now);
      if (isProvisional(current.minusMonths(1), now)) {
        compute(current.minusMonths(1), now);
      }
    } catch (RuntimeException e) {
      Log.warnf("Could not compute the provisional statements: %s", e.getMessage());
    }
  }

  boolean isProvisional(YearMonth month, Instant now) {
    return now.isBefore(
        Months.end(month).plus(java.time.Duration.ofDays(config.provisionalDays())));
  }

  /**
   * The month's run, computed now if there is none yet, or if it is provisional and older than
   * {@code statements-fresh}: a month under way follows its samples.
   */
  public Run ensure(YearMonth month, Instant now) {
    Optional<Run> found = find(month);
    if (found.isPresent() && fresh(found.get(), now)) {
      return found.get();
    }
    return computeUnlessFresh(month, now);
  }

  private boolean fresh(Run run, Instant now) {
    return !run.provisional() || run.computedAt().plus(config.statementsFresh()).isAfter(now);
  }

  @Transactional
  public Optional<Run> find(YearMonth month) {
    try (Connection c = ds.getConnection()) {
      return read(c, month);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Run> read(Connection c, YearMonth month) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT * FROM statement_run WHERE month = ?")) {
      st.setDate(1, Date.valueOf(month.atDay(1)));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(run(rs)) : Optional.empty();
      }
    }
  }

  /** Computes and stores the month's statements, replacing the previous computation. */
  @Transactional
  public Run compute(YearMonth month, Instant now) {
    return compute(month, now, false);
  }

  /**
   * As {@link #compute}, unless another reader computed the month while this one waited for the
   * lock: readers of a stale month then compute it once, not once each.
   */
  @Transactional
  Run computeUnlessFresh(YearMonth month, Instant now) {
    return compute(month, now, true);
  }

  private Run compute(YearMonth month, Instant now, boolean unlessFresh) {
    long started = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement lock =
          c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, "statements:" + month);
        lock.execute();
      }
      if (unlessFresh) {
        Optional<Run> meanwhile = read(c, month);
        if (meanwhile.isPresent() && fresh(meanwhile.get(), now)) {
          return meanwhile.get();
        }
      }
      Aggregate aggregate = aggregate(c, month);
      Map<String, Usage> usages = aggregate.usages();
      long samples = aggregate.samples();
      Period period = new Period(Months.hours(month), Months.hoursCounted(month, now));
      Result result = CostModel.compute(rates(), period, new ArrayList<>(usages.values()));
      long durationMs = (System.nanoTime() - started) / 1_000_000;
      Run run =
          new Run(
              month,
              now,
              isProvisional(month, now),
              period.hoursCounted(),
              samples,
              result.lines().size(),
              result.capacityCostCents(),
              result.fixedCostCents(),
              result.directCostCents(),
              result.idleCostCents(),
              result.totalCostCents(),
              result.paidCents(),
              result.solidarityCollectedCents(),
              result.solidarityNeededCents(),
              durationMs);
      store(c, run, result.lines());
      return run;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not compute the statements of " + month, e);
    }
  }

  /** Each organisation's sums for the month, and how many samples they came from. */
  private record Aggregate(Map<String, Usage> usages, long samples) {}

  /** Each organisation's sums for the month, and every organisation subscribed by its end. */
  private Aggregate aggregate(Connection c, YearMonth month) throws SQLException {
    Map<String, Usage> byOrg = new TreeMap<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT s.organization_slug, s.plan_id, s.price_cents, p.solidarity_share_percent,"
                + " coalesce(u.cpu, 0), coalesce(u.memory, 0), coalesce(u.storage, 0),"
                + " coalesce(u.members, 0), coalesce(u.samples, 0)"
                + " FROM subscription s JOIN plan p ON p.id = s.plan_id LEFT JOIN ("
                + "   SELECT organization_slug, sum(cpu_millicores) AS cpu, sum(memory_mib) AS memory,"
                + "   sum(storage_mib) AS storage, max(active_members) AS members, count(*) AS samples"
                + "   FROM usage_sample WHERE hour >= ? AND hour < ? GROUP BY organization_slug"
                + " ) u ON u.organization_slug = s.organization_slug"
                + " WHERE s.created_at < ? OR u.samples IS NOT NULL")) {
      Timestamp end = Timestamp.from(Months.end(month));
      st.setTimestamp(1, Timestamp.from(Months.start(month)));
      st.setTimestamp(2, end);
      st.setTimestamp(3, end);
      long samples = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String org = rs.getString(1);
          byOrg.put(
              org,
              new Usage(
                  org,
                  rs.getLong(5),
                  rs.getLong(6),
                  rs.getBigDecimal(7).longValueExact(),
                  rs.getInt(8),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getInt(4)));
          samples += rs.getLong(9);
        }
      }
      return new Aggregate(byOrg, samples);
    }
  }

  private Rates rates() {
    BigDecimal fixed =
        config.fixedCosts().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    return new Rates(
        config.prices().coreHour(),
        config.prices().gibHour(),
        config.prices().gbMonth(),
        config.capacity().cores(),
        config.capacity().memoryGib(),
        config.capacity().storageGb(),
        fixed);
  }

  private static void store(Connection c, Run run, List<Line> lines) throws SQLException {
    Date month = Date.valueOf(run.month().atDay(1));
    try (PreparedStatement del = c.prepareStatement("DELETE FROM statement_run WHERE month = ?")) {
      del.setDate(1, month);
      del.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO statement_run (month, computed_at, provisional, hours, samples,"
                + " organizations, capacity_cost_cents, fixed_cost_cents, direct_cost_cents,"
                + " idle_cost_cents, total_cost_cents, paid_cents, solidarity_collected_cents,"
                + " solidarity_needed_cents, duration_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setDate(1, month);
      st.setTimestamp(2, Timestamp.from(run.computedAt()));
      st.setBoolean(3, run.provisional());
      st.setInt(4, run.hours());
      st.setLong(5, run.samples());
      st.setInt(6, run.organizations());
      st.setLong(7, run.capacityCostCents());
      st.setLong(8, run.fixedCostCents());
      st.setLong(9, run.directCostCents());
      st.setLong(10, run.idleCostCents());
      st.setLong(11, run.totalCostCents());
      st.setLong(12, run.paidCents());
      st.setLong(13, run.solidarityCollectedCents());
      st.setLong(14, run.solidarityNeededCents());
      st.setLong(15, run.durationMs());
      st.executeUpdate();
    }
    int n = lines.size();
    if (n == 0) {
      return;
    }
    Object[][] columns = new Object[15][n];
    for (int i = 0; i < n; i++) {
      Line l = lines.get(i);
      Object[] row = {
        l.usage().organization(),
        l.usage().planId(),
        l.usage().priceCents(),
        l.coreHours(),
        l.memoryGibHours(),
        l.storageGbMonths(),
        l.usage().peakMembers(),
        l.cpuCents(),
        l.memoryCents(),
        l.storageCents(),
        l.sharedCents(),
        l.costCents(),
        l.solidarityShareCents(),
        l.coveredBySolidarityCents(),
        null
      };
      for (int k = 0; k < 14; k++) {
        columns[k][i] = row[k];
      }
    }
    String[] types = {
      "varchar", "varchar", "int8", "numeric", "numeric", "numeric", "int4", "int8", "int8", "int8",
      "int8", "int8", "int8", "int8"
    };
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO statement (month, organization_slug, plan_id, price_cents, core_hours,"
                + " memory_gib_hours, storage_gb_months, peak_members, cpu_cents, memory_cents,"
                + " storage_cents, shared_cents, cost_cents, solidarity_share_cents,"
                + " covered_by_solidarity_cents)"
                + " SELECT ?, * FROM unnest(?::varchar[], ?::varchar[], ?::int8[], ?::numeric[],"
                + " ?::numeric[], ?::numeric[], ?::int4[], ?::int8[], ?::int8[], ?::int8[],"
                + " ?::int8[], ?::int8[], ?::int8[], ?::int8[])")) {
      st.setDate(1, month);
      for (int k = 0; k < 14; k++) {
        st.setArray(k + 2, c.createArrayOf(types[k], columns[k]));
      }
      st.executeUpdate();
    }
  }

  static Run run(ResultSet rs) throws SQLException {
    return new Run(
        YearMonth.from(rs.getDate("month").toLocalDate()),
        rs.getTimestamp("computed_at").toInstant(),
        rs.getBoolean("provisional"),
        rs.getInt("hours"),
        rs.getLong("samples"),
        rs.getInt("organizations"),
        rs.getLong("capacity_cost_cents"),
        rs.getLong("fixed_cost_cents"),
        rs.getLong("direct_cost_cents"),
        rs.getLong("idle_cost_cents"),
        rs.getLong("total_cost_cents"),
        rs.getLong("paid_cents"),
        rs.getLong("solidarity_collected_cents"),
        rs.getLong("solidarity_needed_cents"),
        rs.getLong("duration_ms"));
  }
}
