package coop.salons.portal.billing;

import coop.salons.portal.organization.PropagateAccessToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The billing service's API, called with the signed-in user's own token. */
@RegisterRestClient(configKey = "billing")
@RegisterProvider(PropagateAccessToken.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface BillingClient {

  record Quotas(int instances, int members, int storageGb, int cpuMillicores, int memoryMib) {}

  record Price(long suggestedCents, long minimumCents, int solidaritySharePercent) {}

  record Plan(
      String id, String name, String description, Quotas quotas, Price price, String currency) {}

  record QuotaUse(String quota, long limit, long used, int percent, boolean warning) {

    /** Where the meter turns to "high": 80 % of the limit. */
    public long high() {
      return limit * 8 / 10;
    }
  }

  record Subscription(
      String organization,
      Plan plan,
      long priceCents,
      long solidarityShareCents,
      String currency,
      List<QuotaUse> quotas) {}

  record PlanPage(List<Plan> items) {}

  record Change(String planId, long priceCents) {}

  record Day(
      String day,
      BigDecimal coreHours,
      BigDecimal memoryGibHours,
      BigDecimal storageGbAverage,
      int activeMembers) {}

  record Usage(String organization, String month, List<Day> days) {}

  record Statement(
      String planId,
      long priceCents,
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

  record StatementView(
      String month,
      boolean provisional,
      String currency,
      Statement statement,
      long platformTotalCostCents) {}

  record MonthLine(String month, long costCents, long priceCents, long coveredBySolidarityCents) {}

  record History(List<MonthLine> items) {}

  record PlanTotal(String planId, int organizations, long costCents, long paidCents) {}

  record Report(
      String month,
      boolean provisional,
      String currency,
      int organizations,
      long totalCostCents,
      long directCostCents,
      long idleCostCents,
      long fixedCostCents,
      long paidCents,
      long solidarityCollectedCents,
      long solidarityNeededCents,
      long balanceCents,
      List<PlanTotal> byPlan) {}

  /** The platform's public transparency report (no token needed). */
  @GET
  @Path("/transparency")
  Report transparency(@QueryParam("month") String month);

  @GET
  @Path("/plans")
  PlanPage plans();

  @GET
  @Path("/organizations/{org}/subscription")
  Subscription subscription(@PathParam("org") String org);

  @PUT
  @Path("/organizations/{org}/subscription")
  Subscription change(@PathParam("org") String org, Change change);

  @GET
  @Path("/organizations/{org}/usage")
  Usage usage(@PathParam("org") String org, @QueryParam("month") String month);

  @GET
  @Path("/organizations/{org}/statements/{month}")
  StatementView statement(@PathParam("org") String org, @PathParam("month") String month);

  @GET
  @Path("/organizations/{org}/statements/{month}")
  @Produces("text/csv")
  String statementCsv(@PathParam("org") String org, @PathParam("month") String month);

  @GET
  @Path("/organizations/{org}/statements")
  History history(@PathParam("org") String org, @QueryParam("limit") int limit);
}
