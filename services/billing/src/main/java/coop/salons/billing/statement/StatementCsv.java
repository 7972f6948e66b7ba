package coop.salons.billing.statement;

import coop.salons.billing.statement.StatementResource.StatementView;
import coop.salons.billing.statement.Statements.Statement;
import java.math.BigDecimal;

/** A statement as CSV (RFC 4180): one line per item, amounts in cents and in the currency. */
final class StatementCsv {

  private StatementCsv() {}

  static String of(StatementView v) {
    Statement s = v.statement();
    StringBuilder out = new StringBuilder();
    row(
        out,
        "organization",
        "month",
        "item",
        "quantity",
        "unit",
        "amount_cents",
        "amount",
        "currency");
    item(out, v, "cpu", s.coreHours(), "core-hour", s.cpuCents());
    item(out, v, "memory", s.memoryGibHours(), "GiB-hour", s.memoryCents());
    item(out, v, "storage", s.storageGbMonths(), "GB-month", s.storageCents());
    item(out, v, "shared-and-idle", null, "", s.sharedCents());
    item(out, v, "cost", null, "", s.costCents());
    item(out, v, "price:" + s.planId(), null, "", s.priceCents());
    item(out, v, "solidarity-share-of-price", null, "", s.solidarityShareCents());
    item(out, v, "covered-by-solidarity", null, "", s.coveredBySolidarityCents());
    return out.toString();
  }

  private static void item(
      StringBuilder out,
      StatementView v,
      String item,
      BigDecimal quantity,
      String unit,
      long cents) {
    row(
        out,
        v.organization(),
        v.month().toString(),
        item,
        quantity == null ? "" : quantity.toPlainString(),
        unit,
        Long.toString(cents),
        BigDecimal.valueOf(cents, 2).toPlainString(),
        v.currency());
  }

  private static void row(StringBuilder out, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quoted(fields[i]));
    }
    out.append("\r\n");
  }

  /** Quotes a field when it must be, and defuses spreadsheet formulas. */
  static String quoted(String f) {
    String s = f;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
