package coop.salons.provisioning.bench;

import coop.salons.testing.Fixtures;
import coop.salons.testing.TestServers.TestUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An authenticated read of an instance's status under load, from this JVM, against the packaged
 * provisioning service in its own process (with the real identity, billing, PostgreSQL and Keycloak
 * of the test servers): requests a second and latencies, beside the same server's most trivial
 * endpoint ({@code /q/health/live}: no token, no database) measured in the same run. Run it with
 * {@code bench/status-read.sh}; figures in target/bench-status-read.txt.
 */
class StatusReadBenchmark {

  static final int CLIENTS = Integer.getInteger("bench.clients", 4);
  static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 20));
  static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 30));

  private final StringBuilder report = new StringBuilder();

  record Figures(double perSecond, double p50, double p99, int errors) {}

  @Test
  void figures() throws Exception {
    TestUser owner = Fixtures.user("status-reader");
    String org = Fixtures.organization(owner);
    String base = Fixtures.servers().provisioningUrl();
    String token = Fixtures.servers().token(owner);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations/" + org + "/instances"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"slug\":\"chat\",\"flavour\":\"matrix\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 202) {
      throw new IllegalStateException("creation answered " + created.statusCode());
    }
    URI status = URI.create(base + "/api/v1/organizations/" + org + "/instances/chat");
    URI trivial = URI.create(base + "/q/health/live");
    line(
        "Status read under load, %s, %d client threads in a second process, %d s measured after"
            + " %d s warm-up",
        java.time.LocalDate.now(), CLIENTS, MEASURE.toSeconds(), WARM_UP.toSeconds());
    Figures ceiling = load(http, trivial, null);
    line(
        "  ceiling  GET /q/health/live (no token, no database): %.0f req/s, p50 %.2f ms, p99 %.2f"
            + " ms, %d errors",
        ceiling.perSecond(), ceiling.p50(), ceiling.p99(), ceiling.errors());
    Figures read = load(http, status, token);
    line(
        "  read     GET …/instances/chat (bearer token, role check, database): %.0f req/s, p50 %.2f"
            + " ms, p99 %.2f ms, %d errors",
        read.perSecond(), read.p50(), read.p99(), read.errors());
    line("  ratio    %.0f %% of the ceiling", 100 * read.perSecond() / ceiling.perSecond());
    Path out = Path.of("target/bench-status-read.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private Figures load(HttpClient http, URI uri, String token) throws Exception {
    run(http, uri, token, WARM_UP, null);
    List<Long> nanos = Collections.synchronizedList(new ArrayList<>(1_000_000));
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    errors.addAndGet(run(http, uri, token, MEASURE, nanos));
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return new Figures(
        sorted.size() / seconds, percentile(sorted, 50), percentile(sorted, 99), errors.get());
  }

  /** Answers how many requests failed; records each success's latency when asked. */
  private static int run(HttpClient http, URI uri, String token, Duration d, List<Long> nanos)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = b.build();
    long end = System.nanoTime() + d.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Integer>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(
            pool.submit(
                () -> {
                  int failed = 0;
                  while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    HttpResponse<Void> r =
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                      failed++;
                    } else if (nanos != null) {
                      nanos.add(System.nanoTime() - t);
                    }
                  }
                  return failed;
                }));
      }
      int failed = 0;
      for (Future<Integer> f : clients) {
        failed += f.get();
      }
      return failed;
    } finally {
      pool.shutdownNow();
    }
  }

  private static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
  }

  private void line(String format, Object... args) {
    String l = String.format(Locale.ROOT, format, args);
    report.append(l).append('\n');
    System.out.println(l);
  }
}
