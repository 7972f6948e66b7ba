package coop.salons.portal.billing;

import coop.salons.portal.PageContext;
import coop.salons.portal.PortalConfig;
import coop.salons.portal.Problems;
import coop.salons.portal.billing.Charts.Bar;
import coop.salons.portal.billing.Charts.Segment;
import coop.salons.portal.organization.IdentityClient;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * An organisation's hosting and costs: its plan and chosen price, its quotas, its use day by day
 * and the month's statement as charts (inline SVG, no JavaScript) with the same figures in tables,
 * the months before, and the statement as CSV.
 */
@Path("/app/organizations/{org}/billing")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class BillingPages {

  private static final Logger LOG = Logger.getLogger(BillingPages.class);
  private static final Pattern MONTH = Pattern.compile("^20[0-9]{2}-(0[1-9]|1[0-2])$");
  private static final Pattern AMOUNT = Pattern.compile("^[0-9]{1,6}([.,][0-9]{1,2})?$");

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance billing(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        View view,
        List<String> errors);
  }

  /** Everything the page shows; a part the billing service did not give is null. */
  public record View(
      String month,
      String previousMonth,
      String nextMonth,
      BillingClient.Subscription subscription,
      List<BillingClient.Plan> plans,
      List<BillingClient.Day> days,
      List<Bar> cpuBars,
      List<Bar> storageBars,
      BillingClient.StatementView statement,
      List<Segment> costSegments,
      List<BillingClient.MonthLine> history,
      List<Bar> historyBars,
      boolean unavailable) {

    public String money(long cents) {
      return Charts.money(cents);
    }

    public int chartWidth() {
      return Charts.WIDTH;
    }

    public int chartHeight() {
      return Charts.HEIGHT;
    }
  }

  @Inject PortalConfig config;
  @Inject PageContext pages;
  @Inject @RestClient BillingClient billing;
  Clock clock = Clock.systemUTC();

  @GET
  @Operation(hidden = true)
  public Response page(
      @PathParam("org") String org,
      @QueryParam("month") String month,
      @QueryParam("lang") String lang,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    return Response.ok(render(organization, month, lang, headers, List.of())).build();
  }

  @POST
  @Path("/plan")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response changePlan(
      @PathParam("org") String org,
      @FormParam("planId") String planId,
      @FormParam("price") String price,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    String amount = Problems.trim(price);
    if (!AMOUNT.matcher(amount).matches()) {
      return Response.status(400)
          .entity(render(organization, null, null, headers, List.of("price: " + amount)))
          .build();
    }
    long cents = new BigDecimal(amount.replace(',', '.')).movePointRight(2).longValueExact();
    try {
      billing.change(org, new BillingClient.Change(Problems.trim(planId), cents));
    } catch (WebApplicationException e) {
      return Problems.shownAgain(e, errors -> render(organization, null, null, headers, errors));
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/billing")).build();
  }

  @GET
  @Path("/{month}.csv")
  @Produces("text/csv")
  @Operation(hidden = true)
  public Response csv(@PathParam("org") String org, @PathParam("month") String month) {
    if (!MONTH.matcher(month).matches()) {
      throw new WebApplicationException(404);
    }
    // Someone of another organisation learns nothing, as on every page of it.
    pages.organizationOr404(org);
    try {
      return Response.ok(billing.statementCsv(org, month), "text/csv; charset=UTF-8")
          .header(
              "Content-Disposition",
              "attachment; filename=\"salons-" + org + "-" + month + ".csv\"")
          .build();
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() == 404 ? 404 : 502);
    }
  }

  private TemplateInstance render(
      IdentityClient.Organization organization,
      String month,
      String lang,
      HttpHeaders headers,
      List<String> errors) {
    String org = organization.slug();
    YearMonth current = YearMonth.now(clock);
    YearMonth m =
        month != null && MONTH.matcher(month).matches() && !YearMonth.parse(month).isAfter(current)
            ? YearMonth.parse(month)
            : current;
    BillingClient.Subscription subscription = null;
    List<BillingClient.Plan> plans = List.of();
    List<BillingClient.Day> days = List.of();
    BillingClient.StatementView statement = null;
    List<BillingClient.MonthLine> history = List.of();
    boolean unavailable = false;
    try {
      subscription = billing.subscription(org);
      plans = billing.plans().items();
      days = billing.usage(org, m.toString()).days();
      history = billing.history(org, 12).items();
      statement = statementOrNull(org, m);
    } catch (RuntimeException e) {
      LOG.warnf("The billing service did not answer: %s", e.toString());
      unavailable = true;
    }
    List<String> dayLabels = days.stream().map(d -> d.day().substring(8)).toList();
    List<Segment> segments = List.of();
    if (statement != null) {
      BillingClient.Statement s = statement.statement();
      segments =
          Charts.stacked(
              List.of("cpu", "memory", "storage", "shared"),
              List.of(s.cpuCents(), s.memoryCents(), s.storageCents(), s.sharedCents()),
              List.of("c1", "c2", "c3", "c4"));
    }
    List<BillingClient.MonthLine> oldestFirst = new ArrayList<>(history);
    java.util.Collections.reverse(oldestFirst);
    View view =
        new View(
            m.toString(),
            m.minusMonths(1).toString(),
            m.isBefore(current) ? m.plusMonths(1).toString() : null,
            subscription,
            plans,
            days,
            Charts.bars(
                dayLabels,
                days.stream().map(BillingClient.Day::coreHours).toList(),
                "core-h",
                "c1"),
            Charts.bars(
                dayLabels,
                days.stream().map(BillingClient.Day::storageGbAverage).toList(),
                "GB",
                "c3"),
            statement,
            segments,
            history,
            Charts.bars(
                oldestFirst.stream().map(BillingClient.MonthLine::month).toList(),
                oldestFirst.stream().map(l -> BigDecimal.valueOf(l.costCents(), 2)).toList(),
                subscription == null ? "" : subscription.currency(),
                "c4"),
            unavailable);
    String language = pages.language(lang, headers);
    return Templates.billing(language, config.hosterName(), organization, view, errors)
        .setLocale(Locale.forLanguageTag(language));
  }

  private BillingClient.StatementView statementOrNull(String org, YearMonth m) {
    try {
      return billing.statement(org, m.toString());
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        return null;
      }
      throw e;
    }
  }
}
