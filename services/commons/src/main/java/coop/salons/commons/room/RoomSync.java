package coop.salons.commons.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.commons.CommonsConfig;
import coop.salons.commons.matrix.MatrixClient;
import coop.salons.commons.matrix.MatrixClient.MatrixException;
import coop.salons.commons.server.CommonsServerAddress;
import coop.salons.commons.server.ProvisioningCommons;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Brings the commons server to the rooms the platform wants, as the platform's account: the Space
 * first (once), then each room asked for (made, listed in the server's directory, put in the Space)
 * and each room being archived (out of the Space and the directory, closed to writing, a notice
 * saying so). Every step can be repeated: a room made by a pass that stopped before keeping its id
 * is found again by its alias. Then the rooms' member counts are read from the directory.
 */
@ApplicationScoped
public class RoomSync {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COUNTS_EVERY = Duration.ofSeconds(30);
  static final String SPACE_ALIAS = CommonsServerAddress.SPACE_ALIAS;

  @Inject CommonsConfig config;
  @Inject CommonsServerAddress address;

  private volatile Instant countedAt = Instant.EPOCH;
  private volatile boolean warnedNoToken;

  @Scheduled(
      every = "${salons.commons.sync-every:5s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    try {
      sync();
    } catch (RuntimeException e) {
      Log.warnf("Could not bring the commons server's rooms up to date: %s", e.getMessage());
    }
  }

  /** One pass; answers how many rooms it brought to their state. */
  public int sync() {
    Optional<String> token = config.appserviceToken().filter(t -> !t.isBlank());
    if (token.isEmpty()) {
      if (!warnedNoToken) {
        Log.warn(
            "No salons.commons.appservice-token: the themes are kept, but no room is made on the"
                + " commons server.");
        warnedNoToken = true;
      }
      return 0;
    }
    Optional<ProvisioningCommons.Server> server = address.ready();
    if (server.isEmpty()) {
      return 0;
    }
    MatrixClient matrix = new MatrixClient(server.get().url(), token.get());
    String serverName = server.get().serverName();
    String space = space(matrix, serverName);
    List<Room> pending =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Room.<Room>list(
                        "state in ('requested', 'archiving') and attempts < ?1"
                            + " order by main desc, createdAt",
                        config.maxAttempts()));
    int done = 0;
    for (Room r : pending) {
      try {
        if (r.state.equals("requested")) {
          String roomId = make(matrix, serverName, space, r);
          settle(r.id, "open", roomId);
        } else {
          archive(matrix, space, r);
          settle(r.id, "archived", r.roomId);
        }
        done++;
      } catch (RuntimeException e) {
        failed(r.id, e);
      }
    }
    if (Instant.now().isAfter(countedAt.plus(COUNTS_EVERY)) || done > 0) {
      count(matrix);
      countedAt = Instant.now();
    }
    return done;
  }

  /** The Space of the thematic rooms: made once, found again by its alias if need be. */
  private String space(MatrixClient matrix, String serverName) {
    ServerObject kept =
        QuarkusTransaction.requiringNew().call(() -> ServerObject.findById(ServerObject.SPACE));
    String spaceAlias = "#" + SPACE_ALIAS + ":" + serverName;
    if (kept != null && kept.server.equals(serverName)) {
      if (matrix.resolveAlias(spaceAlias).filter(kept.matrixId::equals).isPresent()) {
        return kept.matrixId;
      }
      // The server no longer has the Space it made: a new server under the same name (its data
      // lost). Everything open is made again on it; what was archived stays archived.
      Log.warnf("The commons server %s lost its rooms: making them again", serverName);
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  Room.update(
                      "state = 'requested', roomId = null, members = 0, attempts = 0"
                          + " where state in ('open', 'archiving')"));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "Les communs · The commons");
    body.put(
        "topic",
        "Les salons thématiques ouverts à toutes les associations / Thematic rooms open to every"
            + " association");
    body.put("preset", "public_chat");
    body.put("visibility", "public");
    body.put("room_alias_name", SPACE_ALIAS);
    body.putObject("creation_content").put("type", "m.space");
    String id = createOrFind(matrix, body, spaceAlias);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              ServerObject o = ServerObject.findById(ServerObject.SPACE);
              if (o == null) {
                o = new ServerObject();
                o.name = ServerObject.SPACE;
              }
              o.server = serverName;
              o.matrixId = id;
              o.createdAt = OffsetDateTime.now();
              o.persist();
            });
    return id;
  }

  private String make(MatrixClient matrix, String serverName, String space, Room r) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", r.name);
    if (r.topic != null) {
      body.put("topic", r.topic);
    }
    body.put("preset", "public_chat");
    body.put("visibility", "public");
    body.put("room_alias_name", r.alias);
    ArrayNode state = body.putArray("initial_state");
    ObjectNode parent = state.addObject();
    parent.put("type", "m.space.parent");
    parent.put("state_key", space);
    parent.putObject("content").put("canonical", true).putArray("via").add(serverName);
    ObjectNode history = state.addObject();
    history.put("type", "m.room.history_visibility");
    history.put("state_key", "");
    history.putObject("content").put("history_visibility", "world_readable");
    String roomId = createOrFind(matrix, body, "#" + r.alias + ":" + serverName);
    matrix.setDirectoryVisibility(roomId, true);
    ObjectNode child = JSON.createObjectNode();
    child.putArray("via").add(serverName);
    child.put("suggested", r.main);
    matrix.putState(space, "m.space.child", roomId, child);
    return roomId;
  }

  private void archive(MatrixClient matrix, String space, Room r) {
    matrix.putState(space, "m.space.child", r.roomId, JSON.createObjectNode());
    matrix.setDirectoryVisibility(r.roomId, false);
    matrix.sendNotice(
        r.roomId,
        "Ce salon est archivé : on peut le lire, plus y écrire. / This room is archived: it can be"
            + " read, no longer written in.",
        "archive-" + r.id);
    JsonNode levels = matrix.getState(r.roomId, "m.room.power_levels", "");
    ObjectNode closed = ((ObjectNode) levels.deepCopy()).put("events_default", 100);
    matrix.putState(r.roomId, "m.room.power_levels", "", closed);
  }

  /** Makes a room; if its alias is taken, by a pass that stopped before keeping it, finds it. */
  private static String createOrFind(MatrixClient matrix, ObjectNode body, String alias) {
    try {
      return matrix.createRoom(body);
    } catch (MatrixException e) {
      if ("M_ROOM_IN_USE".equals(e.errcode())) {
        return matrix
            .resolveAlias(alias)
            .orElseThrow(() -> new IllegalStateException("the alias " + alias + " is taken"));
      }
      throw e;
    }
  }

  private void settle(UUID id, String state, String roomId) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Room r = Room.findById(id);
              OffsetDateTime now = OffsetDateTime.now();
              if (!r.state.equals("requested") && state.equals("open")) {
                // Archived while it was being made: the next pass closes it on the server.
                r.roomId = roomId;
                r.state = "archiving";
              } else {
                r.state = state;
                r.roomId = roomId;
                if (state.equals("archived")) {
                  r.archivedAt = now;
                }
              }
              r.attempts = 0;
              r.reason = null;
              r.updatedAt = now;
            });
  }

  private void failed(UUID id, RuntimeException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Log.warnf("Commons room %s: %s", id, why);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Room r = Room.findById(id);
              r.attempts++;
              r.reason = why.length() > 1000 ? why.substring(0, 1000) : why;
              r.updatedAt = OffsetDateTime.now();
            });
  }

  /**
   * The people in the listed rooms (joined members but the platform's account), from the server's
   * public directory: never messages.
   */
  private void count(MatrixClient matrix) {
    Map<String, Integer> members = matrix.publicRoomMembers();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              for (Room r : Room.<Room>list("state = 'open' and roomId is not null")) {
                Integer joined = members.get(r.roomId);
                // The platform's own account is in every room: people are the others.
                int people = joined == null ? r.members : Math.max(0, joined - 1);
                if (people != r.members) {
                  r.members = people;
                }
              }
            });
  }
}
