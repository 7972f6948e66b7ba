package coop.salons.portal.home;

import coop.salons.portal.PortalConfig;
import coop.salons.portal.i18n.Locales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
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
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The landing page: what Salons is, and the way in. Works without JavaScript. */
@Path("/")
public class HomeResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance index(String lang, String hoster, boolean signedIn);
  }

  @Inject PortalConfig config;
  @Inject SecurityIdentity identity;

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response index(@QueryParam("lang") String lang, @Context HttpHeaders headers) {
    String language = Locales.resolve(lang, Optional.empty(), headers);
    TemplateInstance page =
        Templates.index(language, config.hosterName(), !identity.isAnonymous())
            .setLocale(Locale.forLanguageTag(language));
    Response.ResponseBuilder answer = Response.ok(page);
    if (Locales.supported(lang).isPresent()) {
      answer.cookie(Locales.remember(language));
    }
    return answer.build();
  }
}
