package coop.salons.commons.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The few Matrix client-server calls the commons service makes on the commons server, as the
 * platform's account (an application service token: no login, no rate limit). Bodies are written by
 * Jackson, never by concatenation; path parts are percent-encoded.
 */
public final class MatrixClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final String token;

  /**
   * @param baseUrl the server's client URL (with or without its trailing slash)
   * @param token the application service token
   */
  public MatrixClient(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  /** A refusal from the server: its HTTP status and Matrix error code. */
  public static final class MatrixException extends RuntimeException {
    private final int status;
    private final String errcode;

    MatrixException(int status, String errcode, String error) {
      super("HTTP " + status + " " + errcode + ": " + error);
      this.status = status;
      this.errcode = errcode;
    }

    public int status() {
      return status;
    }

    public String errcode() {
      return errcode;
    }
  }

  /** Makes a room; answers its id. */
  public String createRoom(ObjectNode body) {
    return call("POST", "/_matrix/client/v3/createRoom", body).get("room_id").asText();
  }

  /** The room an alias names, if any. */
  public Optional<String> resolveAlias(String alias) {
    try {
      return Optional.of(
          call("GET", "/_matrix/client/v3/directory/room/" + enc(alias), null)
              .get("room_id")
              .asText());
    } catch (MatrixException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Sets a state event. */
  public void putState(String roomId, String type, String stateKey, JsonNode content) {
    call(
        "PUT",
        "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey),
        content);
  }

  /** Reads a state event's content. */
  public JsonNode getState(String roomId, String type, String stateKey) {
    return call(
        "GET",
        "/_matrix/client/v3/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey),
        null);
  }

  /** Lists the room in the server's public directory, or takes it out. */
  public void setDirectoryVisibility(String roomId, boolean listed) {
    call(
        "PUT",
        "/_matrix/client/v3/directory/list/room/" + enc(roomId),
        JSON.createObjectNode().put("visibility", listed ? "public" : "private"));
  }

  /** Sends a notice (a message from a bot) with a transaction id that makes a retry harmless. */
  public void sendNotice(String roomId, String text, String transactionId) {
    call(
        "PUT",
        "/_matrix/client/v3/rooms/" + enc(roomId) + "/send/m.room.message/" + enc(transactionId),
        JSON.createObjectNode().put("msgtype", "m.notice").put("body", text));
  }

  /** Joined members of every room in the server's public directory, by room id. */
  public Map<String, Integer> publicRoomMembers() {
    Map<String, Integer> members = new HashMap<>();
    String since = null;
    for (int page = 0; page < 100; page++) {
      ObjectNode body = JSON.createObjectNode().put("limit", 500);
      if (since != null) {
        body.put("since", since);
      }
      JsonNode answer = call("POST", "/_matrix/client/v3/publicRooms", body);
      for (JsonNode room : answer.path("chunk")) {
        members.put(room.get("room_id").asText(), room.path("num_joined_members").asInt());
      }
      JsonNode next = answer.get("next_batch");
      if (next == null || next.isNull() || next.asText().isEmpty()) {
        break;
      }
      since = next.asText();
    }
    return members;
  }

  private JsonNode call(String method, String path, JsonNode body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(20))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "application/json");
      if (body != null) {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = answer.body().isBlank() ? JSON.createObjectNode() : parse(answer.body());
      if (answer.statusCode() / 100 != 2) {
        throw new MatrixException(
            answer.statusCode(), json.path("errcode").asText("?"), json.path("error").asText(""));
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("the commons server did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode()
          .put("error", body.length() > 200 ? body.substring(0, 200) : body);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
