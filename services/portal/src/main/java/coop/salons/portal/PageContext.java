package coop.salons.portal;

import coop.salons.portal.i18n.Locales;
import coop.salons.portal.organization.IdentityClient;
import coop.salons.portal.preference.PreferenceService;
import io.quarkus.oidc.IdToken;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** What every page of an organisation needs: the organisation, and the language to speak. */
@RequestScoped
public class PageContext {

  @Inject PreferenceService preferences;
  @Inject @IdToken JsonWebToken idToken;
  @Inject @RestClient IdentityClient identity;

  /** The organisation as identity shows it to the signed-in user; 404 when it is not theirs. */
  public IdentityClient.Organization organizationOr404(String org) {
    try {
      return identity.get(org);
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() == 404 ? 404 : 502);
    }
  }

  /** The page's language: asked for (and remembered), else remembered, else the browser's. */
  public String language(String lang, HttpHeaders headers) {
    String subject = idToken.getSubject();
    if (Locales.supported(lang).isPresent()) {
      preferences.rememberLocale(subject, lang);
    }
    return Locales.resolve(lang, preferences.locale(subject), headers);
  }
}
