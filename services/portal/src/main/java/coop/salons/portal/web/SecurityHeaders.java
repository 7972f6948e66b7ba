package coop.salons.portal.web;

import coop.salons.portal.PortalConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a browser expects of the portal's every answer (pages, stylesheets, errors): a
 * Content-Security-Policy that allows only the portal's own styles and images and no script at all
 * (the portal works without JavaScript), forms sent only to the portal or the sign-in server, never
 * framed ({@code frame-ancestors 'none'}), no referrer to other sites, no content sniffing, and,
 * behind TLS, Strict-Transport-Security.
 */
@ApplicationScoped
public class SecurityHeaders {

  /** A year: what browsers' preload lists ask for. */
  static final String HSTS = "max-age=31536000; includeSubDomains";

  /** The headers of every answer, for a portal at {@code publicUrl} signing in at {@code realm}. */
  public static Map<String, String> of(String publicUrl, String realm) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self';"
            + " form-action 'self' "
            + origin(realm)
            + "; frame-ancestors 'none'; base-uri 'none'");
    h.put("X-Frame-Options", "DENY");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "same-origin");
    h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (publicUrl.startsWith("https://")) {
      h.put("Strict-Transport-Security", HSTS);
    }
    return h;
  }

  /** The scheme, host and port of a URL: what a CSP source names. */
  static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
  }

  void install(
      @Observes Router router,
      PortalConfig config,
      @ConfigProperty(name = "quarkus.oidc.auth-server-url") String realm) {
    Map<String, String> headers = of(config.publicUrl(), realm);
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            rc -> {
              rc.addHeadersEndHandler(v -> headers.forEach(rc.response()::putHeader));
              rc.next();
            });
  }
}
