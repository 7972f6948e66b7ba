package coop.salons.portal.home;

import coop.salons.portal.PortalConfig;
import coop.salons.portal.Problems;
import coop.salons.portal.i18n.Locales;
import coop.salons.portal.organization.IdentityClient;
import coop.salons.portal.preference.PreferenceService;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** The signed-in user's space: their organisations, and a form to create one. */
@Path("/app")
@Authenticated
public class DashboardResource {

  private static final Logger LOG = Logger.getLogger(DashboardResource.class);

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance dashboard(
        String lang,
        String hoster,
        String name,
        List<IdentityClient.Organization> organizations,
        boolean unavailable,
        String created,
        List<String> errors,
        String slug,
        String orgName);
  }

  @Inject PortalConfig config;
  @Inject PreferenceService preferences;
  @Inject @IdToken JsonWebToken idToken;
  @Inject @RestClient IdentityClient identity;

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response dashboard(
      @QueryParam("lang") String lang,
      @QueryParam("created") String created,
      @Context HttpHeaders headers) {
    String subject = idToken.getSubject();
    if (Locales.supported(lang).isPresent()) {
      preferences.rememberLocale(subject, lang);
    }
    Response.ResponseBuilder answer = Response.ok(page(lang, headers, created, List.of(), "", ""));
    if (Locales.supported(lang).isPresent()) {
      answer.cookie(Locales.remember(Locales.supported(lang).get()));
    }
    return answer.build();
  }

  @POST
  @Path("/organizations")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response create(
      @FormParam("slug") String slug,
      @FormParam("name") String name,
      @Context HttpHeaders headers) {
    try {
      IdentityClient.Organization org =
          identity.create(new IdentityClient.Create(Problems.trim(slug), Problems.trim(name)));
      return Response.seeOther(URI.create("/app?created=" + org.slug())).build();
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> page(null, headers, null, errors, Problems.trim(slug), Problems.trim(name)));
    }
  }

  private TemplateInstance page(
      String lang,
      HttpHeaders headers,
      String created,
      List<String> errors,
      String slug,
      String orgName) {
    String language = Locales.resolve(lang, preferences.locale(idToken.getSubject()), headers);
    String name = idToken.getClaim("name");
    if (name == null || name.isBlank()) {
      name = idToken.getClaim("preferred_username");
    }
    List<IdentityClient.Organization> organizations = List.of();
    boolean unavailable = false;
    try {
      organizations = identity.mine(100).items();
    } catch (RuntimeException e) {
      LOG.warnf("The identity service did not answer: %s", e.toString());
      unavailable = true;
    }
    return Templates.dashboard(
            language,
            config.hosterName(),
            name,
            organizations,
            unavailable,
            created,
            errors,
            slug,
            orgName)
        .setLocale(Locale.forLanguageTag(language));
  }
}
