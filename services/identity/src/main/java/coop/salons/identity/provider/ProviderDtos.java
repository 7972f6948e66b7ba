package coop.salons.identity.provider;

import coop.salons.common.api.Domains;
import coop.salons.common.api.Urls;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What the identity providers API reads and writes. */
public final class ProviderDtos {

  static final String NAME = "^[a-z][a-z0-9]{1,19}$";
  static final String URL_MESSAGE =
      "must be an https URL without query or fragment (http only on localhost)";

  /** Printable text without control characters, angle brackets or quotes. */
  static final String TEXT = "^[^\\p{Cntrl}<>\"\\\\]*$";

  static final String CLIENT_ID = "^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,254}$";

  private ProviderDtos() {}

  /**
   * An identity provider an organisation brings: OpenID Connect (a discovery URL, a client id and
   * secret registered at the provider) or SAML 2.0 (the provider's metadata URL).
   */
  public record AddProvider(
      @NotNull
          @Pattern(
              regexp = NAME,
              message = "must be 2-20 lower-case letters and digits, starting with a letter")
          String name,
      @NotNull @Pattern(regexp = "^(oidc|saml)$", message = "must be oidc or saml") String kind,
      @NotNull
          @Size(min = 1, max = 100)
          @Pattern(regexp = TEXT, message = "must be plain text without control characters")
          String displayName,
      @Size(max = 500) @Pattern(regexp = Urls.HTTPS_OR_LOCAL, message = URL_MESSAGE)
          String discoveryUrl,
      @Size(max = 500) @Pattern(regexp = Urls.HTTPS_OR_LOCAL, message = URL_MESSAGE)
          String metadataUrl,
      @Size(max = 255)
          @Pattern(regexp = CLIENT_ID, message = "must be 1-255 of A-Z a-z 0-9 . _ : @ / -")
          String clientId,
      @Size(min = 8, max = 500)
          @Pattern(regexp = "^\\p{Graph}+$", message = "must be printable, without spaces")
          String clientSecret,
      @NotNull @Pattern(regexp = Domains.PATTERN, message = Domains.MESSAGE) String domain) {

    /** The request as remembered for Idempotency-Key replays: without its secret. */
    AddProvider withoutSecret() {
      return new AddProvider(
          name, kind, displayName, discoveryUrl, metadataUrl, clientId, null, domain);
    }
  }

  /**
   * A provider as read back: never its secret. {@code redirectUri} (OpenID Connect) or {@code
   * serviceProviderMetadataUrl} (SAML) is what the organisation registers at its provider.
   */
  public record ProviderView(
      String name,
      String kind,
      String displayName,
      String domain,
      String discoveryUrl,
      String metadataUrl,
      String clientId,
      String redirectUri,
      String serviceProviderMetadataUrl,
      boolean enabled,
      boolean domainProven,
      DomainProof domainProof) {}

  /**
   * The DNS record that proves the organisation owns its email domain (docs/adr/0031): until it is
   * seen, members of the domain are not sent to the provider.
   */
  public record DomainProof(String name, String type, String value) {}
}
