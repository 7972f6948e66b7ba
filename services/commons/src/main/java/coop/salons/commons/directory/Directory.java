package coop.salons.commons.directory;

import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.commons.CommonsConfig;
import coop.salons.commons.directory.DirectoryDtos.Candidate;
import coop.salons.commons.directory.DirectoryDtos.ListingView;
import coop.salons.commons.directory.DirectoryDtos.Neighbour;
import coop.salons.commons.directory.DirectoryDtos.Publish;
import coop.salons.commons.directory.ProvisioningServers.MatrixServer;
import coop.salons.commons.directory.PublicRooms.PublicRoom;
import coop.salons.commons.theme.Theme;
import coop.salons.commons.theme.Themes;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The directory of the commons: what associations' admins publish from their own servers' public
 * room lists, and the commons server's rooms; searched in French and English. {@link
 * DirectoryRefresh} keeps it true to the servers.
 */
@ApplicationScoped
public class Directory {

  /** The sorts the search offers. */
  public static final List<String> SORTS = List.of("relevance", "new", "growing");

  @Inject CommonsConfig config;
  @Inject Themes themes;
  @Inject EntityManager em;
  @Inject MatrixServers servers;
  @Inject SearchCache cache;

  /** The rooms of the organisation's servers' public room lists, read now. */
  public List<Candidate> candidates(String org) {
    List<Candidate> out = new ArrayList<>();
    for (MatrixServer s : servers.of(org)) {
      List<PublicRoom> rooms = read(s);
      Map<String, UUID> listed =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      Listing.<Listing>list(
                              "serverName = ?1 and state in ('listed', 'gone')", s.serverName())
                          .stream()
                          .collect(Collectors.toMap(l -> l.roomId, l -> l.id, (a, b) -> a)));
      for (PublicRoom r : rooms) {
        out.add(
            new Candidate(
                s.serverName(),
                r.roomId(),
                r.alias(),
                r.name(),
                r.topic(),
                r.members(),
                r.noindex(),
                listed.get(r.roomId())));
      }
    }
    return out;
  }

  private List<PublicRoom> read(MatrixServer s) {
    try {
      return PublicRooms.read(s.url(), config.directory().readTimeout());
    } catch (RuntimeException e) {
      throw ProblemException.unavailable(
          "server-unreachable",
          "The organisation's server did not answer",
          "The public room list of " + s.serverName() + " could not be read: try again soon.");
    }
  }

  /**
   * An organisation's admin publishes a room of its own server's public room list: refused, with
   * nothing stored, for an unknown theme, a room of another server, a room its server does not list
   * publicly or whose topic says {@code noindex}, or past the day's share of the organisation.
   */
  public ListingView publish(String org, String userId, Publish p) {
    List<Theme> chosen = new ArrayList<>();
    for (String slug : p.themes()) {
      Theme t = QuarkusTransaction.requiringNew().call(() -> Theme.<Theme>findById(slug));
      if (t == null) {
        throw ProblemException.invalid("themes", "'" + slug + "' is not a theme of this platform");
      }
      chosen.add(t);
    }
    if (blank(p.descriptionFr()) && blank(p.descriptionEn())) {
      throw ProblemException.invalid(
          "descriptionFr", "a short description in French or in English is needed");
    }
    // An alias (and a room id before room version 12) names its server; a newer room id does not,
    // and is looked for in each of the organisation's servers' lists.
    int colon = p.room().indexOf(':');
    List<MatrixServer> own = servers.of(org);
    List<MatrixServer> where = own;
    if (colon > 0) {
      String named = p.room().substring(colon + 1);
      where = own.stream().filter(s -> s.serverName().equals(named)).toList();
      if (where.isEmpty()) {
        throw ProblemException.invalid(
            "room",
            "is not a room of a Matrix server of '"
                + org
                + "': an organisation publishes rooms of its own servers only");
      }
    }
    MatrixServer server = null;
    PublicRoom room = null;
    for (MatrixServer s : where) {
      Optional<PublicRoom> found =
          read(s).stream()
              .filter(r -> r.roomId().equals(p.room()) || p.room().equals(r.alias()))
              .findFirst();
      if (found.isPresent()) {
        server = s;
        room = found.get();
        break;
      }
    }
    if (room == null) {
      throw ProblemException.invalid(
          "room",
          "is not in the public room list of "
              + (where.isEmpty()
                  ? "a Matrix server of '" + org + "' (it has none)"
                  : where.stream().map(MatrixServer::serverName).collect(Collectors.joining(", ")))
              + ": publish it there first (in its settings, \"publish to the room directory\")");
    }
    if (room.noindex()) {
      throw ProblemException.invalid("room", "its topic asks not to be listed (noindex)");
    }
    MatrixServer in = server;
    PublicRoom listed = room;
    ListingView stored =
        QuarkusTransaction.requiringNew().call(() -> store(org, userId, p, chosen, in, listed));
    cache.forget();
    return stored;
  }

  private ListingView store(
      String org,
      String userId,
      Publish p,
      List<Theme> chosen,
      MatrixServer server,
      PublicRoom room) {
    // One publication of an organisation at a time, so that the day's share cannot be overrun.
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('directory-publish:' || ?1))")
        .setParameter(1, org)
        .getSingleResult();
    OffsetDateTime now = OffsetDateTime.now();
    long today = Listing.count("organizationSlug = ?1 and publishedAt > ?2", org, now.minusDays(1));
    if (today >= config.directory().publishesPerDay()) {
      throw new ProblemException(
          429,
          "rate-limited",
          "Too many publications",
          "'"
              + org
              + "' published "
              + today
              + " rooms in the last 24 hours, the most an organisation may: try again tomorrow.",
          List.of(),
          Map.of("limit", config.directory().publishesPerDay()));
    }
    Listing l =
        Listing.<Listing>find("serverName = ?1 and roomId = ?2", server.serverName(), room.roomId())
            .firstResult();
    if (l != null && "hidden".equals(l.state)) {
      throw ProblemException.forbidden(
          "The hoster took this room out of the directory: " + l.reason);
    }
    if (l == null) {
      l = new Listing();
      l.id = UUID.randomUUID();
      l.serverName = server.serverName();
      l.roomId = room.roomId();
    }
    l.organizationSlug = org;
    l.themes = p.themes().stream().distinct().toArray(String[]::new);
    l.tags = p.tags() == null ? new String[0] : p.tags().stream().distinct().toArray(String[]::new);
    l.themeWords = themeWords(chosen, l.tags);
    l.descriptionFr = blank(p.descriptionFr()) ? null : p.descriptionFr().strip();
    l.descriptionEn = blank(p.descriptionEn()) ? null : p.descriptionEn().strip();
    l.language = p.language();
    l.publishedBy = userId;
    l.publishedAt = now;
    seen(l, room, now);
    l.persist();
    em.flush();
    Log.infof("Directory: %s published %s (%s)", org, l.roomId, String.join(",", l.themes));
    return view(l, Set.of());
  }

  static String themeWords(Collection<Theme> chosen, String[] tags) {
    List<String> words = new ArrayList<>();
    for (Theme t : chosen) {
      words.add(t.nameFr);
      words.add(t.nameEn);
    }
    words.addAll(Arrays.asList(tags));
    String joined = String.join(" ", words).replace('-', ' ');
    return joined.length() <= 2000 ? joined : joined.substring(0, 2000);
  }

  /** What the server's list says of a listed room now. */
  static void seen(Listing l, PublicRoom room, OffsetDateTime now) {
    l.alias = room.alias();
    l.name =
        cut(
            room.name() != null ? room.name() : room.alias() != null ? room.alias() : l.roomId,
            255);
    l.topic = room.topic() == null ? null : cut(room.topic(), 1000);
    l.members = room.members();
    l.state = "listed";
    l.reason = null;
    l.seenAt = now;
    l.changedAt = now;
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** The organisation takes a room out of the directory. */
  public ListingView unpublish(String org, UUID id) {
    ListingView out = unpublishNow(org, id);
    cache.forget();
    return out;
  }

  private ListingView unpublishNow(String org, UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Listing l = Listing.findById(id);
              if (l == null || !org.equals(l.organizationSlug)) {
                throw ProblemException.notFound("No room " + id + " published by '" + org + "'.");
              }
              if (!"hidden".equals(l.state)) {
                l.state = "unpublished";
                l.reason = null;
              }
              l.changedAt = OffsetDateTime.now();
              em.flush();
              return view(l, Set.of());
            });
  }

  /** The rooms an organisation published, whatever their state. */
  public List<ListingView> ofOrganization(String org) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Set<String> stale = staleServers();
              return Listing.<Listing>list(
                      "organizationSlug = ?1 order by publishedAt desc, id", org)
                  .stream()
                  .map(l -> view(l, stale))
                  .toList();
            });
  }

  /** One listing as everyone sees it (hidden and unpublished ones are not found). */
  public ListingView get(UUID id, boolean hoster) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Listing l = Listing.findById(id);
              if (l == null || (!hoster && !"listed".equals(l.state))) {
                throw ProblemException.notFound("No room " + id + " in the directory.");
              }
              return view(l, staleServers());
            });
  }

  /**
   * Searches the listed rooms: French and English stemming, accents ignored, small typos forgiven;
   * filtered by theme and language; ranked by relevance, then joined members, then growth.
   */
  public Page<ListingView> search(
      String q, String theme, String language, String sort, Integer limit, String cursor) {
    int size = Cursors.limit(limit, 20, config.maxPageSize());
    int offset = 0;
    String after = Cursors.decode(cursor);
    if (after != null) {
      try {
        offset = Integer.parseInt(after.substring(after.indexOf(':') + 1));
        if (!after.startsWith("o:") || offset < 0 || offset > 10_000) {
          throw new NumberFormatException();
        }
      } catch (RuntimeException e) {
        throw ProblemException.invalid("cursor", "is not a cursor this API gave");
      }
    }
    if (theme != null) {
      requireTheme(theme);
    }
    if (language != null && !List.of("fr", "en").contains(language)) {
      throw ProblemException.invalid("language", "must be fr or en");
    }
    String order = sort == null ? "relevance" : sort;
    if (!SORTS.contains(order)) {
      throw ProblemException.invalid("sort", "must be one of " + SORTS);
    }
    String text = q == null ? "" : q.strip();
    if (text.length() > 200) {
      throw ProblemException.invalid("q", "must be at most 200 characters");
    }
    String key =
        String.join(
            "\u0000",
            text,
            String.valueOf(theme),
            String.valueOf(language),
            order,
            size + "",
            offset + "");
    Page<ListingView> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    long generation = cache.generation();
    int from = offset;
    Page<ListingView> page =
        QuarkusTransaction.requiringNew()
            .call(() -> searchNow(text, theme, language, order, size, from));
    cache.put(key, page, generation);
    return page;
  }

  /**
   * The search itself: full-text matches first (ranked), then, when they do not fill the page, the
   * names and themes' words a small typo away (through the trigram index only: a scan of every room
   * for a typo would cost as much as the rest together).
   */
  private Page<ListingView> searchNow(
      String text, String theme, String language, String order, int size, int offset) {
    boolean query = !text.isEmpty();
    String filters =
        (theme != null ? " AND l.themes @> ARRAY[CAST(:theme AS varchar)]" : "")
            + (language != null ? " AND l.language IN (:language, 'fr-en')" : "");
    String tail = " l.members DESC, l.growth DESC, l.id LIMIT :limit OFFSET :offset";
    String head =
        "SELECT l.* FROM listing l"
            + (query
                ? ", (SELECT websearch_to_tsquery('french', directory_fold(:q))"
                    + " || websearch_to_tsquery('english', directory_fold(:q)) AS ts,"
                    + " directory_fold(:q) AS raw) q"
                : "")
            + " WHERE l.state = 'listed'"
            + filters;
    String ranking =
        switch (order) {
          case "new" -> "l.published_at DESC,";
          case "growing" -> "l.growth DESC,";
          default -> query ? "ts_rank(l.document, q.ts) DESC," : "";
        };
    List<Listing> found =
        run(
            head + (query ? " AND l.document @@ q.ts" : "") + " ORDER BY " + ranking + tail,
            text,
            query,
            theme,
            language,
            size + 1,
            offset);
    if (query
        && found.isEmpty()
        && (offset == 0 || count(head + " AND l.document @@ q.ts", text, theme, language) == 0)) {
      // Nothing matches the words as written: the names and themes' words a small typo away.
      em.createNativeQuery("SET LOCAL enable_seqscan = off").executeUpdate();
      found =
          run(
              head
                  + " AND q.raw OPERATOR(public.<%) l.words"
                  + " ORDER BY public.word_similarity(q.raw, l.words) DESC,"
                  + tail,
              text,
              true,
              theme,
              language,
              size + 1,
              offset);
    }
    String next = null;
    if (found.size() > size) {
      found = found.subList(0, size);
      next = Cursors.encode("o:" + (offset + size));
    }
    Set<String> stale = staleServers();
    return new Page<>(found.stream().map(l -> view(l, stale)).toList(), next);
  }

  private List<Listing> run(
      String sql,
      String text,
      boolean query,
      String theme,
      String language,
      int limit,
      int offset) {
    var nq = em.createNativeQuery(sql, Listing.class);
    bind(nq, text, query, theme, language);
    nq.setParameter("limit", limit);
    nq.setParameter("offset", offset);
    @SuppressWarnings("unchecked")
    List<Listing> found = nq.getResultList();
    return found;
  }

  private int count(String sql, String text, String theme, String language) {
    var nq = em.createNativeQuery(sql.replaceFirst("SELECT l\\.\\*", "SELECT count(*)"));
    bind(nq, text, true, theme, language);
    return ((Number) nq.getSingleResult()).intValue();
  }

  private static void bind(
      jakarta.persistence.Query nq, String text, boolean query, String theme, String language) {
    if (query) {
      nq.setParameter("q", text);
    }
    if (theme != null) {
      nq.setParameter("theme", theme);
    }
    if (language != null) {
      nq.setParameter("language", language);
    }
  }

  /** The newest listed rooms (of a theme), for the feeds. */
  public List<ListingView> newest(String theme, int max) {
    if (theme != null) {
      requireTheme(theme);
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              var nq =
                  em.createNativeQuery(
                      "SELECT l.* FROM listing l WHERE l.state = 'listed'"
                          + (theme == null ? "" : " AND l.themes @> ARRAY[CAST(:theme AS varchar)]")
                          + " ORDER BY l.published_at DESC, l.id LIMIT :max",
                      Listing.class);
              if (theme != null) {
                nq.setParameter("theme", theme);
              }
              nq.setParameter("max", max);
              @SuppressWarnings("unchecked")
              List<Listing> found = nq.getResultList();
              Set<String> stale = staleServers();
              return found.stream().map(l -> view(l, stale)).toList();
            });
  }

  /** Organisations with listed rooms on the themes of this one: its neighbours. */
  public List<Neighbour> neighbours(String org) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Set<String> mine = new HashSet<>();
              themes.ofOrganization(org).forEach(t -> mine.add(t.slug));
              for (Listing l : Listing.<Listing>list("organizationSlug", org)) {
                mine.addAll(Arrays.asList(l.themes));
              }
              Map<String, Set<String>> shared = new LinkedHashMap<>();
              Map<String, Integer> rooms = new LinkedHashMap<>();
              for (Listing l :
                  Listing.<Listing>list(
                      "state = 'listed' and organizationSlug is not null and organizationSlug <> ?1"
                          + " order by organizationSlug",
                      org)) {
                Set<String> common = new HashSet<>(Arrays.asList(l.themes));
                common.retainAll(mine);
                if (!common.isEmpty()) {
                  shared
                      .computeIfAbsent(l.organizationSlug, k -> new java.util.TreeSet<>())
                      .addAll(common);
                  rooms.merge(l.organizationSlug, 1, Integer::sum);
                }
              }
              return shared.entrySet().stream()
                  .map(
                      e ->
                          new Neighbour(
                              e.getKey(), List.copyOf(e.getValue()), rooms.get(e.getKey())))
                  .sorted(
                      (a, b) ->
                          a.sharedThemes().size() != b.sharedThemes().size()
                              ? b.sharedThemes().size() - a.sharedThemes().size()
                              : a.organization().compareTo(b.organization()))
                  .toList();
            });
  }

  /** Who else works on a theme: the organisations with listed rooms on it, most rooms first. */
  public List<Map<String, Object>> organizationsOn(String theme) {
    requireTheme(theme);
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  em.createNativeQuery(
                          "SELECT organization_slug, count(*) FROM listing WHERE state = 'listed'"
                              + " AND organization_slug IS NOT NULL"
                              + " AND themes @> ARRAY[CAST(?1 AS varchar)]"
                              + " GROUP BY organization_slug ORDER BY count(*) DESC,"
                              + " organization_slug LIMIT 200")
                      .setParameter(1, theme)
                      .getResultList();
              return rows.stream()
                  .map(
                      r ->
                          Map.<String, Object>of(
                              "organization", r[0], "listedRooms", ((Number) r[1]).intValue()))
                  .toList();
            });
  }

  /** The commons in figures, for the public page's charts. */
  public DirectoryDtos.Stats stats() {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> themes =
                  em.createNativeQuery(
                          "SELECT t.slug, count(l.id), count(DISTINCT l.organization_slug),"
                              + " coalesce(sum(l.members), 0) FROM theme t LEFT JOIN listing l"
                              + " ON l.state = 'listed' AND l.themes @> ARRAY[t.slug]"
                              + " GROUP BY t.slug, t.position ORDER BY t.position, t.slug")
                      .getResultList();
              @SuppressWarnings("unchecked")
              List<Object[]> weeks =
                  em.createNativeQuery(
                          "SELECT CAST(w AS date), (SELECT count(*) FROM listing l WHERE"
                              + " l.state = 'listed' AND l.published_at < w + interval '7 days')"
                              + " FROM generate_series(date_trunc('week', now()) - interval '7"
                              + " weeks', date_trunc('week', now()), interval '1 week') w ORDER BY"
                              + " 1")
                      .getResultList();
              return new DirectoryDtos.Stats(
                  themes.stream()
                      .map(
                          r ->
                              new DirectoryDtos.ThemeFigures(
                                  (String) r[0],
                                  ((Number) r[1]).intValue(),
                                  ((Number) r[2]).intValue(),
                                  ((Number) r[3]).longValue()))
                      .toList(),
                  weeks.stream()
                      .map(
                          r ->
                              new DirectoryDtos.WeekFigures(
                                  r[0] instanceof java.sql.Date d
                                      ? d.toLocalDate()
                                      : (java.time.LocalDate) r[0],
                                  ((Number) r[1]).intValue()))
                      .toList());
            });
  }

  /** The theme of this slug; 400 naming the field {@code theme} when there is none. */
  private static void requireTheme(String slug) {
    if (slug == null
        || QuarkusTransaction.requiringNew().call(() -> Theme.findById(slug)) == null) {
      throw ProblemException.invalid("theme", "is not a theme of this platform");
    }
  }

  Set<String> staleServers() {
    @SuppressWarnings("unchecked")
    List<String> names =
        em.createNativeQuery(
                "SELECT server_name FROM directory_server WHERE stale_since IS NOT NULL")
            .getResultList();
    return new HashSet<>(names);
  }

  ListingView view(Listing l, Set<String> stale) {
    String address = l.alias != null ? l.alias : l.roomId;
    String matrixTo =
        config.matrixTo()
            + URLEncoder.encode(address, StandardCharsets.UTF_8)
            + (l.alias != null
                ? ""
                : "?via=" + URLEncoder.encode(l.serverName, StandardCharsets.UTF_8));
    return new ListingView(
        l.id,
        l.organizationSlug,
        l.serverName,
        l.roomId,
        address,
        matrixTo,
        l.name,
        l.topic,
        List.of(l.themes),
        List.of(l.tags),
        l.descriptionFr,
        l.descriptionEn,
        l.language,
        l.state,
        l.reason,
        l.members,
        l.growth,
        stale.contains(l.serverName),
        l.publishedAt);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
