package coop.salons.commons.room;

import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.commons.CommonsConfig;
import coop.salons.commons.room.RoomDtos.OpenRoom;
import coop.salons.commons.room.RoomDtos.RoomView;
import coop.salons.commons.server.CommonsServerAddress;
import coop.salons.commons.server.ProvisioningCommons;
import coop.salons.commons.theme.Theme;
import coop.salons.commons.theme.Themes;
import coop.salons.membership.MembershipFollower;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The commons server's rooms as the platform wants them: each theme's own, and those members open
 * (members of a hosted association, a few a day each). {@link RoomSync} brings the server to it.
 */
@ApplicationScoped
public class Rooms {

  /** The states listed by default: the rooms people can join (or soon). */
  static final List<String> LIVE = List.of("requested", "open");

  @Inject CommonsConfig config;
  @Inject Themes themes;
  @Inject EntityManager em;
  @Inject MembershipFollower membership;
  @Inject CommonsServerAddress server;

  /** A theme's own room is asked for with the theme, in the same transaction. */
  void onThemeCreated(@Observes Themes.ThemeCreated created) {
    Theme t = created.theme();
    Room r = newRoom(t.slug, t.slug, roomName(t), roomTopic(t));
    r.main = true;
    r.persist();
  }

  static String roomName(Theme t) {
    return t.nameFr.equals(t.nameEn) ? t.nameFr : t.nameFr + " · " + t.nameEn;
  }

  static String roomTopic(Theme t) {
    if (t.descriptionFr == null || t.descriptionEn == null) {
      return t.descriptionFr != null ? t.descriptionFr : t.descriptionEn;
    }
    String both = t.descriptionFr + " / " + t.descriptionEn;
    return both.length() <= 500 ? both : t.descriptionFr;
  }

  private static Room newRoom(String theme, String alias, String name, String topic) {
    OffsetDateTime now = OffsetDateTime.now();
    Room r = new Room();
    r.id = UUID.randomUUID();
    r.themeSlug = theme;
    r.alias = alias;
    r.name = name;
    r.topic = topic;
    r.state = "requested";
    r.createdAt = now;
    r.updatedAt = now;
    return r;
  }

  /**
   * A member of a hosted association opens a room under a theme: refused (nothing stored) for an
   * unknown theme, a taken alias, someone who belongs to no association, or one who opened their
   * day's share already.
   */
  @Transactional
  public RoomView open(String userId, OpenRoom request) {
    if (Theme.findById(request.theme()) == null) {
      throw ProblemException.invalid("theme", "is not a theme of this platform");
    }
    if (!belongsToAnAssociation(userId)) {
      throw ProblemException.forbidden(
          "Rooms of the commons are opened by members of the associations the platform hosts.");
    }
    // One request of a person at a time, so that the day's count cannot be overrun by a burst.
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('commons-rooms:' || ?1))")
        .setParameter(1, userId)
        .getSingleResult();
    long today =
        Room.count("openedBy = ?1 and createdAt > ?2", userId, OffsetDateTime.now().minusDays(1));
    if (today >= config.roomsPerDay()) {
      throw new ProblemException(
          429,
          "rate-limited",
          "Too many rooms",
          "You opened "
              + today
              + " rooms of the commons in the last 24 hours, the most one person may: try again"
              + " tomorrow.",
          List.of(),
          Map.of("limit", config.roomsPerDay()));
    }
    if (Room.count("alias", request.alias()) > 0) {
      throw ProblemException.conflict(
          "The commons server has a room '" + request.alias() + "' already.");
    }
    Room r =
        newRoom(
            request.theme(),
            request.alias(),
            request.name().strip(),
            request.topic() == null || request.topic().isBlank() ? null : request.topic().strip());
    r.openedBy = userId;
    r.persist();
    Log.infof("Commons room %s asked for (theme %s)", r.alias, r.themeSlug);
    return view(r);
  }

  /** What a person may do in the commons now. */
  @Transactional
  public RoomDtos.Abilities abilities(String userId, boolean hoster) {
    long today =
        Room.count("openedBy = ?1 and createdAt > ?2", userId, OffsetDateTime.now().minusDays(1));
    boolean member = belongsToAnAssociation(userId);
    return new RoomDtos.Abilities(
        member && today < config.roomsPerDay(), member, hoster, (int) today, config.roomsPerDay());
  }

  private boolean belongsToAnAssociation(String userId) {
    if (memberships(userId) > 0) {
      return true;
    }
    try {
      membership.catchUpSince(System.nanoTime());
    } catch (RuntimeException e) {
      Log.warnf("Could not catch up with identity's membership feed: %s", e.getMessage());
    }
    return memberships(userId) > 0;
  }

  private long memberships(String userId) {
    return ((Number)
            em.createNativeQuery("SELECT count(*) FROM organization_member WHERE user_id = ?1")
                .setParameter(1, userId)
                .getSingleResult())
        .longValue();
  }

  /** The hoster archives a room: it stays readable, nobody writes in it, it leaves the lists. */
  @Transactional
  public RoomView archive(UUID id) {
    Room r = require(id);
    switch (r.state) {
      case "requested" -> {
        // Never made on the server: nothing to close there.
        r.state = "archived";
        r.archivedAt = OffsetDateTime.now();
      }
      case "open" -> r.state = "archiving";
      default -> {
        // archiving or archived already: asking again changes nothing
      }
    }
    r.attempts = 0;
    r.updatedAt = OffsetDateTime.now();
    em.flush();
    return view(r);
  }

  @Transactional
  public RoomView get(UUID id) {
    return view(require(id));
  }

  private Room require(UUID id) {
    Room r = Room.findById(id);
    if (r == null) {
      throw ProblemException.notFound("No room " + id + " in the commons.");
    }
    return r;
  }

  /** Rooms in the order they were opened, a page at a time; a theme's own room first. */
  @Transactional
  public Page<RoomView> list(String theme, boolean archived, Integer limit, String cursor) {
    int size = Cursors.limit(limit, 50, config.maxPageSize());
    String after = Cursors.decode(cursor);
    StringBuilder where = new StringBuilder(archived ? "state = 'archived'" : "state in ?1");
    List<Object> params = new java.util.ArrayList<>();
    if (!archived) {
      params.add(LIVE);
    }
    if (theme != null) {
      if (themes.list().stream().noneMatch(t -> t.slug.equals(theme))) {
        throw ProblemException.invalid("theme", "is not a theme of this platform");
      }
      params.add(theme);
      where.append(" and themeSlug = ?").append(params.size());
    }
    if (after != null) {
      String[] parts = after.split("\\|", 3);
      try {
        boolean main = Boolean.parseBoolean(parts[0]);
        OffsetDateTime at = OffsetDateTime.parse(parts[1]);
        UUID id = UUID.fromString(parts[2]);
        params.add(main);
        params.add(at);
        params.add(id);
        int n = params.size();
        where
            .append(" and (main < ?")
            .append(n - 2)
            .append(" or (main = ?")
            .append(n - 2)
            .append(" and (createdAt > ?")
            .append(n - 1)
            .append(" or (createdAt = ?")
            .append(n - 1)
            .append(" and id > ?")
            .append(n)
            .append("))))");
      } catch (RuntimeException e) {
        throw ProblemException.invalid("cursor", "is not a cursor this API gave");
      }
    }
    List<Room> found =
        Room.<Room>find(where + " order by main desc, createdAt, id", params.toArray())
            .range(0, size)
            .list();
    String next = null;
    if (found.size() > size) {
      found = found.subList(0, size);
      Room last = found.get(size - 1);
      next = Cursors.encode(last.main + "|" + last.createdAt + "|" + last.id);
    }
    Optional<ProvisioningCommons.Server> s = server.get();
    return new Page<>(found.stream().map(r -> view(r, s)).toList(), next);
  }

  RoomView view(Room r) {
    return view(r, server.get());
  }

  private RoomView view(Room r, Optional<ProvisioningCommons.Server> s) {
    String address = s.map(srv -> "#" + r.alias + ":" + srv.serverName()).orElse(null);
    String matrixTo =
        address == null
            ? null
            : config.matrixTo() + URLEncoder.encode(address, StandardCharsets.UTF_8);
    return new RoomView(
        r.id,
        r.themeSlug,
        r.alias,
        address,
        r.name,
        r.topic,
        r.main,
        r.state,
        r.members,
        matrixTo,
        r.reason,
        r.createdAt,
        r.archivedAt);
  }
}
