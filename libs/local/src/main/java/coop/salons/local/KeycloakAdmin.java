package coop.salons.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The few Keycloak admin calls the local platform and the test servers make. */
public final class KeycloakAdmin {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;

  private KeycloakAdmin(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Signs in to the master realm with the bootstrap admin. */
  public static KeycloakAdmin login(String baseUrl, String user, String password)
      throws IOException, InterruptedException {
    String form =
        "grant_type=password&client_id=admin-cli&username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("Keycloak admin login failed: HTTP " + answer.statusCode());
    }
    return new KeycloakAdmin(baseUrl, JSON.readTree(answer.body()).get("access_token").asText());
  }

  /** Creates a client in the salons realm unless one with that client id exists. */
  public void ensureClient(Map<String, Object> client) throws IOException, InterruptedException {
    String clientId = (String) client.get("clientId");
    JsonNode found =
        JSON.readTree(
            send(HttpRequest.newBuilder(
                        URI.create(
                            baseUrl
                                + "/admin/realms/salons/clients?clientId="
                                + URLEncoder.encode(clientId, StandardCharsets.UTF_8)))
                    .GET())
                .body());
    if (found.isArray() && found.size() > 0) {
      return;
    }
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/salons/clients"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))));
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "Keycloak refused the client " + clientId + ": HTTP " + created.statusCode());
    }
  }

  /** Points the salons realm's email at an SMTP server (the local mail catcher). */
  public void useSmtp(String host, int port, String from) throws IOException, InterruptedException {
    Map<String, Object> realm =
        Map.of(
            "smtpServer",
            Map.of(
                "host", host,
                "port", String.valueOf(port),
                "from", from,
                "fromDisplayName", "Salons",
                "auth", "false",
                "ssl", "false",
                "starttls", "false"));
    updateRealm(realm);
  }

  /** Changes settings of the salons realm (the keys of Keycloak's realm representation). */
  public void updateRealm(Map<String, Object> settings) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/salons"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(settings))));
    if (answer.statusCode() != 204) {
      throw new IllegalStateException(
          "Keycloak refused the realm settings "
              + settings.keySet()
              + ": HTTP "
              + answer.statusCode());
    }
  }

  /** Makes a user a member of a Keycloak organisation (as accepting an invitation does). */
  public void addOrganizationMember(String organizationId, String userId)
      throws IOException, InterruptedException {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl
                            + "/admin/realms/salons/organizations/"
                            + organizationId
                            + "/members"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(userId))));
    if (answer.statusCode() != 201 && answer.statusCode() != 409) {
      throw new IllegalStateException("Keycloak refused the member: HTTP " + answer.statusCode());
    }
  }

  /** Gives a user a role of the salons realm (e.g. {@code platform-admin}). */
  public void grantRealmRole(String userId, String role) throws IOException, InterruptedException {
    JsonNode representation = get("/roles/" + URLEncoder.encode(role, StandardCharsets.UTF_8));
    if (representation == null) {
      throw new IllegalStateException("The salons realm has no role " + role);
    }
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl + "/admin/realms/salons/users/" + userId + "/role-mappings/realm"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(java.util.List.of(representation)))));
    if (answer.statusCode() != 204) {
      throw new IllegalStateException("Keycloak refused the role: HTTP " + answer.statusCode());
    }
  }

  /** Deletes a resource of the salons realm's admin API; one already gone is fine. */
  public void delete(String path) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/salons" + path)).DELETE());
    if (answer.statusCode() != 204 && answer.statusCode() != 404) {
      throw new IllegalStateException(
          "Keycloak answered HTTP " + answer.statusCode() + " for DELETE " + path);
    }
  }

  /** PUT on the salons realm's admin API (a user's partial representation, say). */
  public void put(String path, Object body) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/salons" + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    if (answer.statusCode() != 204 && answer.statusCode() != 200) {
      throw new IllegalStateException(
          "Keycloak answered HTTP " + answer.statusCode() + " for PUT " + path);
    }
  }

  /** GET on the admin API of the salons realm ({@code path} after {@code /admin/realms/salons}). */
  public JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/salons" + path)).GET());
    if (answer.statusCode() == 404) {
      return null;
    }
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          "Keycloak answered HTTP " + answer.statusCode() + " for " + path);
    }
    return JSON.readTree(answer.body());
  }

  /**
   * Creates a user of the salons realm with a password unless one with that username exists, and
   * answers its id.
   */
  public String ensureUser(String username, String email, String password)
      throws IOException, InterruptedException {
    return ensureUser(username, email, password, true);
  }

  /**
   * Creates a user as {@link #ensureUser(String, String, String)} does, its email verified or not
   * (someone who registered with an address they do not own).
   */
  public String ensureUser(String username, String email, String password, boolean emailVerified)
      throws IOException, InterruptedException {
    JsonNode found = findUser(username);
    if (found == null) {
      Map<String, Object> user =
          Map.of(
              "username",
              username,
              "email",
              email,
              "emailVerified",
              emailVerified,
              "enabled",
              true,
              "firstName",
              username,
              "lastName",
              "Test",
              "credentials",
              java.util.List.of(Map.of("type", "password", "value", password, "temporary", false)));
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/salons/users"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(user))));
      if (created.statusCode() != 201) {
        throw new IllegalStateException(
            "Keycloak refused the user " + username + ": HTTP " + created.statusCode());
      }
      found = findUser(username);
    }
    return found.get("id").asText();
  }

  private JsonNode findUser(String username) throws IOException, InterruptedException {
    JsonNode found =
        JSON.readTree(
            send(HttpRequest.newBuilder(
                        URI.create(
                            baseUrl
                                + "/admin/realms/salons/users?exact=true&username="
                                + URLEncoder.encode(username, StandardCharsets.UTF_8)))
                    .GET())
                .body());
    return found.isArray() && found.size() > 0 ? found.get(0) : null;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
