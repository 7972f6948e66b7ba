package coop.salons.commons.directory;

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
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Matrix server's public room list, page by page, through the client-server API without an
 * account (the associations' servers allow it): only public metadata and member counts, never a
 * message.
 */
public final class PublicRooms {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** At most this many rooms are read from one server. */
  static final int MAX_ROOMS = 5_000;

  private PublicRooms() {}

  /** One room of a public room list. */
  public record PublicRoom(
      String roomId, String name, String topic, String alias, int members, String joinRule) {

    /** Whether the room's topic asks search engines to leave it out. */
    public boolean noindex() {
      return topic != null && topic.toLowerCase(java.util.Locale.ROOT).contains("noindex");
    }
  }

  /** The server's whole public room list (up to {@link #MAX_ROOMS}). */
  public static List<PublicRoom> read(String baseUrl, Duration timeout) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    List<PublicRoom> rooms = new ArrayList<>();
    String since = null;
    while (rooms.size() < MAX_ROOMS) {
      String url =
          base
              + "/_matrix/client/v3/publicRooms?limit=500"
              + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
      JsonNode page = get(url, timeout);
      for (JsonNode r : page.path("chunk")) {
        String id = r.path("room_id").asText("");
        if (id.isEmpty()) {
          continue;
        }
        rooms.add(
            new PublicRoom(
                id,
                text(r, "name"),
                text(r, "topic"),
                text(r, "canonical_alias"),
                r.path("num_joined_members").asInt(0),
                r.path("join_rule").asText("public")));
      }
      JsonNode next = page.get("next_batch");
      if (next == null || next.isNull() || next.asText().isEmpty()) {
        break;
      }
      since = next.asText();
    }
    return rooms;
  }

  private static String text(JsonNode r, String field) {
    JsonNode v = r.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static JsonNode get(String url, Duration timeout) {
    try {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(timeout)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + answer.statusCode() + " from " + url);
      }
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e.getClass().getSimpleName() + " from " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
