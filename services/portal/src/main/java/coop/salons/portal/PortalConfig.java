package coop.salons.portal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The portal's own settings ({@code salons.portal.*}). */
@ConfigMapping(prefix = "salons.portal")
public interface PortalConfig {

  /** The hoster's name, shown in the header and the footer. */
  @WithDefault("Salons")
  String hosterName();

  /**
   * Where people reach the portal (the chart's {@code publicUrl}): behind TLS, pages tell browsers
   * to come back only over HTTPS (Strict-Transport-Security).
   */
  @WithDefault("${SALONS_PORTAL_URL:http://localhost:8080}")
  String publicUrl();

  /** The base URL of the identity service's API. */
  @WithDefault("http://localhost:8082")
  String identityUrl();

  /** The base URL of the provisioning service's API. */
  @WithDefault("http://localhost:8081")
  String provisioningUrl();

  /** The base URL of the billing service's API. */
  @WithDefault("http://localhost:8083")
  String billingUrl();

  /** The base URL of the commons service's API. */
  @WithDefault("http://localhost:8084")
  String commonsUrl();

  /**
   * Where scripts reach the services' APIs from outside, one path per service ({@code
   * <public-api>/identity/api/v1/…}): the chart sets {@code <publicUrl>/services}. Unset, the
   * platform's merged OpenAPI names each service's own base URL (one machine).
   */
  java.util.Optional<String> publicApi();
}
