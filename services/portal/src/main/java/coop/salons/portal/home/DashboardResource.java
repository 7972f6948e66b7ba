package coop.salons.portal.home;

import coop.salons.portal.PortalConfig;
import coop.salons.portal.i18n.Locales;
import coop.salons.portal.preference.PreferenceService;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The signed-in user's space. Reaching it signs the user in through Keycloak. */
@Path("/app")
@Authenticated
public class DashboardResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance dashboard(String lang, String hoster, String name);
  }

  @Inject PortalConfig config;
  @Inject PreferenceService preferences;
  @Inject @IdToken JsonWebToken idToken;

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response dashboard(@QueryParam("lang") String lang, @Context HttpHeaders headers) {
    String subject = idToken.getSubject();
    if (Locales.supported(lang).isPresent()) {
      preferences.rememberLocale(subject, lang);
    }
    String language = Locales.resolve(lang, preferences.locale(subject), headers);
    String name = idToken.getClaim("name");
    if (name == null || name.isBlank()) {
      name = idToken.getClaim("preferred_username");
    }
    TemplateInstance page =
        Templates.dashboard(language, config.hosterName(), name)
            .setLocale(Locale.forLanguageTag(language));
    Response.ResponseBuilder answer = Response.ok(page);
    if (Locales.supported(lang).isPresent()) {
      answer.cookie(Locales.remember(language));
    }
    return answer.build();
  }
}
