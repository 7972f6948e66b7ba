package coop.salons.commons.directory;

import coop.salons.commons.CommonsConfig;
import coop.salons.commons.directory.ProvisioningServers.MatrixServer;
import coop.salons.commons.directory.PublicRooms.PublicRoom;
import coop.salons.commons.room.Room;
import coop.salons.commons.server.CommonsServerAddress;
import coop.salons.commons.server.ProvisioningCommons;
import coop.salons.commons.theme.Theme;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keeps the directory true to the servers: every association's server that has published rooms is
 * read through its public room list (a few at a time), every 15 minutes by default and at once when
 * the organisation asks; a room its server no longer lists (unpublished there, made private,
 * deleted) or whose topic says {@code noindex} leaves the directory. A server that does not answer
 * keeps its rooms, marked stale, for {@code salons.commons.directory.stale-for}; then they leave
 * too. The commons server's rooms are listed from what {@code RoomSync} knows of them.
 */
@ApplicationScoped
public class DirectoryRefresh {

  @Inject CommonsConfig config;
  @Inject MatrixServers servers;
  @Inject CommonsServerAddress commons;
  @Inject EntityManager em;
  @Inject SearchCache cache;

  /** What one refresh did. */
  public record Outcome(int servers, int answered, int listed, int gone) {}

  @Scheduled(
      every = "${salons.commons.directory.refresh-every:15m}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    try {
      Outcome o = refresh(withListings());
      Log.infof(
          "Directory refreshed: %d servers (%d answered), %d rooms listed, %d gone",
          o.servers(), o.answered(), o.listed(), o.gone());
    } catch (RuntimeException e) {
      Log.warnf("Directory refresh failed: %s", e.getMessage());
    }
  }

  /** The servers with rooms in the directory (listed, or gone and maybe back). */
  List<MatrixServer> withListings() {
    Set<String> names =
        Set.copyOf(
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        em.createQuery(
                                "select distinct l.serverName from Listing l where"
                                    + " l.organizationSlug is not null and l.state in ('listed',"
                                    + " 'gone')",
                                String.class)
                            .getResultList()));
    return servers.all().stream().filter(s -> names.contains(s.serverName())).toList();
  }

  /**
   * Reads these servers (a few at a time) and brings their listings and the commons' up to date.
   */
  public Outcome refresh(Collection<MatrixServer> targets) {
    Map<MatrixServer, Future<List<PublicRoom>>> reads = new HashMap<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(config.directory().concurrency(), targets.size())));
    try {
      for (MatrixServer s : targets) {
        reads.put(
            s, pool.submit(() -> PublicRooms.read(s.url(), config.directory().readTimeout())));
      }
      int answered = 0;
      int listed = 0;
      int gone = 0;
      for (var e : reads.entrySet()) {
        Optional<List<PublicRoom>> rooms;
        String error = null;
        try {
          rooms = Optional.of(e.getValue().get());
          answered++;
        } catch (ExecutionException failed) {
          rooms = Optional.empty();
          error = String.valueOf(failed.getCause().getMessage());
        }
        int[] counts = apply(e.getKey(), rooms, error);
        listed += counts[0];
        gone += counts[1];
      }
      commonsRooms(true);
      cache.forget();
      return new Outcome(targets.size(), answered, listed, gone);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One server's answer (or silence) applied to its listings; answers [listed, gone]. */
  private int[] apply(MatrixServer s, Optional<List<PublicRoom>> rooms, String error) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              OffsetDateTime now = OffsetDateTime.now();
              em.createNativeQuery(
                      "INSERT INTO directory_server (server_name, organization_slug, url,"
                          + " refreshed_at, stale_since, error) VALUES (:name, :org, :url,"
                          + " CASE WHEN :ok THEN CAST(:now AS timestamptz) END,"
                          + " CASE WHEN :ok THEN NULL ELSE CAST(:now AS timestamptz) END, :error)"
                          + " ON CONFLICT (server_name) DO UPDATE SET organization_slug ="
                          + " excluded.organization_slug, url = excluded.url, refreshed_at ="
                          + " coalesce(excluded.refreshed_at, directory_server.refreshed_at),"
                          + " stale_since = CASE WHEN :ok THEN NULL ELSE"
                          + " coalesce(directory_server.stale_since, excluded.stale_since) END,"
                          + " error = excluded.error")
                  .setParameter("name", s.serverName())
                  .setParameter("org", s.organization())
                  .setParameter("url", s.url())
                  .setParameter("ok", rooms.isPresent())
                  .setParameter("now", now)
                  .setParameter("error", error == null ? null : Directory.cut(error, 1000))
                  .executeUpdate();
              List<Listing> mine =
                  Listing.list(
                      "serverName = ?1 and organizationSlug is not null and state in ('listed',"
                          + " 'gone')",
                      s.serverName());
              int listed = 0;
              int gone = 0;
              if (rooms.isEmpty()) {
                OffsetDateTime staleSince =
                    (OffsetDateTime)
                        em.createNativeQuery(
                                "SELECT stale_since FROM directory_server WHERE server_name = ?1",
                                OffsetDateTime.class)
                            .setParameter(1, s.serverName())
                            .getSingleResult();
                boolean tooLong =
                    staleSince != null
                        && staleSince.plus(config.directory().staleFor()).isBefore(now);
                for (Listing l : mine) {
                  if (tooLong && "listed".equals(l.state)) {
                    l.state = "gone";
                    l.reason = "its server has not answered since " + staleSince;
                    l.changedAt = now;
                    gone++;
                  }
                }
                return new int[] {0, gone};
              }
              Map<String, PublicRoom> byId = new HashMap<>();
              rooms.get().forEach(r -> byId.put(r.roomId(), r));
              for (Listing l : mine) {
                PublicRoom r = byId.get(l.roomId);
                if (r != null && !r.noindex()) {
                  Directory.seen(l, r, now);
                  listed++;
                } else if (!"gone".equals(l.state)) {
                  l.state = "gone";
                  l.reason =
                      r == null
                          ? "no longer in the public room list of " + s.serverName()
                          : "its topic asks not to be listed (noindex)";
                  l.changedAt = now;
                  gone++;
                }
              }
              em.flush();
              activities(s.serverName(), now.toLocalDate());
              return new int[] {listed, gone};
            });
  }

  /**
   * Today's member count of every listed room of a server, and each one's growth since the oldest
   * count of the last 7 days: two statements for the whole server.
   */
  private void activities(String serverName, LocalDate today) {
    em.createNativeQuery(
            "INSERT INTO listing_activity (listing_id, day, members) SELECT id, ?1, members"
                + " FROM listing WHERE server_name = ?2 AND state = 'listed'"
                + " ON CONFLICT (listing_id, day) DO UPDATE SET members = excluded.members")
        .setParameter(1, today)
        .setParameter(2, serverName)
        .executeUpdate();
    em.createNativeQuery(
            "UPDATE listing l SET growth = l.members - a.members FROM (SELECT DISTINCT ON"
                + " (x.listing_id) x.listing_id, x.members FROM listing_activity x JOIN listing y"
                + " ON y.id = x.listing_id WHERE y.server_name = ?2 AND y.state = 'listed'"
                + " AND x.day >= ?1 ORDER BY x.listing_id, x.day) a"
                + " WHERE a.listing_id = l.id AND l.growth IS DISTINCT FROM l.members - a.members")
        .setParameter(1, today.minusDays(7))
        .setParameter(2, serverName)
        .executeUpdate();
  }

  /** The commons server's rooms enter the directory as soon as they are made. */
  @Scheduled(
      every = "${salons.commons.sync-every:5s}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void commonsTick() {
    try {
      commonsRooms(false);
    } catch (RuntimeException e) {
      Log.debugf("Commons rooms not listed yet: %s", e.getMessage());
    }
  }

  /**
   * The commons server's open rooms, listed under their theme; archived ones leave. Only what
   * changed is written; the day's member count too when {@code counting}.
   */
  void commonsRooms(boolean counting) {
    Optional<ProvisioningCommons.Server> server = commons.get();
    if (server.isEmpty()) {
      return;
    }
    String serverName = server.get().serverName();
    boolean[] changedAny = {false};
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              OffsetDateTime now = OffsetDateTime.now();
              Map<String, Theme> themes = new HashMap<>();
              Theme.<Theme>listAll().forEach(t -> themes.put(t.slug, t));
              Map<UUID, Listing> listings = new HashMap<>();
              Listing.<Listing>list("commonsRoomId is not null")
                  .forEach(l -> listings.put(l.commonsRoomId, l));
              for (Room r : Room.<Room>list("roomId is not null")) {
                Listing l = listings.get(r.id);
                boolean open = "open".equals(r.state);
                if (l == null && !open) {
                  continue;
                }
                if (l == null) {
                  l = new Listing();
                  l.id = UUID.randomUUID();
                  l.commonsRoomId = r.id;
                  l.serverName = serverName;
                  l.roomId = r.roomId;
                  l.language = "fr-en";
                  l.tags = new String[0];
                  l.publishedAt = r.createdAt;
                  l.state = "listed";
                }
                if ("hidden".equals(l.state)) {
                  continue;
                }
                Theme t = themes.get(r.themeSlug);
                String alias = "#" + r.alias + ":" + serverName;
                String words = Directory.themeWords(t == null ? List.of() : List.of(t), l.tags);
                String state = open ? "listed" : "gone";
                boolean changed =
                    !em.contains(l)
                        || !state.equals(l.state)
                        || l.members != r.members
                        || !r.name.equals(l.name)
                        || !java.util.Objects.equals(r.topic, l.topic)
                        || !alias.equals(l.alias)
                        || !words.equals(l.themeWords);
                if (changed) {
                  l.themes = new String[] {r.themeSlug};
                  l.themeWords = words;
                  l.alias = alias;
                  l.name = r.name;
                  l.topic = r.topic;
                  if (t != null) {
                    l.descriptionFr = t.descriptionFr;
                    l.descriptionEn = t.descriptionEn;
                  }
                  l.members = r.members;
                  l.state = state;
                  l.reason = open ? null : "archived by the hoster";
                  l.changedAt = now;
                  l.seenAt = now;
                  if (!em.contains(l)) {
                    l.persist();
                  }
                  changedAny[0] = true;
                }
              }
            });
    if (counting) {
      QuarkusTransaction.requiringNew()
          .run(() -> activities(serverName, OffsetDateTime.now().toLocalDate()));
    }
    if (changedAny[0]) {
      cache.forget();
    }
  }
}
