package coop.salons.billing.statement;

import coop.salons.common.api.ProblemException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Months are calendar months in UTC, written {@code 2026-11}. */
public final class Months {

  private static final Pattern MONTH = Pattern.compile("^(20[0-9]{2})-(0[1-9]|1[0-2])$");

  private Months() {}

  /** A month a client asked for: well formed, and not after the current one. */
  public static YearMonth parse(String field, String s, Instant now) {
    if (s == null || !MONTH.matcher(s).matches()) {
      throw ProblemException.invalid(field, "must be a month written YYYY-MM");
    }
    YearMonth m = YearMonth.parse(s);
    if (m.isAfter(current(now))) {
      throw ProblemException.invalid(field, "must not be in the future");
    }
    return m;
  }

  public static YearMonth current(Instant now) {
    return YearMonth.from(now.atOffset(ZoneOffset.UTC));
  }

  public static Instant start(YearMonth m) {
    return m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  public static Instant end(YearMonth m) {
    return start(m.plusMonths(1));
  }

  public static int hours(YearMonth m) {
    return (int) ChronoUnit.HOURS.between(start(m), end(m));
  }

  /** The hours of the month gone by at {@code now}. */
  public static int hoursCounted(YearMonth m, Instant now) {
    if (!now.isBefore(end(m))) {
      return hours(m);
    }
    return (int) Math.max(0, ChronoUnit.HOURS.between(start(m), now));
  }
}
