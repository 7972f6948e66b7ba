package coop.salons.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A confidential OIDC client signing a person in the way a chat server does it (Mattermost's {@code
 * openid} and {@code gitlab} logins, which cannot run here): read the discovery document, send the
 * person to the authorization endpoint, where they fill the realm's real login form, trade the code
 * for tokens, then read the userinfo endpoint the document names. Plain HTTP with cookies, no
 * browser: the form is Keycloak's own, posted as a browser would post it.
 */
public final class RelyingParty {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  /** What the chat server got: the token it holds and the userinfo endpoint's answer to it. */
  public record SignedIn(String accessToken, int userinfoStatus, JsonNode userinfo) {}

  private final String discoveryUrl;
  private final String clientId;
  private final String secret;
  private final String redirectUri;

  public RelyingParty(String discoveryUrl, String clientId, String secret, String redirectUri) {
    this.discoveryUrl = discoveryUrl;
    this.clientId = clientId;
    this.secret = secret;
    this.redirectUri = redirectUri;
  }

  /** The discovery document the chat server reads. */
  public JsonNode discovery() {
    HttpResponse<String> answer = send(client(), HttpRequest.newBuilder(URI.create(discoveryUrl)));
    if (answer.statusCode() != 200) {
      throw new AssertionError("discovery answered " + answer.statusCode() + ": " + answer.body());
    }
    return read(answer.body());
  }

  /** Signs the person in and reads the userinfo endpoint with the token the server got. */
  public SignedIn signIn(TestServers.TestUser person) {
    JsonNode discovery = discovery();
    HttpClient browser = client();
    // The realm marks its cookies Secure even on http://localhost, where browsers send them
    // anyway and Java's cookie manager does not: kept by hand, as a browser keeps them.
    Map<String, String> cookies = new LinkedHashMap<>();
    String state = UUID.randomUUID().toString();
    String authorize =
        discovery.path("authorization_endpoint").asText()
            + "?"
            + form(
                Map.of(
                    "client_id", clientId,
                    "redirect_uri", redirectUri,
                    "response_type", "code",
                    "scope", "openid profile email",
                    "state", state));
    HttpResponse<String> login = send(browser, HttpRequest.newBuilder(URI.create(authorize)));
    keep(cookies, login);
    if (login.statusCode() != 200 || !FORM_ACTION.matcher(login.body()).find()) {
      throw new AssertionError("no login form (" + login.statusCode() + "): " + login.body());
    }
    // With organisations on, the realm asks for the username first, then the password: each
    // form is filled as it comes, as a person does.
    HttpResponse<String> posted = login;
    for (int form = 0; form < 3; form++) {
      Matcher next = FORM_ACTION.matcher(posted.body());
      if (posted.statusCode() != 200 || !next.find()) {
        break;
      }
      posted =
          send(
              browser,
              HttpRequest.newBuilder(URI.create(next.group(1).replace("&amp;", "&")))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Cookie", cookieHeader(cookies))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          form(
                              Map.of(
                                  "username", person.username(),
                                  "password", person.password(),
                                  "credentialId", "")))));
      keep(cookies, posted);
    }
    String location = posted.headers().firstValue("Location").orElse("");
    if (posted.statusCode() != 302 || !location.startsWith(redirectUri)) {
      throw new AssertionError(
          "the realm did not send the person back ("
              + posted.statusCode()
              + "): "
              + location
              + posted
                  .body()
                  .replaceAll("(?s)<head>.*</head>|<[^>]+>", " ")
                  .replaceAll("\\s+", " "));
    }
    Map<String, String> back = query(URI.create(location).getRawQuery());
    if (!state.equals(back.get("state")) || back.get("code") == null) {
      throw new AssertionError("no code for this sign-in: " + location);
    }
    HttpResponse<String> tokens =
        send(
            client(),
            HttpRequest.newBuilder(URI.create(discovery.path("token_endpoint").asText()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "grant_type", "authorization_code",
                                "code", back.get("code"),
                                "redirect_uri", redirectUri,
                                "client_id", clientId,
                                "client_secret", secret)))));
    if (tokens.statusCode() != 200) {
      throw new AssertionError("the code was refused: " + tokens.body());
    }
    String accessToken = read(tokens.body()).path("access_token").asText();
    HttpResponse<String> user =
        send(
            client(),
            HttpRequest.newBuilder(URI.create(discovery.path("userinfo_endpoint").asText()))
                .header("Authorization", "Bearer " + accessToken));
    return new SignedIn(accessToken, user.statusCode(), read(user.body()));
  }

  private static void keep(Map<String, String> cookies, HttpResponse<String> answer) {
    for (String set : answer.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
  }

  private static String cookieHeader(Map<String, String> cookies) {
    return cookies.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body == null || body.isEmpty() ? "null" : body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }
}
