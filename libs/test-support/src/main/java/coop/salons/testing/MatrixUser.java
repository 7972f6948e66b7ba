package coop.salons.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person on a Matrix server, as a Matrix client acts for them: signed in through the server's
 * single sign-on (the real Keycloak login form, in a real Chromium), then joining rooms, sending
 * and reading messages through the client-server API.
 */
public final class MatrixUser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern LOGIN_TOKEN = Pattern.compile("[?&]loginToken=([^&#]+)");

  private final String baseUrl;
  private final String accessToken;
  private final String userId;

  private MatrixUser(String baseUrl, String accessToken, String userId) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.accessToken = accessToken;
    this.userId = userId;
  }

  /** Someone already holding an access token (a server's own account, say). */
  public static MatrixUser withToken(String baseUrl, String accessToken, String userId) {
    return new MatrixUser(baseUrl, accessToken, userId);
  }

  /**
   * Signs a platform user in to a Matrix server as they would: the server sends the browser to
   * Keycloak, they fill its form, Keycloak sends them back, and the server hands the client a login
   * token that it trades for an access token.
   */
  public static MatrixUser signIn(
      Browser browser, String baseUrl, TestServers.TestUser user, String idp) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    // A platform server restarts when the platform's list of servers changes (a new association):
    // like a person, try again when it did so in the middle of the sign-in.
    RuntimeException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      awaitHealthy(base);
      try {
        return signInOnce(browser, base, user, idp);
      } catch (com.microsoft.playwright.PlaywrightException e) {
        last = e;
      }
    }
    throw last;
  }

  private static MatrixUser signInOnce(
      Browser browser, String base, TestServers.TestUser user, String idp) {
    String back = base + "/_matrix/client/versions";
    try (BrowserContext context = browser.context("fr-FR")) {
      Page page = context.newPage();
      page.navigate(
          base
              + "/_matrix/client/v3/login/sso/redirect/"
              + idp
              + "?redirectUrl="
              + URLEncoder.encode(back, StandardCharsets.UTF_8));
      try {
        Browser.signInOnKeycloak(page, user.username(), user.password());
      } catch (com.microsoft.playwright.PlaywrightException e) {
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(
                    java.nio.file.Path.of(
                        "target/screenshots/sign-in-failed-" + user.username() + ".png")));
        throw e;
      }
      // Synapse either sends the browser straight back or asks first ("Continue to your account").
      page.waitForCondition(
          () ->
              LOGIN_TOKEN.matcher(page.url()).find()
                  || page.locator("a[href*='loginToken=']").count() > 0,
          new Page.WaitForConditionOptions().setTimeout(30_000));
      String landed = page.url();
      if (!LOGIN_TOKEN.matcher(landed).find()) {
        landed = page.locator("a[href*='loginToken=']").first().getAttribute("href");
      }
      Matcher m = LOGIN_TOKEN.matcher(landed);
      if (!m.find()) {
        throw new IllegalStateException("no login token after signing in: " + landed);
      }
      ObjectNode login = JSON.createObjectNode();
      login.put("type", "m.login.token");
      login.put("token", java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
      Answer answer = call(base, null, "POST", "/_matrix/client/v3/login", login);
      if (answer.status() != 200) {
        throw new AssertionError("the login token was refused: " + answer);
      }
      return new MatrixUser(
          base, answer.body().get("access_token").asText(), answer.body().get("user_id").asText());
    }
  }

  /**
   * Signs in with a user name and password, as a Matrix app does on a server that has passwords (a
   * server run outside the platform, say).
   */
  public static MatrixUser withPassword(String baseUrl, String user, String password) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    ObjectNode login = JSON.createObjectNode();
    login.put("type", "m.login.password");
    login.putObject("identifier").put("type", "m.id.user").put("user", user);
    login.put("password", password);
    Answer answer = call(base, null, "POST", "/_matrix/client/v3/login", login);
    if (answer.status() != 200) {
      throw new AssertionError("the password was refused: " + answer);
    }
    return new MatrixUser(
        base, answer.body().get("access_token").asText(), answer.body().get("user_id").asText());
  }

  /** A call to the server's client or admin API as this user (an administrator's, say). */
  public Answer call(String method, String path, com.fasterxml.jackson.databind.JsonNode body) {
    return call(baseUrl, accessToken, method, path, body);
  }

  /** Waits until the server answers its health check (it may be restarting). */
  public static void awaitHealthy(String base) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/health"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notNow) {
        // restarting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(300);
    }
  }

  public String userId() {
    return userId;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** An answer of the server: its status and JSON body. */
  public record Answer(int status, JsonNode body) {
    public String errcode() {
      return body.path("errcode").asText("");
    }
  }

  /** Joins a room by alias or id (through {@code via} servers); answers the server's answer. */
  public Answer tryJoin(String roomIdOrAlias, String... via) {
    StringBuilder path = new StringBuilder("/_matrix/client/v3/join/").append(enc(roomIdOrAlias));
    for (int i = 0; i < via.length; i++) {
      path.append(i == 0 ? "?" : "&").append("server_name=").append(enc(via[i]));
    }
    return call(baseUrl, accessToken, "POST", path.toString(), JSON.createObjectNode());
  }

  /**
   * Joins a room, asking again while the servers are still taking each other in (a server that has
   * just restarted with a new federation list); answers the room id.
   */
  public String join(String roomIdOrAlias, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Answer last;
    do {
      try {
        last = tryJoin(roomIdOrAlias);
      } catch (UncheckedIOException slow) {
        // a server restarting to take a new one in, or still resyncing: ask again
        last = new Answer(0, JSON.createObjectNode().put("error", String.valueOf(slow.getCause())));
      }
      if (last.status() == 200) {
        return last.body().get("room_id").asText();
      }
      sleep(1000);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        userId + " could not join " + roomIdOrAlias + ": " + last.status() + " " + last.body());
  }

  /**
   * Sends a text message; answers its event id. Like a Matrix client, a send that timed out is sent
   * again with the same transaction id: the server keeps it once whatever happened the first time.
   */
  public String send(String roomId, String text) {
    ObjectNode body = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
    String path =
        "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        Answer a = call(baseUrl, accessToken, "PUT", path, body);
        require(a, "send a message");
        return a.body().get("event_id").asText();
      } catch (UncheckedIOException slow) {
        if (System.nanoTime() > deadline) {
          throw slow;
        }
      }
    }
  }

  /** Uploads a file to this user's server's media repository; answers its {@code mxc://} URI. */
  public String upload(byte[] content, String contentType, String filename) {
    try {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(baseUrl + "/_matrix/media/v3/upload?filename=" + enc(filename)))
                  .timeout(Duration.ofSeconds(60))
                  .header("Authorization", "Bearer " + accessToken)
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new AssertionError("upload refused: " + answer.statusCode() + " " + answer.body());
      }
      return JSON.readTree(answer.body()).get("content_uri").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Downloads a file of the media repository (authenticated media); answers status and bytes. */
  public Download download(String mxc) {
    String serverAndId = mxc.substring("mxc://".length());
    try {
      HttpResponse<byte[]> answer =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(baseUrl + "/_matrix/client/v1/media/download/" + serverAndId))
                  .timeout(Duration.ofSeconds(60))
                  .header("Authorization", "Bearer " + accessToken)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Download(answer.statusCode(), answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A downloaded file. */
  public record Download(int status, byte[] bytes) {}

  /** Sends a file message naming an uploaded file. */
  public String sendFile(String roomId, String mxc, String filename) {
    ObjectNode body =
        JSON.createObjectNode().put("msgtype", "m.file").put("body", filename).put("url", mxc);
    Answer a =
        call(
            baseUrl,
            accessToken,
            "PUT",
            "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID(),
            body);
    require(a, "send a file");
    return a.body().get("event_id").asText();
  }

  /** The text messages of a room, oldest first (the last 100), as this user's server has them. */
  public List<Message> messages(String roomId) {
    Answer a =
        call(
            baseUrl,
            accessToken,
            "GET",
            "/_matrix/client/v3/rooms/" + enc(roomId) + "/messages?dir=b&limit=100",
            null);
    require(a, "read messages");
    List<Message> out = new ArrayList<>();
    for (JsonNode e : a.body().path("chunk")) {
      if (e.path("type").asText().equals("m.room.message")) {
        out.add(0, new Message(e.get("sender").asText(), e.at("/content/body").asText()));
      }
    }
    return out;
  }

  /** Waits until a message with this text has reached this user's server; answers it. */
  public Message awaitMessage(String roomId, String text, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    do {
      List<Message> now;
      try {
        now = messages(roomId);
      } catch (UncheckedIOException slow) {
        // Synapse answers /messages only once a room joined over federation has its whole state;
        // a server of the room restarting delays that: ask again.
        now = List.of();
      }
      for (Message m : now) {
        if (m.body().equals(text)) {
          return m;
        }
      }
      sleep(200);
    } while (System.nanoTime() < deadline);
    String seen;
    try {
      seen = messages(roomId).toString();
    } catch (UncheckedIOException slow) {
      seen = "no answer from " + baseUrl + " (" + slow.getCause() + ")";
    }
    throw new AssertionError(userId + " never saw '" + text + "' in " + roomId + ": " + seen);
  }

  /** A message: who sent it and its text. */
  public record Message(String sender, String body) {}

  /** Makes a public room with an alias on this user's server; answers its id. */
  public String createPublicRoom(String alias, String name) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("preset", "public_chat")
            .put("room_alias_name", alias)
            .put("name", name);
    Answer a = call(baseUrl, accessToken, "POST", "/_matrix/client/v3/createRoom", body);
    require(a, "create a room");
    return a.body().get("room_id").asText();
  }

  /**
   * Makes a public room with an alias and a topic on this user's server, published in its public
   * room list or not; answers its id.
   */
  public String createRoom(String alias, String name, String topic, boolean published) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("preset", "public_chat")
            .put("room_alias_name", alias)
            .put("name", name)
            .put("topic", topic)
            .put("visibility", published ? "public" : "private");
    Answer a = call(baseUrl, accessToken, "POST", "/_matrix/client/v3/createRoom", body);
    require(a, "create a room");
    return a.body().get("room_id").asText();
  }

  /** Publishes a room in its server's public room list, or takes it out. */
  public void setPublished(String roomId, boolean published) {
    Answer a =
        call(
            baseUrl,
            accessToken,
            "PUT",
            "/_matrix/client/v3/directory/list/room/" + enc(roomId),
            JSON.createObjectNode().put("visibility", published ? "public" : "private"));
    require(a, "change the room's place in the public room list");
  }

  private void require(Answer a, String what) {
    if (a.status() != 200) {
      throw new AssertionError(userId + " could not " + what + ": " + a.status() + " " + a.body());
    }
  }

  /**
   * One call; a refused connection (the server restarting, see {@link #signIn}) never reached the
   * server, so it is tried again, for up to a minute.
   */
  static Answer call(String base, String token, String method, String path, JsonNode body) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return callOnce(base, token, method, path, body);
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof java.net.ConnectException) || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(500);
      }
    }
  }

  private static Answer callOnce(
      String base, String token, String method, String path, JsonNode body) {
    try {
      HttpRequest.Builder r =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
      if (token != null) {
        r.header("Authorization", "Bearer " + token);
      }
      if (body != null) {
        r.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        r.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> answer = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json =
          answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
      return new Answer(answer.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
