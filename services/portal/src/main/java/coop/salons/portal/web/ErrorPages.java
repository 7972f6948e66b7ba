package coop.salons.portal.web;

import coop.salons.portal.PortalConfig;
import coop.salons.portal.i18n.Locales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refusal a browser asked for (a page of someone else's organisation, one not theirs to see, one
 * that does not exist) answered as a page of the portal, in the person's language, with a way back;
 * scripts asking for JSON keep the problem document.
 */
public class ErrorPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance error(String lang, String hoster, int status);
  }

  @Inject PortalConfig config;

  private final coop.salons.common.api.ProblemMapper problems =
      new coop.salons.common.api.ProblemMapper();

  @ServerExceptionMapper(priority = Priorities.USER - 1)
  public Response page(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
    int status = e.getResponse().getStatus();
    boolean browser =
        headers.getAcceptableMediaTypes().stream()
            .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
    if (!browser || (status != 403 && status != 404 && status != 410)) {
      return problems.web(e); // scripts: the problem document, as every service answers
    }
    String lang =
        Locales.resolve(uri.getQueryParameters().getFirst("lang"), Optional.empty(), headers);
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(
            Templates.error(lang, config.hosterName(), status)
                .setLocale(Locale.forLanguageTag(lang))
                .render())
        .build();
  }
}
