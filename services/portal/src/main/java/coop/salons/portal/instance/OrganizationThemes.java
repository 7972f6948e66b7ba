package coop.salons.portal.instance;

import coop.salons.portal.PageContext;
import coop.salons.portal.commons.CommonsClient;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The themes of the commons an organisation works on, shown on its page; its owners and admins
 * choose them there (the commons service checks the role).
 */
@Path("/app/organizations/{org}/themes")
@Authenticated
public class OrganizationThemes {

  private static final Logger LOG = Logger.getLogger(OrganizationThemes.class);

  /** A theme as the organisation's page shows it. */
  public record Choice(String slug, String name, boolean chosen) {}

  @Inject PageContext pages;
  @Inject @RestClient CommonsClient commons;

  /** Every theme, with those the organisation chose marked; empty if the commons do not answer. */
  List<Choice> choices(String org, String language) {
    try {
      List<String> chosen = commons.organizationThemes(org).themes();
      return commons.themes().items().stream()
          .map(t -> new Choice(t.slug(), t.name(language), chosen.contains(t.slug())))
          .toList();
    } catch (RuntimeException e) {
      LOG.warnf("The commons service did not answer: %s", e.toString());
      return List.of();
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response choose(@PathParam("org") String org, @FormParam("theme") List<String> chosen) {
    pages.organizationOr404(org);
    try {
      commons.chooseThemes(
          org, new CommonsClient.OrganizationThemes(chosen == null ? List.of() : chosen));
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() >= 500 ? 502 : 400);
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "?themes=saved#themes"))
        .build();
  }
}
