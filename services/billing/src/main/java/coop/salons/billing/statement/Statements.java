package coop.salons.billing.statement;

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
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads stored statements and the usage behind them. */
@ApplicationScoped
public class Statements {

  @Inject DataSource ds;

  /** One organisation's month. Amounts in cents. */
  public record Statement(
      String organization,
      YearMonth month,
      String planId,
      long priceCents,
      BigDecimal coreHours,
      BigDecimal memoryGibHours,
      BigDecimal storageGbMonths,
      int peakMembers,
      long cpuCents,
      long memoryCents,
      long storageCents,
      long sharedCents,
      long costCents,
      long solidarityShareCents,
      long coveredBySolidarityCents) {}

  /** One day of one organisation's use, summed over its instances. */
  public record Day(
      LocalDate day,
      BigDecimal coreHours,
      BigDecimal memoryGibHours,
      BigDecimal storageGbAverage,
      int activeMembers,
      int instances) {}

  /** A plan's organisations and what they cost and paid in a month. */
  public record PlanTotal(String planId, int organizations, long costCents, long paidCents) {}

  @Transactional
  public Optional<Statement> of(String organization, YearMonth month) {
    List<Statement> found =
        query(
            "SELECT * FROM statement WHERE organization_slug = ? AND month = ?",
            organization,
            Date.valueOf(month.atDay(1)));
    return found.stream().findFirst();
  }

  /** An organisation's months, latest first, before {@code before} if given. */
  @Transactional
  public List<Statement> history(String organization, YearMonth before, int limit) {
    return query(
        "SELECT * FROM statement WHERE organization_slug = ? AND month < ? ORDER BY month DESC"
            + " LIMIT ?",
        organization,
        Date.valueOf(before == null ? LocalDate.of(9999, 1, 1) : before.atDay(1)),
        limit);
  }

  /** A month's statements by organisation slug, after {@code after} if given. */
  @Transactional
  public List<Statement> ofMonth(YearMonth month, String after, int limit) {
    return query(
        "SELECT * FROM statement WHERE month = ? AND organization_slug > ?"
            + " ORDER BY organization_slug LIMIT ?",
        Date.valueOf(month.atDay(1)),
        after == null ? "" : after,
        limit);
  }

  @Transactional
  public List<PlanTotal> byPlan(YearMonth month) {
    List<PlanTotal> totals = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT plan_id, count(*), sum(cost_cents), sum(price_cents) FROM statement"
                    + " WHERE month = ? GROUP BY plan_id ORDER BY plan_id")) {
      st.setDate(1, Date.valueOf(month.atDay(1)));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          totals.add(new PlanTotal(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return totals;
  }

  /** The organisation's use day by day in a month (UTC days), from its samples. */
  @Transactional
  public List<Day> days(String organization, YearMonth month) {
    List<Day> days = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT (hour AT TIME ZONE 'UTC')::date AS day,"
                    + " sum(cpu_millicores) / 1000.0, sum(memory_mib) / 1024.0,"
                    + " sum(storage_mib) / 1024.0 / 24, max(active_members),"
                    + " count(DISTINCT instance_id)"
                    + " FROM usage_sample WHERE organization_slug = ? AND hour >= ? AND hour < ?"
                    + " GROUP BY 1 ORDER BY 1")) {
      st.setString(1, organization);
      st.setTimestamp(2, Timestamp.from(Months.start(month)));
      st.setTimestamp(3, Timestamp.from(Months.end(month)));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          days.add(
              new Day(
                  rs.getDate(1).toLocalDate(),
                  scaled(rs.getBigDecimal(2)),
                  scaled(rs.getBigDecimal(3)),
                  scaled(rs.getBigDecimal(4)),
                  rs.getInt(5),
                  rs.getInt(6)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return days;
  }

  private static BigDecimal scaled(BigDecimal b) {
    return b.setScale(3, java.math.RoundingMode.HALF_EVEN);
  }

  private List<Statement> query(String sql, Object... params) {
    List<Statement> found = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.add(
              new Statement(
                  rs.getString("organization_slug"),
                  YearMonth.from(rs.getDate("month").toLocalDate()),
                  rs.getString("plan_id"),
                  rs.getLong("price_cents"),
                  rs.getBigDecimal("core_hours"),
                  rs.getBigDecimal("memory_gib_hours"),
                  rs.getBigDecimal("storage_gb_months"),
                  rs.getInt("peak_members"),
                  rs.getLong("cpu_cents"),
                  rs.getLong("memory_cents"),
                  rs.getLong("storage_cents"),
                  rs.getLong("shared_cents"),
                  rs.getLong("cost_cents"),
                  rs.getLong("solidarity_share_cents"),
                  rs.getLong("covered_by_solidarity_cents")));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }
}
