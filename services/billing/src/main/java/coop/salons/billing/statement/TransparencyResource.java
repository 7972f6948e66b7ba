package coop.salons.billing.statement;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.statement.StatementRuns.Run;
import coop.salons.billing.statement.Statements.PlanTotal;
import coop.salons.billing.statement.Statements.Statement;
import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.security.Hoster;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The platform's transparency report: what hosting cost in a month and how it was shared, in totals
 * anyone may read; the organisation by organisation internals only for the hoster.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "transparency")
public class TransparencyResource {

  @Inject StatementRuns runs;
  @Inject Statements statements;
  @Inject BillingConfig config;
  @Inject Hoster hoster;

  /** The hoster's rates, as configured. */
  public record Rates(
      BigDecimal coreHour,
      BigDecimal gibHour,
      BigDecimal gbMonth,
      BigDecimal capacityCores,
      BigDecimal capacityMemoryGib,
      BigDecimal capacityStorageGb,
      Map<String, BigDecimal> fixedCostsMonthly) {}

  /** The public report. Amounts in cents. */
  public record Report(
      YearMonth month,
      boolean provisional,
      Instant computedAt,
      String currency,
      int hoursCounted,
      int organizations,
      long totalCostCents,
      long directCostCents,
      long idleCostCents,
      long fixedCostCents,
      long capacityCostCents,
      long paidCents,
      long solidarityCollectedCents,
      long solidarityNeededCents,
      long balanceCents,
      List<PlanTotal> byPlan,
      Rates rates) {}

  /** A month to compute again. */
  public record Recompute(@NotNull String month) {}

  @GET
  @Path("transparency")
  @PermitAll
  @Operation(
      summary = "The platform's costs for a month and how they were shared (public)",
      description =
          "Totals only: direct costs, idle capacity and fixed costs, what organisations paid, the"
              + " solidarity collected and needed, and the balance (paid − cost), by plan.")
  public Report report(@QueryParam("month") String month) {
    Instant now = Instant.now();
    YearMonth m = month == null ? Months.current(now) : Months.parse("month", month, now);
    Run run = runs.ensure(m, now);
    return new Report(
        m,
        run.provisional(),
        run.computedAt(),
        config.currency(),
        run.hours(),
        run.organizations(),
        run.totalCostCents(),
        run.directCostCents(),
        run.idleCostCents(),
        run.fixedCostCents(),
        run.capacityCostCents(),
        run.paidCents(),
        run.solidarityCollectedCents(),
        run.solidarityNeededCents(),
        run.paidCents() - run.totalCostCents(),
        statements.byPlan(m),
        new Rates(
            config.prices().coreHour(),
            config.prices().gibHour(),
            config.prices().gbMonth(),
            config.capacity().cores(),
            config.capacity().memoryGib(),
            config.capacity().storageGb(),
            new TreeMap<>(config.fixedCosts())));
  }

  @GET
  @Path("transparency/{month}/organizations")
  @Authenticated
  @Operation(summary = "Every organisation's statement for a month (hoster's operators)")
  public Page<Statement> organizations(
      @PathParam("month") String month,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    hoster.require("read each organisation's statement");
    Instant now = Instant.now();
    YearMonth m = Months.parse("month", month, now);
    runs.ensure(m, now);
    int n = Cursors.limit(limit, 100, 1000);
    List<Statement> found =
        statements.ofMonth(m, cursor == null ? null : Cursors.decode(cursor), n + 1);
    List<Statement> items = found.stream().limit(n).toList();
    String next = found.size() > n ? Cursors.encode(items.get(n - 1).organization()) : null;
    return new Page<>(items, next);
  }

  @POST
  @Path("statement-runs")
  @Authenticated
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Compute a month's statements again now (hoster's operators)",
      description = "For late samples of a month no longer provisional, or after a price change.")
  @APIResponse(responseCode = "201", description = "Computed again")
  public Response recompute(@NotNull @Valid Recompute body) {
    hoster.require("compute statements");
    Instant now = Instant.now();
    YearMonth m = Months.parse("month", body.month(), now);
    Run run = runs.compute(m, now);
    return Response.created(URI.create("/api/v1/transparency?month=" + m)).entity(run).build();
  }
}
