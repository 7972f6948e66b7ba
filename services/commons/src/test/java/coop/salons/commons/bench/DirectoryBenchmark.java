package coop.salons.commons.bench;

import static io.restassured.RestAssured.given;

import com.sun.net.httpserver.HttpServer;
import coop.salons.commons.directory.DirectoryRefresh;
import coop.salons.commons.directory.ProvisioningServers.MatrixServer;
import coop.salons.testing.SalonsTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The directory figures of docs/benchmarks.md: relevance of the search on a generated directory of
 * 5,000 rooms (for each theme's query, the share of the first 10 results on that theme), search
 * latency with 100,000 rooms and 50 concurrent clients, and a refresh of 1,000 homeservers of 20
 * rooms each, stand-in servers answering Matrix's public room list (the real Synapses of the local
 * runtime are too heavy to run a thousand of here). Run it with {@code bench/directory.sh}; the
 * generator's seed is printed ({@code -Dbench.seed=...} to replay).
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class DirectoryBenchmark {

  static final long SEED = Long.getLong("bench.seed", System.currentTimeMillis());
  static final int CLIENTS = 50;
  static final int REQUESTS_PER_CLIENT = Integer.getInteger("bench.requests", 40);

  @Inject AgroalDataSource db;
  @Inject DirectoryRefresh refresh;

  /** Each theme's words, the way associations name rooms about it, in both languages. */
  static final String[][] WORDS = {
    {
      "climat",
      "Climat",
      "Climatique",
      "Fresque du climat",
      "Transition",
      "Carbone",
      "Climate",
      "Climate action"
    },
    {
      "logiciel-libre",
      "Logiciel libre",
      "Linux",
      "Libriste",
      "Free software",
      "Open source",
      "Dégooglisons"
    },
    {
      "education-populaire",
      "Éducation populaire",
      "Ateliers",
      "Savoirs partagés",
      "Popular education",
      "Learning circle"
    },
    {"logement", "Logement", "Habitat participatif", "Mal-logement", "Housing", "Tenants"},
    {"alimentation", "Alimentation", "AMAP", "Jardin potager", "Food", "Food bank", "Cantine"},
    {"culture", "Culture", "Théâtre", "Musique", "Arts", "Cinéma", "Festival"},
    {
      "economie-solidaire",
      "Économie solidaire",
      "Coopérative",
      "Monnaie locale",
      "Solidarity economy",
      "Co-op"
    },
    {"solidarites", "Solidarités", "Entraide", "Maraude", "Mutual aid", "Solidarity"},
    {"mobilites", "Mobilités", "Vélo", "Covoiturage", "Cycling", "Car sharing"},
    {"biodiversite", "Biodiversité", "Abeilles", "Haies", "Biodiversity", "Wildlife"},
  };

  /** The query a person types for each theme (no accents, singular or plural, one typo). */
  static final String[] QUERIES = {
    "climatique", "logiciels libres", "education populaire", "logement", "alimentation",
    "culture", "economie solidaire", "entraide", "velo", "biodiversite"
  };

  static final String[] PLACES = {
    "Lyon", "Rennes", "Lille", "Marseille", "Nantes", "Grenoble", "Brest", "Dijon"
  };

  @Test
  void directoryFigures() throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("DirectoryBenchmark ")
        .append(OffsetDateTime.now())
        .append(" seed ")
        .append(SEED)
        .append('\n');
    Random random = new Random(SEED);
    clear();

    // 1. Relevance on 5,000 rooms.
    insert(random, 5_000);
    double sum = 0;
    double worst = 1;
    for (int t = 0; t < WORDS.length; t++) {
      List<String> themes =
          given()
              .queryParam("q", QUERIES[t])
              .queryParam("limit", 10)
              .get("/api/v1/commons/directory")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.collect { it.themes[0] }", String.class);
      long right = themes.stream().filter(WORDS[t][0]::equals).count();
      double precision = themes.isEmpty() ? 0 : right / 10.0;
      out.append(
          String.format("  precision@10 '%s' (%s): %.1f%n", QUERIES[t], WORDS[t][0], precision));
      sum += precision;
      worst = Math.min(worst, precision);
    }
    out.append(
        String.format(
            "relevance, 5,000 rooms: mean precision@10 %.2f, worst %.1f%n",
            sum / WORDS.length, worst));

    // 2. Search with 100,000 rooms, 50 concurrent clients.
    insert(random, 95_000);
    analyze();
    out.append(
        searchLine(
            "search, 100,000 rooms, 1 client, every search a new one (no cache)",
            random,
            1,
            200,
            true));
    out.append(
        searchLine(
            "search, 100,000 rooms, " + CLIENTS + " clients, every search a new one (no cache)",
            random,
            CLIENTS,
            10,
            true));
    out.append(
        searchLine(
            "search, 100,000 rooms, " + CLIENTS + " clients, the 10 theme words ± a theme filter",
            random,
            CLIENTS,
            REQUESTS_PER_CLIENT,
            false));

    // 3. A refresh of 1,000 stand-in homeservers of 20 rooms each.
    clear();
    out.append(refreshLine(1_000, 20));

    clear(); // the suite's tests share this database
    System.out.print(out);
    Files.writeString(Path.of("target/bench-directory.txt"), out.toString());
  }

  /**
   * Searches by {@code clients} at once, {@code each} each; {@code unique}: each search differs
   * from every other (a place added, a page size never asked), so no answer comes from the cache.
   */
  private String searchLine(String what, Random random, int clients, int each, boolean unique)
      throws Exception {
    String base =
        "http://localhost:" + io.restassured.RestAssured.port + "/api/v1/commons/directory?q=";
    HttpClient http = HttpClient.newHttpClient();
    // warm up
    for (int i = 0; i < 200; i++) {
      http.send(
          HttpRequest.newBuilder(URI.create(base + enc(QUERIES[i % QUERIES.length]))).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    java.util.concurrent.atomic.AtomicInteger serial =
        new java.util.concurrent.atomic.AtomicInteger(100);
    List<Future<List<Double>>> runs = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long seed = random.nextLong();
      runs.add(
          pool.submit(
              () -> {
                Random r = new Random(seed);
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                  String q = QUERIES[r.nextInt(QUERIES.length)];
                  String url =
                      base
                          + enc(unique ? q + " " + PLACES[r.nextInt(PLACES.length)] : q)
                          + (r.nextBoolean() ? "&theme=" + WORDS[r.nextInt(WORDS.length)][0] : "")
                          + (unique ? "&limit=" + (20 + serial.getAndIncrement() % 80) : "");
                  long t0 = System.nanoTime();
                  HttpResponse<Void> a =
                      http.send(
                          HttpRequest.newBuilder(URI.create(url)).build(),
                          HttpResponse.BodyHandlers.discarding());
                  ms.add((System.nanoTime() - t0) / 1e6);
                  if (a.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + a.statusCode());
                  }
                }
                return ms;
              }));
    }
    List<Double> all = new ArrayList<>();
    long start = System.nanoTime();
    for (Future<List<Double>> f : runs) {
      all.addAll(f.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    Collections.sort(all);
    return String.format(
        "%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests, %.0f/s)%n",
        what,
        all.get((int) (0.5 * (all.size() - 1))),
        all.get((int) Math.ceil(0.99 * (all.size() - 1))),
        all.get(all.size() - 1),
        all.size(),
        all.size() / seconds);
  }

  private String refreshLine(int servers, int rooms) throws Exception {
    HttpServer standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    standIn.setExecutor(Executors.newFixedThreadPool(8));
    standIn.createContext(
        "/",
        exchange -> {
          // /s/<n>/_matrix/client/v3/publicRooms
          String[] parts = exchange.getRequestURI().getPath().split("/");
          int n = Integer.parseInt(parts[2]);
          StringBuilder body = new StringBuilder("{\"chunk\":[");
          for (int i = 0; i < rooms; i++) {
            if (i > 0) body.append(',');
            body.append("{\"room_id\":\"!r")
                .append(i)
                .append(":s")
                .append(n)
                .append(".example\",\"name\":\"Salon ")
                .append(i)
                .append("\",\"topic\":\"Sujet ")
                .append(i)
                .append("\",\"num_joined_members\":")
                .append(3 + i)
                .append(",\"join_rule\":\"public\"}");
          }
          body.append("],\"total_room_count_estimate\":").append(rooms).append('}');
          byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    standIn.start();
    try {
      List<MatrixServer> targets = new ArrayList<>();
      try (Connection c = db.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO listing (id, organization_slug, server_name, room_id, name, themes, language,"
                      + " state, published_at, seen_at, changed_at, version) VALUES (?, ?, ?, ?, ?,"
                      + " ARRAY['climat']::varchar[], 'fr', 'listed', now(), now(), now(), 0)")) {
        for (int n = 0; n < servers; n++) {
          targets.add(
              new MatrixServer(
                  "bench-" + n,
                  "chat",
                  "s" + n + ".example",
                  "http://127.0.0.1:" + standIn.getAddress().getPort() + "/s/" + n,
                  "ready"));
          for (int i = 0; i < rooms; i++) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, "bench-" + n);
            ps.setString(3, "s" + n + ".example");
            ps.setString(4, "!r" + i + ":s" + n + ".example");
            ps.setString(5, "Salon " + i);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      System.gc();
      Runtime rt = Runtime.getRuntime();
      long before = rt.totalMemory() - rt.freeMemory();
      long t0 = System.nanoTime();
      DirectoryRefresh.Outcome o = refresh.refresh(targets);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long after = rt.totalMemory() - rt.freeMemory();
      return String.format(
          "refresh of %d stand-in homeservers x %d rooms: %.1f s (%d answered, %d rooms listed);"
              + " heap used %d MiB before, %d MiB after (max heap %d MiB)%n",
          servers,
          rooms,
          seconds,
          o.answered(),
          o.listed(),
          before >> 20,
          after >> 20,
          rt.maxMemory() >> 20);
    } finally {
      standIn.stop(0);
    }
  }

  /** Rooms like associations name them: a theme's words, a place, accents or not, some typos. */
  private void insert(Random random, int count) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO listing (id, organization_slug, server_name, room_id, name, topic, themes,"
                    + " theme_words, description_fr, description_en, language, state, members, growth,"
                    + " published_at, seen_at, changed_at, version) VALUES (?, ?, ?, ?, ?, ?,"
                    + " ARRAY[?]::varchar[], ?, ?, ?, ?, 'listed', ?, ?, now() - make_interval(hours => ?),"
                    + " now(), now(), 0)")) {
      for (int i = 0; i < count; i++) {
        int t = random.nextInt(WORDS.length);
        String[] w = WORDS[t];
        String word = w[1 + random.nextInt(w.length - 1)];
        String place = PLACES[random.nextInt(PLACES.length)];
        String name = word + " " + place;
        if (random.nextInt(5) == 0) {
          name = stripAccents(name);
        }
        if (random.nextInt(10) == 0) {
          name = typo(name, random);
        }
        // Some descriptions mention another theme in passing: the noise a search must rank below.
        String other = WORDS[random.nextInt(WORDS.length)][1];
        boolean french = random.nextBoolean();
        String fr =
            "On se retrouve à "
                + place
                + " autour de : "
                + word.toLowerCase()
                + (random.nextInt(4) == 0 ? ", et parfois " + other.toLowerCase() : "")
                + ".";
        String en = "We meet in " + place + " about " + word.toLowerCase() + ".";
        String org = "org-" + random.nextInt(count / 5 + 1);
        ps.setObject(1, UUID.randomUUID());
        ps.setString(2, org);
        ps.setString(3, org + ".example");
        ps.setString(4, "!" + UUID.randomUUID() + ":" + org + ".example");
        ps.setString(5, name);
        ps.setString(6, random.nextInt(3) == 0 ? null : word + " — " + place);
        ps.setString(7, w[0]);
        ps.setString(8, themeWords(t));
        ps.setString(9, french ? fr : null);
        ps.setString(10, french ? null : en);
        ps.setString(11, french ? "fr" : "en");
        ps.setInt(12, random.nextInt(300));
        ps.setInt(13, random.nextInt(20));
        ps.setInt(14, random.nextInt(24 * 60));
        ps.addBatch();
        if (i % 1000 == 999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** The theme's names as the directory keeps them beside a listing. */
  private static String themeWords(int t) {
    return switch (WORDS[t][0]) {
      case "climat" -> "Climat Climate";
      case "logiciel-libre" -> "Logiciel libre Free software";
      case "education-populaire" -> "Éducation populaire Popular education";
      case "logement" -> "Logement Housing";
      case "alimentation" -> "Alimentation Food";
      case "culture" -> "Culture Culture";
      case "economie-solidaire" -> "Économie sociale et solidaire Social and solidarity economy";
      case "solidarites" -> "Solidarités Solidarity";
      case "mobilites" -> "Mobilités Mobility";
      default -> "Biodiversité Biodiversity";
    };
  }

  private void clear() throws Exception {
    try (Connection c = db.getConnection()) {
      c.createStatement()
          .execute(
              "DELETE FROM listing_activity; DELETE FROM listing_report; DELETE FROM listing; DELETE FROM directory_server");
    }
  }

  private void analyze() throws Exception {
    try (Connection c = db.getConnection()) {
      c.createStatement().execute("ANALYZE listing");
    }
  }

  private static String stripAccents(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "");
  }

  private static String typo(String s, Random random) {
    int i = 1 + random.nextInt(Math.max(1, s.length() - 2));
    return s.substring(0, i) + s.substring(i + 1);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
