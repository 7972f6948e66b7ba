package coop.salons.billing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.local.Service;
import coop.salons.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The billing figures of docs/benchmarks.md, on the build's real PostgreSQL: 10,000 organisations ×
 * 720 hourly samples (7.2 M) sent through the API in batches by the provisioning service's account,
 * then every monthly statement computed. Run it with {@code bench/billing.sh}; it prints its
 * figures and writes them to target/bench-billing.txt. The organisations are subscribed straight in
 * the database (identity is not what is measured); the client shares the 2 cores with the server
 * and PostgreSQL.
 */
@QuarkusTest
class BillingBenchmark {

  static final int ORGANIZATIONS = Integer.getInteger("bench.organizations", 10_000);
  static final int HOURS = Integer.getInteger("bench.hours", 720);
  static final int BATCH = Integer.getInteger("bench.batch", 5_000);
  static final int CLIENTS = Integer.getInteger("bench.clients", 3);

  /** September 2026: 720 hours, in the past, within the 400 days samples may come late. */
  static final YearMonth MONTH = YearMonth.of(2026, 9);

  static final Pattern STORED = Pattern.compile("\"stored\":(\\d+)");

  @Inject DataSource ds;

  @Test
  void ingestAndStateAMonth() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> orgs = new ArrayList<>(ORGANIZATIONS);
    List<UUID> instances = new ArrayList<>(ORGANIZATIONS);
    for (int i = 0; i < ORGANIZATIONS; i++) {
      orgs.add(String.format(Locale.ROOT, "bench-%s-%05d", run, i));
      instances.add(UUID.randomUUID());
    }
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO subscription (organization_slug, plan_id, price_cents, created_at,"
                    + " updated_at) SELECT s, (ARRAY['small','medium','large'])[1 + (n % 3)],"
                    + " (n % 50) * 100, '2026-01-01Z', '2026-01-01Z'"
                    + " FROM unnest(?::varchar[]) WITH ORDINALITY AS t(s, n)")) {
      st.setArray(1, c.createArrayOf("varchar", orgs.toArray()));
      st.executeUpdate();
    }

    // Every batch: BATCH samples, hour by hour across all organisations.
    long total = (long) ORGANIZATIONS * HOURS;
    int batches = (int) ((total + BATCH - 1) / BATCH);
    String token = Fixtures.servers().serviceToken(Service.PROVISIONING);
    Instant start = MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<long[]>> clients = new ArrayList<>();
    long began = System.nanoTime();
    for (int c = 0; c < CLIENTS; c++) {
      clients.add(
          pool.submit(
              () -> {
                long stored = 0;
                long requestNanos = 0;
                HttpClient http = HttpClient.newHttpClient();
                URI uri =
                    URI.create(
                        RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/usage-samples");
                for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                  String body = batch(b, total, orgs, instances, start);
                  long t0 = System.nanoTime();
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .header("Authorization", "Bearer " + token)
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  requestNanos += System.nanoTime() - t0;
                  assertEquals(200, r.statusCode(), r.body());
                  Matcher m = STORED.matcher(r.body());
                  stored += m.find() ? Long.parseLong(m.group(1)) : 0;
                }
                return new long[] {stored, requestNanos};
              }));
    }
    long stored = 0;
    for (Future<long[]> f : clients) {
      stored += f.get()[0];
    }
    double ingestSeconds = (System.nanoTime() - began) / 1e9;
    pool.shutdown();
    assertEquals(total, stored);

    // Every statement of the month, through the API as the hoster asks for it.
    Fixtures.servers().operator("bench-operator");
    String operator = Fixtures.servers().token(Fixtures.servers().user("bench-operator"));
    long t0 = System.nanoTime();
    Response computed =
        RestAssured.given()
            .auth()
            .oauth2(operator)
            .contentType("application/json")
            .body(Map.of("month", MONTH.toString()))
            .post("/api/v1/statement-runs");
    double statementSeconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(201, computed.statusCode(), computed.asString());
    long statements;
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT count(*) FROM statement WHERE month = ? AND organization_slug LIKE ?")) {
      st.setObject(1, MONTH.atDay(1));
      st.setString(2, "bench-" + run + "-%");
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        statements = rs.getLong(1);
      }
    }
    assertEquals(ORGANIZATIONS, statements);

    String figures =
        String.format(
            Locale.ROOT,
            "billing benchmark %s (%d cores)%n"
                + "samples: %,d (%d organisations x %d hours), batches of %,d, %d clients%n"
                + "ingestion: %.1f s, %,.0f samples/s%n"
                + "statements of %s for %,d organisations (of %,d in the run): %.2f s%n"
                + "run: %s%n",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            Runtime.getRuntime().availableProcessors(),
            total,
            ORGANIZATIONS,
            HOURS,
            BATCH,
            CLIENTS,
            ingestSeconds,
            total / ingestSeconds,
            MONTH,
            statements,
            computed.jsonPath().getInt("organizations"),
            statementSeconds,
            computed.asString());
    System.out.println(figures);
    Files.writeString(Path.of("target/bench-billing.txt"), figures);
  }

  /** Batch {@code b} as JSON, written by hand: the client should not be what is measured. */
  static String batch(int b, long total, List<String> orgs, List<UUID> instances, Instant start) {
    StringBuilder json = new StringBuilder(BATCH * 190).append("{\"samples\":[");
    long from = (long) b * BATCH;
    long to = Math.min(total, from + BATCH);
    for (long k = from; k < to; k++) {
      int hour = (int) (k / orgs.size());
      int org = (int) (k % orgs.size());
      if (k > from) {
        json.append(',');
      }
      json.append("{\"organization\":\"")
          .append(orgs.get(org))
          .append("\",\"instanceId\":\"")
          .append(instances.get(org))
          .append("\",\"hour\":\"")
          .append(start.plusSeconds(3600L * hour))
          .append("\",\"cpuMillicores\":")
          .append(100 + (org * 37 + hour) % 900)
          .append(",\"memoryMib\":")
          .append(256 + (org * 53 + hour) % 2048)
          .append(",\"storageMib\":")
          .append(1024L * (1 + org % 40) + hour)
          .append(",\"activeMembers\":")
          .append(1 + (org + hour / 24) % 200)
          .append('}');
    }
    return json.append("]}").toString();
  }
}
