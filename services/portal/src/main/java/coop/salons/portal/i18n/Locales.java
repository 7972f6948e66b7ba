package coop.salons.portal.i18n;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which language a page speaks: an explicit choice ({@code ?lang=}), then the remembered one (a
 * cookie, or the signed-in user's preference), then the browser's Accept-Language; English last.
 */
public final class Locales {

  public static final List<String> SUPPORTED = List.of("en", "fr");
  public static final String COOKIE = "salons_lang";

  private Locales() {}

  /** The supported language tag for a value, if it is one. */
  public static Optional<String> supported(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    String language = tag.trim().toLowerCase(Locale.ROOT);
    int dash = language.indexOf('-');
    if (dash > 0) {
      language = language.substring(0, dash);
    }
    return SUPPORTED.contains(language) ? Optional.of(language) : Optional.empty();
  }

  public static String resolve(String requested, Optional<String> remembered, HttpHeaders headers) {
    Optional<String> explicit = supported(requested);
    if (explicit.isPresent()) {
      return explicit.get();
    }
    var cookie = headers.getCookies().get(COOKIE);
    Optional<String> fromCookie = cookie == null ? Optional.empty() : supported(cookie.getValue());
    if (fromCookie.isPresent()) {
      return fromCookie.get();
    }
    if (remembered.isPresent()) {
      return remembered.get();
    }
    for (Locale accepted : headers.getAcceptableLanguages()) {
      Optional<String> match = supported(accepted.getLanguage());
      if (match.isPresent()) {
        return match.get();
      }
    }
    return "en";
  }

  /** The cookie that remembers an explicit choice for a year. */
  public static NewCookie remember(String language) {
    return new NewCookie.Builder(COOKIE)
        .value(language)
        .path("/")
        .maxAge(365 * 24 * 3600)
        .sameSite(NewCookie.SameSite.LAX)
        .httpOnly(true)
        .build();
  }
}
