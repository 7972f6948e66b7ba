package coop.salons.provisioning.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the part of Mattermost's REST API (v4) the {@code accounts} mode calls, written
 * from Mattermost's API reference and its server's sign-up rules, because no Mattermost server runs
 * on these machines: sign-in with a session token in the {@code Token} header; without a session an
 * account can only be made by signing up, which a server with sign-up turned off (as the platform
 * renders it in the {@code accounts} mode) refuses with {@code signup_email_disabled}, and which
 * otherwise makes the first account system administrator; usernames (3-22 of a-z 0-9 . _ -,
 * starting with a letter) and emails unique with Mattermost's error ids, deactivation instead of
 * deletion, invite-only teams with scheme roles, password reset emails (recorded here).
 *
 * <p>What it cannot check: Mattermost's own permission schemes beyond "system admin", email
 * delivery, and any behaviour of a real server's version that differs from its reference.
 */
final class MattermostStandIn implements AutoCloseable {

  static final class User {
    final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 26);
    String username;
    String email;
    String password;
    boolean systemAdmin;
    long deleteAt;
  }

  record Team(String id, String name, String displayName, String type) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USERNAME = Pattern.compile("^[a-z][a-z0-9._-]{2,21}$");

  final Map<String, User> users = new LinkedHashMap<>();
  final Map<String, String> sessions = new LinkedHashMap<>();
  final Map<String, Team> teams = new LinkedHashMap<>();

  /** Team id → user id → scheme admin. */
  final Map<String, Map<String, Boolean>> members = new LinkedHashMap<>();

  final List<String> passwordResets = new ArrayList<>();

  /** {@code EmailSettings.EnableSignUpWithEmail} and {@code TeamSettings.EnableUserCreation}. */
  volatile boolean signUpOpen;

  /** Every call that changed something, as "METHOD path". */
  final List<String> writes = new ArrayList<>();

  private final HttpServer server;

  MattermostStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v4/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized User byUsername(String username) {
    return users.values().stream()
        .filter(u -> u.username.equals(username))
        .findFirst()
        .orElse(null);
  }

  synchronized User byEmail(String email) {
    return users.values().stream()
        .filter(u -> u.email.equalsIgnoreCase(email))
        .findFirst()
        .orElse(null);
  }

  /** The platform's account, made the way an operator bootstraps it ({@code mmctl --local}). */
  synchronized User bootstrapAdmin(String username, String password) {
    User u = addUser(username, username + "@localhost.localdomain");
    u.password = password;
    u.systemAdmin = true;
    return u;
  }

  /** Someone who made an account on their own (a name the platform will find taken). */
  synchronized User addUser(String username, String email) {
    User u = new User();
    u.username = username;
    u.email = email;
    u.password = UUID.randomUUID().toString();
    users.put(u.id, u);
    return u;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private synchronized void handle(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getRawPath().substring("/api/v4".length());
    JsonNode body =
        x.getRequestBody().available() >= 0
            ? readBody(x.getRequestBody().readAllBytes())
            : JSON.createObjectNode();
    try {
      if (!method.equals("GET")) {
        writes.add(method + " " + path);
      }
      route(x, method, path, body);
    } catch (Answer a) {
      send(x, a.status, a.body, a.token);
    }
  }

  private static JsonNode readBody(byte[] bytes) throws IOException {
    return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
  }

  private static final class Answer extends RuntimeException {
    final int status;
    final Object body;
    final String token;

    Answer(int status, Object body, String token) {
      super(null, null, false, false);
      this.status = status;
      this.body = body;
      this.token = token;
    }
  }

  private static Answer ok(Object body) {
    return new Answer(200, body, null);
  }

  private static Answer error(int status, String id) {
    return new Answer(status, Map.of("id", id, "message", id, "status_code", status), null);
  }

  private User session(HttpExchange x) {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    String userId = auth == null ? null : sessions.get(auth.replaceFirst("^Bearer ", ""));
    if (userId == null) {
      throw error(401, "api.context.session_expired.app_error");
    }
    return users.get(userId);
  }

  private User admin(HttpExchange x) {
    User u = session(x);
    if (!u.systemAdmin) {
      throw error(403, "api.context.permissions.app_error");
    }
    return u;
  }

  private void route(HttpExchange x, String method, String path, JsonNode body) {
    Matcher m;
    if (method.equals("POST") && path.equals("/users/login")) {
      String login = body.path("login_id").asText();
      User u = byUsername(login) != null ? byUsername(login) : byEmail(login);
      if (u == null || u.deleteAt > 0 || !u.password.equals(body.path("password").asText())) {
        throw error(401, "api.user.login.invalid_credentials_email_username");
      }
      String token = UUID.randomUUID().toString();
      sessions.put(token, u.id);
      throw new Answer(200, view(u), token);
    }
    if (method.equals("POST") && path.equals("/users")) {
      boolean first = users.isEmpty();
      if (x.getRequestHeaders().getFirst("Authorization") != null) {
        admin(x);
      } else if (!signUpOpen) {
        throw error(501, "api.user.create_user.signup_email_disabled.app_error");
      } else if (!first) {
        throw error(403, "api.user.create_user.no_open_server");
      }
      String username = body.path("username").asText();
      String email = body.path("email").asText();
      if (!USERNAME.matcher(username).matches()) {
        throw error(400, "model.user.is_valid.username.app_error");
      }
      if (!email.contains("@")) {
        throw error(400, "model.user.is_valid.email.app_error");
      }
      if (body.path("password").asText().length() < 8) {
        throw error(400, "model.user.is_valid.pwd_length.app_error");
      }
      if (byEmail(email) != null) {
        throw error(400, "app.user.save.email_exists.app_error");
      }
      if (byUsername(username) != null) {
        throw error(400, "app.user.save.username_exists.app_error");
      }
      User u = addUser(username, email);
      u.password = body.path("password").asText();
      u.systemAdmin = first && x.getRequestHeaders().getFirst("Authorization") == null;
      throw new Answer(201, view(u), null);
    }
    if (method.equals("GET") && (m = match("/users/email/([^/]+)", path)).matches()) {
      session(x);
      User u = byEmail(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
      if (u == null) {
        throw error(404, "app.user.missing_account.const");
      }
      throw ok(view(u));
    }
    if (method.equals("PUT") && (m = match("/users/([a-z0-9]+)/active", path)).matches()) {
      admin(x);
      User u = existing(m.group(1));
      u.deleteAt = body.path("active").asBoolean() ? 0 : System.currentTimeMillis();
      throw ok(Map.of("status", "OK"));
    }
    if (method.equals("PUT") && (m = match("/users/([a-z0-9]+)/patch", path)).matches()) {
      admin(x);
      User u = existing(m.group(1));
      String username = body.path("username").asText(u.username);
      String email = body.path("email").asText(u.email);
      User other = byUsername(username);
      if (other != null && other != u) {
        throw error(400, "app.user.save.username_exists.app_error");
      }
      other = byEmail(email);
      if (other != null && other != u) {
        throw error(400, "app.user.save.email_exists.app_error");
      }
      u.username = username;
      u.email = email;
      throw ok(view(u));
    }
    if (method.equals("POST") && path.equals("/users/password/reset/send")) {
      User u = byEmail(body.path("email").asText());
      if (u != null && u.deleteAt == 0) {
        passwordResets.add(u.email);
      }
      throw ok(Map.of("status", "OK"));
    }
    if (method.equals("GET") && (m = match("/teams/name/([^/]+)", path)).matches()) {
      session(x);
      String name = m.group(1);
      Team t = teams.values().stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
      if (t == null) {
        throw error(404, "app.team.get_by_name.missing.app_error");
      }
      throw ok(Map.of("id", t.id(), "name", t.name(), "display_name", t.displayName()));
    }
    if (method.equals("POST") && path.equals("/teams")) {
      admin(x);
      String name = body.path("name").asText();
      if (!name.matches("^[a-z0-9][a-z0-9-]{1,63}$")) {
        throw error(400, "model.team.is_valid.name.app_error");
      }
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 26);
      teams.put(
          id, new Team(id, name, body.path("display_name").asText(), body.path("type").asText()));
      members.put(id, new LinkedHashMap<>());
      throw new Answer(201, Map.of("id", id, "name", name), null);
    }
    if (method.equals("POST") && (m = match("/teams/([a-z0-9]+)/members", path)).matches()) {
      admin(x);
      Map<String, Boolean> team = team(m.group(1));
      existing(body.path("user_id").asText());
      team.putIfAbsent(body.path("user_id").asText(), false);
      throw new Answer(
          201, Map.of("team_id", m.group(1), "user_id", body.path("user_id").asText()), null);
    }
    if (method.equals("DELETE")
        && (m = match("/teams/([a-z0-9]+)/members/([a-z0-9]+)", path)).matches()) {
      admin(x);
      team(m.group(1)).remove(m.group(2));
      throw ok(Map.of("status", "OK"));
    }
    if (method.equals("PUT")
        && (m = match("/teams/([a-z0-9]+)/members/([a-z0-9]+)/schemeRoles", path)).matches()) {
      admin(x);
      Map<String, Boolean> team = team(m.group(1));
      if (!team.containsKey(m.group(2))) {
        throw error(404, "app.team.get_member.missing.app_error");
      }
      team.put(m.group(2), body.path("scheme_admin").asBoolean());
      throw ok(Map.of("status", "OK"));
    }
    throw error(404, "api.context.404.app_error");
  }

  private static Matcher match(String regex, String path) {
    return Pattern.compile("^" + regex + "$").matcher(path);
  }

  private User existing(String id) {
    User u = users.get(id);
    if (u == null) {
      throw error(404, "app.user.missing_account.const");
    }
    return u;
  }

  private Map<String, Boolean> team(String id) {
    Map<String, Boolean> t = members.get(id);
    if (t == null) {
      throw error(404, "app.team.get.find.app_error");
    }
    return t;
  }

  private static Map<String, Object> view(User u) {
    return Map.of(
        "id", u.id,
        "username", u.username,
        "email", u.email,
        "delete_at", u.deleteAt,
        "roles", u.systemAdmin ? "system_admin system_user" : "system_user");
  }

  private static void send(HttpExchange x, int status, Object body, String token)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().add("Content-Type", "application/json");
    if (token != null) {
      x.getResponseHeaders().add("Token", token);
    }
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }
}
