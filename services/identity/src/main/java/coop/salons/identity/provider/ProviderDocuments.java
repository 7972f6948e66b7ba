package coop.salons.identity.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.common.api.Problem;
import coop.salons.common.api.ProblemException;
import coop.salons.common.net.Addresses;
import coop.salons.identity.IdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Reads an organisation's identity provider before Keycloak is told about it, so that a wrong
 * address gets a clear answer: the host must resolve, must not be on the platform's own or a
 * private network (unless {@code salons.identity.providers-allow-local}), and must answer with an
 * OpenID Connect discovery document or SAML metadata.
 */
@ApplicationScoped
public class ProviderDocuments {

  private static final int MAX_BYTES = 1 << 20;

  @Inject IdentityConfig config;
  @Inject ObjectMapper json;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** Checks an OpenID Connect discovery document; answers its issuer. */
  public String checkDiscovery(String field, String url) {
    String body = fetch(field, url);
    try {
      JsonNode doc = json.readTree(body);
      for (String key : List.of("issuer", "authorization_endpoint", "token_endpoint")) {
        if (!doc.path(key).isTextual()) {
          throw unusable(field, "its discovery document has no " + key);
        }
      }
      // Keycloak will call every endpoint the document names, not only this address.
      for (String key :
          List.of(
              "authorization_endpoint",
              "token_endpoint",
              "jwks_uri",
              "userinfo_endpoint",
              "end_session_endpoint",
              "introspection_endpoint",
              "revocation_endpoint")) {
        if (doc.path(key).isTextual()) {
          URI endpoint;
          try {
            endpoint = URI.create(doc.path(key).asText());
          } catch (IllegalArgumentException e) {
            throw unusable(field, "its discovery document's " + key + " is not a URL");
          }
          if (endpoint.getHost() == null) {
            throw unusable(field, "its discovery document's " + key + " names no host");
          }
          requireReachableHost(field, endpoint.getHost());
        }
      }
      return doc.path("issuer").asText();
    } catch (IOException e) {
      throw unusable(field, "it did not answer with a JSON discovery document");
    }
  }

  /** Checks SAML 2.0 metadata describing an identity provider. */
  public void checkMetadata(String field, String url) {
    String body = fetch(field, url);
    if (!body.contains("EntityDescriptor") || !body.contains("IDPSSODescriptor")) {
      throw unusable(field, "it did not answer with SAML metadata of an identity provider");
    }
  }

  private String fetch(String field, String url) {
    URI uri = URI.create(url);
    requireReachableHost(field, uri.getHost());
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header(
                "Accept",
                "application/json, application/samlmetadata+xml, application/xml, text/xml, */*;q=0.1")
            .GET()
            .build();
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw unusable(field, "it answered HTTP " + r.statusCode());
      }
      if (r.body().length > MAX_BYTES) {
        throw unusable(field, "its document is larger than 1 MiB");
      }
      return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw unusable(field, "it did not answer (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unusable(field, "the request was interrupted");
    }
  }

  private void requireReachableHost(String field, String host) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw unusable(field, "its host name does not resolve");
    }
    if (config.providersAllowLocal()) {
      return;
    }
    for (InetAddress a : addresses) {
      if (isInternal(a)) {
        throw ProblemException.invalid(
            field, "must not point at the platform's own machines or a private network");
      }
    }
  }

  static boolean isInternal(InetAddress a) {
    return Addresses.internal(a).isPresent();
  }

  static ProblemException unusable(String field, String why) {
    return new ProblemException(
        400,
        "provider-unreachable",
        "Identity provider unusable",
        "The identity provider could not be used: " + why + ". Nothing was changed.",
        List.of(new Problem.Violation(field, why)));
  }
}
