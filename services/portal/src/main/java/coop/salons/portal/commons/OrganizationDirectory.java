package coop.salons.portal.commons;

import coop.salons.portal.PageContext;
import coop.salons.portal.PortalConfig;
import coop.salons.portal.Problems;
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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * An organisation in the directory of the commons: the rooms it published (its members see them),
 * the form its owners and admins publish a room of its own server with, and its neighbours, the
 * associations with rooms on the same themes.
 */
@Path("/app/organizations/{org}/directory")
@Authenticated
public class OrganizationDirectory {

  private static final Logger LOG = Logger.getLogger(OrganizationDirectory.class);

  /** The publication form as it was sent, to show it again with its refusal. */
  public record Form(
      String room,
      List<String> themes,
      String tags,
      String descriptionFr,
      String descriptionEn,
      String language) {
    static final Form EMPTY = new Form("", List.of(), "", "", "", "fr");
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance page(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        List<CommonsClient.OrgListing> listings,
        List<CommonsClient.Candidate> candidates,
        boolean candidatesUnavailable,
        List<CommonsClient.Theme> themes,
        List<CommonsClient.Neighbour> neighbours,
        boolean unavailable,
        String published,
        boolean refreshed,
        List<String> errors,
        Form form);
  }

  @Inject PageContext pages;
  @Inject PortalConfig config;
  @Inject @RestClient CommonsClient commons;

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public TemplateInstance show(
      @PathParam("org") String org,
      @QueryParam("lang") String lang,
      @QueryParam("published") String published,
      @QueryParam("refreshed") boolean refreshed,
      @Context HttpHeaders headers) {
    IdentityClient.Organization o = pages.organizationOr404(org);
    return render(o, pages.language(lang, headers), published, refreshed, List.of(), Form.EMPTY);
  }

  TemplateInstance render(
      IdentityClient.Organization o,
      String language,
      String published,
      boolean refreshed,
      List<String> errors,
      Form form) {
    List<CommonsClient.OrgListing> listings = List.of();
    List<CommonsClient.Candidate> candidates = List.of();
    List<CommonsClient.Theme> themes = List.of();
    List<CommonsClient.Neighbour> neighbours = List.of();
    boolean unavailable = false;
    boolean candidatesUnavailable = false;
    try {
      listings = commons.listings(o.slug());
      themes = commons.themes().items();
      neighbours = commons.neighbours(o.slug());
    } catch (RuntimeException e) {
      LOG.warnf("The commons service did not answer: %s", e.toString());
      unavailable = true;
    }
    if (!unavailable && !"member".equals(o.role())) {
      try {
        candidates = commons.candidates(o.slug());
      } catch (RuntimeException e) {
        LOG.infof("No public room list for %s: %s", o.slug(), e.toString());
        candidatesUnavailable = true;
      }
    }
    return Templates.page(
            language,
            config.hosterName(),
            o,
            listings,
            candidates,
            candidatesUnavailable,
            themes,
            neighbours,
            unavailable,
            published,
            refreshed,
            errors,
            form)
        .setLocale(Locale.forLanguageTag(language));
  }

  @POST
  @Path("/publish")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response publish(
      @PathParam("org") String org,
      @FormParam("room") String room,
      @FormParam("theme") List<String> themes,
      @FormParam("tags") String tags,
      @FormParam("descriptionFr") String descriptionFr,
      @FormParam("descriptionEn") String descriptionEn,
      @FormParam("language") String language,
      @Context HttpHeaders headers) {
    IdentityClient.Organization o = pages.organizationOr404(org);
    Form form =
        new Form(
            Problems.trim(room),
            themes == null ? List.of() : themes,
            Problems.trim(tags),
            Problems.trim(descriptionFr),
            Problems.trim(descriptionEn),
            Problems.trim(language));
    List<String> tagList =
        Arrays.stream(form.tags().split("[,\\s]+"))
            .map(t -> t.strip().toLowerCase(Locale.ROOT))
            .filter(t -> !t.isEmpty())
            .toList();
    try {
      CommonsClient.Listing listed =
          commons.publish(
              org,
              new CommonsClient.Publish(
                  form.room(),
                  form.themes(),
                  tagList,
                  form.descriptionFr().isEmpty() ? null : form.descriptionFr(),
                  form.descriptionEn().isEmpty() ? null : form.descriptionEn(),
                  form.language()));
      return Response.seeOther(
              URI.create(
                  "/app/organizations/" + org + "/directory?published=" + enc(listed.name())))
          .build();
    } catch (WebApplicationException e) {
      String lang = pages.language(null, headers);
      return Problems.shownAgain(e, errors -> render(o, lang, null, false, errors, form));
    }
  }

  @POST
  @Path("/{id}/unpublish")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response unpublish(@PathParam("org") String org, @PathParam("id") String id) {
    pages.organizationOr404(org);
    try {
      commons.unpublish(org, id);
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() >= 500 ? 502 : 400);
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/directory")).build();
  }

  @POST
  @Path("/refresh")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response refresh(@PathParam("org") String org) {
    pages.organizationOr404(org);
    try {
      commons.refreshListings(org);
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() >= 500 ? 502 : 400);
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/directory?refreshed=true"))
        .build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
