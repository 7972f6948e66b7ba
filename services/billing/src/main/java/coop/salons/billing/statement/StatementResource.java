package coop.salons.billing.statement;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.statement.StatementRuns.Run;
import coop.salons.billing.statement.Statements.Day;
import coop.salons.billing.statement.Statements.Statement;
import coop.salons.billing.subscription.Subscriptions;
import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.common.security.Caller;
import coop.salons.membership.OrganizationAccess;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An organisation's usage and monthly statements: its members read them, no one else. */
@Path("/api/v1/organizations/{org}")
@Authenticated
@Tag(name = "statements")
public class StatementResource {

  public static final String CSV = "text/csv";

  @Inject OrganizationAccess access;
  @Inject Caller caller;
  @Inject Subscriptions subscriptions;
  @Inject StatementRuns runs;
  @Inject Statements statements;
  @Inject BillingConfig config;

  /** A month's statement with what the platform's month was, for scale. */
  public record StatementView(
      String organization,
      YearMonth month,
      boolean provisional,
      Instant computedAt,
      String currency,
      Statement statement,
      long platformTotalCostCents,
      int platformOrganizations) {}

  /** A line of an organisation's history. */
  public record MonthView(
      YearMonth month, long costCents, long priceCents, long coveredBySolidarityCents) {}

  /** The organisation's use, day by day. */
  public record UsageView(String organization, YearMonth month, List<Day> days) {}

  @GET
  @Path("statements")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "The organisation's monthly statements, latest first (members)")
  public Page<MonthView> history(
      @PathParam("org") String org,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    access.require(org, caller.id(), "member");
    int n = Cursors.limit(limit, 24, 120);
    YearMonth before =
        cursor == null ? null : Months.parse("cursor", Cursors.decode(cursor), Instant.now());
    List<Statement> found = statements.history(org, before, n + 1);
    List<MonthView> items =
        found.stream()
            .limit(n)
            .map(
                s ->
                    new MonthView(
                        s.month(), s.costCents(), s.priceCents(), s.coveredBySolidarityCents()))
            .toList();
    String next = found.size() > n ? Cursors.encode(items.get(n - 1).month().toString()) : null;
    return new Page<>(items, next);
  }

  @GET
  @Path("statements/{month}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "One month's statement (members), as JSON or as CSV (Accept: text/csv)",
      description =
          "Direct costs (core-hours, GiB-hours, GB-months at the hoster's unit prices), the share"
              + " of idle capacity and fixed costs in proportion to use, the chosen price, the part"
              + " of it given to solidarity and what solidarity covers. Provisional while the month"
              + " runs and a few days after.")
  public Response statement(
      @PathParam("org") String org,
      @PathParam("month") String month,
      @QueryParam("format") String format) {
    access.require(org, caller.id(), "member");
    Instant now = Instant.now();
    YearMonth m = Months.parse("month", month, now);
    subscriptions.of(org);
    Run run = runs.ensure(m, now);
    Statement s =
        statements
            .of(org, m)
            .orElseThrow(
                () -> ProblemException.notFound("'" + org + "' has no statement for " + m + "."));
    StatementView view =
        new StatementView(
            org,
            m,
            run.provisional(),
            run.computedAt(),
            config.currency(),
            s,
            run.totalCostCents(),
            run.organizations());
    if ("csv".equals(format)) {
      return Response.ok(StatementCsv.of(view), CSV)
          .header(
              "Content-Disposition", "attachment; filename=\"salons-" + org + "-" + m + ".csv\"")
          .build();
    }
    return Response.ok(view).build();
  }

  @GET
  @Path("statements/{month}")
  @Produces(CSV)
  public Response statementCsv(@PathParam("org") String org, @PathParam("month") String month) {
    return statement(org, month, "csv");
  }

  @GET
  @Path("usage")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "The organisation's use day by day in a month, for charts (members)")
  public UsageView usage(@PathParam("org") String org, @QueryParam("month") String month) {
    access.require(org, caller.id(), "member");
    Instant now = Instant.now();
    YearMonth m = month == null ? Months.current(now) : Months.parse("month", month, now);
    return new UsageView(org, m, statements.days(org, m));
  }
}
