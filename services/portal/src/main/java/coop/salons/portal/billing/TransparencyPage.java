package coop.salons.portal.billing;

import coop.salons.portal.PortalConfig;
import coop.salons.portal.billing.Charts.Segment;
import coop.salons.portal.i18n.Locales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** The hoster's transparency page, public: what the platform cost and how it was shared. */
@Path("/transparency")
public class TransparencyPage {

  private static final Logger LOG = Logger.getLogger(TransparencyPage.class);
  private static final Pattern MONTH = Pattern.compile("^20[0-9]{2}-(0[1-9]|1[0-2])$");

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance transparency(
        String lang,
        String hoster,
        String month,
        String previousMonth,
        BillingClient.Report report,
        List<Segment> costs,
        List<Segment> funding);
  }

  @Inject PortalConfig config;
  @Inject @RestClient BillingClient billing;

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public TemplateInstance page(
      @QueryParam("month") String month,
      @QueryParam("lang") String lang,
      @Context HttpHeaders headers) {
    YearMonth current = YearMonth.now(java.time.ZoneOffset.UTC);
    YearMonth m =
        month != null && MONTH.matcher(month).matches() && !YearMonth.parse(month).isAfter(current)
            ? YearMonth.parse(month)
            : current;
    BillingClient.Report report = null;
    try {
      report = billing.transparency(m.toString());
    } catch (RuntimeException e) {
      LOG.warnf("The billing service did not answer: %s", e.toString());
    }
    List<Segment> costs = List.of();
    List<Segment> funding = List.of();
    if (report != null) {
      costs =
          Charts.stacked(
              List.of("direct", "idle", "fixed"),
              List.of(report.directCostCents(), report.idleCostCents(), report.fixedCostCents()),
              List.of("c1", "c2", "c4"));
      long fromPrices = report.paidCents() - report.solidarityCollectedCents();
      funding =
          Charts.stacked(
              List.of("prices", "solidarity"),
              List.of(fromPrices, report.solidarityCollectedCents()),
              List.of("c1", "c3"));
    }
    String language = Locales.resolve(lang, Optional.empty(), headers);
    return Templates.transparency(
            language,
            config.hosterName(),
            m.toString(),
            m.minusMonths(1).toString(),
            report,
            costs,
            funding)
        .setLocale(Locale.forLanguageTag(language));
  }
}
