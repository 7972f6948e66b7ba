package coop.salons.provisioning.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The few calls of Mattermost's REST API (v4) that keep members' accounts: sign in as the
 * platform's account, teams, users, team membership and roles, password reset emails. One object
 * per server and sync; the session token stays in memory only.
 */
final class MattermostApi {

  /** A Mattermost user as the sync needs it; {@code deleteAt > 0} means deactivated. */
  record User(String id, String username, String email, long deleteAt) {}

  /** Mattermost said no: its HTTP status and error id (e.g. {@code ...username_exists...}). */
  static final class Refused extends RuntimeException {
    final int status;
    final String errorId;

    Refused(String call, int status, String errorId) {
      super(call + ": HTTP " + status + (errorId == null ? "" : " (" + errorId + ")"));
      this.status = status;
      this.errorId = errorId == null ? "" : errorId;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private String token;

  MattermostApi(HttpClient http, String baseUrl) {
    this.http = http;
    this.base = baseUrl.replaceAll("/+$", "") + "/api/v4";
  }

  /** Signs in; answers false when the credentials are refused. */
  boolean login(String loginId, String password) {
    HttpResponse<String> r =
        send("POST", "/users/login", Map.of("login_id", loginId, "password", password), false);
    if (r.statusCode() == 401 || r.statusCode() == 400) {
      return false;
    }
    check("login", r);
    token =
        r.headers().firstValue("Token").orElseThrow(() -> new Refused("login", 500, "no token"));
    return true;
  }

  /**
   * Creates a user; before signing in this is the server's first account, which Mattermost makes
   * system administrator.
   */
  User createUser(String email, String username, String password) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("email", email);
    body.put("username", username);
    body.put("password", password);
    return user(read("create user", send("POST", "/users", body, token != null)));
  }

  Optional<User> userByEmail(String email) {
    HttpResponse<String> r = send("GET", "/users/email/" + encode(email), null, true);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(user(read("user by email", r)));
  }

  void setActive(String userId, boolean active) {
    check(
        "activate user",
        send("PUT", "/users/" + userId + "/active", Map.of("active", active), true));
  }

  void patchUser(String userId, String email, String username) {
    check(
        "update user",
        send(
            "PUT",
            "/users/" + userId + "/patch",
            Map.of("email", email, "username", username),
            true));
  }

  Optional<String> teamByName(String name) {
    HttpResponse<String> r = send("GET", "/teams/name/" + encode(name), null, true);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(read("team by name", r).path("id").asText());
  }

  /** An invite-only team. */
  String createTeam(String name, String displayName) {
    return read(
            "create team",
            send(
                "POST",
                "/teams",
                Map.of("name", name, "display_name", displayName, "type", "I"),
                true))
        .path("id")
        .asText();
  }

  void addToTeam(String teamId, String userId) {
    check(
        "add to team",
        send(
            "POST",
            "/teams/" + teamId + "/members",
            Map.of("team_id", teamId, "user_id", userId),
            true));
  }

  void removeFromTeam(String teamId, String userId) {
    HttpResponse<String> r = send("DELETE", "/teams/" + teamId + "/members/" + userId, null, true);
    if (r.statusCode() != 404) {
      check("remove from team", r);
    }
  }

  /** Team administrator or plain team member. */
  void setTeamAdmin(String teamId, String userId, boolean admin) {
    check(
        "team roles",
        send(
            "PUT",
            "/teams/" + teamId + "/members/" + userId + "/schemeRoles",
            Map.of("scheme_admin", admin, "scheme_user", true),
            true));
  }

  /** Mattermost mails the user a one-use link to choose a password. */
  void sendPasswordReset(String email) {
    check(
        "password reset",
        send("POST", "/users/password/reset/send", Map.of("email", email), false));
  }

  private static User user(JsonNode n) {
    return new User(
        n.path("id").asText(),
        n.path("username").asText(),
        n.path("email").asText(),
        n.path("delete_at").asLong(0));
  }

  private JsonNode read(String call, HttpResponse<String> r) {
    check(call, r);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new Refused(call, r.statusCode(), "unreadable answer");
    }
  }

  private static void check(String call, HttpResponse<String> r) {
    if (r.statusCode() >= 300) {
      String id = null;
      try {
        id = JSON.readTree(r.body()).path("id").asText(null);
      } catch (IOException | RuntimeException e) {
        // not a Mattermost error document
      }
      throw new Refused(call, r.statusCode(), id);
    }
  }

  private HttpResponse<String> send(String method, String path, Object body, boolean signedIn) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(20))
              .header("Accept", "application/json");
      if (signedIn && token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Mattermost did not answer " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
