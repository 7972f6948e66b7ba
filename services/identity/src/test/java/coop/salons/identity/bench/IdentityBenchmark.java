package coop.salons.identity.bench;

import static io.restassured.RestAssured.given;

import coop.salons.identity.IdentityTestBase;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The identity benchmark (not a test: run it with {@code bench/identity.sh}). Creates 1,000
 * organisations with 5 members each through the API, against the real Keycloak, and measures
 * creation latency, "list my organisations" as the realm fills up, and Keycloak's memory.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class IdentityBenchmark extends IdentityTestBase {

  static final int ORGANISATIONS = Integer.getInteger("bench.organisations", 1000);
  static final int MEMBERS = 5;

  /** Access tokens last five minutes: each user's is fetched again after two. */
  private static final Map<String, Object[]> TOKENS = new java.util.HashMap<>();

  private static String token(String username) {
    Object[] cached = TOKENS.get(username);
    if (cached == null || System.nanoTime() - (long) cached[1] > 120_000_000_000L) {
      TestServers servers = TestServers.get();
      cached = new Object[] {servers.token(servers.user(username)), System.nanoTime()};
      TOKENS.put(username, cached);
    }
    return (String) cached[0];
  }

  @Test
  void organisationsAndMembers() throws Exception {
    TestServers servers = TestServers.get();
    long rssBefore = keycloakRssKb();
    int owners = Math.max(1, ORGANISATIONS / 10);
    int pool = Math.max(MEMBERS - 1, ORGANISATIONS * (MEMBERS - 1) / 10);
    organizationOf("bench-other", "other");

    // Owners create 10 organisations each; members come from a pool, each in about 10 of them,
    // as people who belong to several associations.
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Future<?>> made = new ArrayList<>();
    for (int i = 0; i < pool; i++) {
      int n = i;
      made.add(threads.submit(() -> servers.user("bench-m" + n)));
    }
    for (int i = 0; i < owners; i++) {
      int n = i;
      made.add(threads.submit(() -> servers.user("bench-o" + n)));
    }
    for (Future<?> f : made) {
      f.get();
    }
    threads.shutdown();

    List<Long> create = new ArrayList<>();
    List<Long> addMember = new ArrayList<>();
    Map<Integer, List<Long>> ownerListAt = new java.util.TreeMap<>();
    Map<Integer, List<Long>> otherListAt = new java.util.TreeMap<>();
    String run = slug("b").substring(2);
    for (int i = 0; i < ORGANISATIONS; i++) {
      String owner = "bench-o" + (i % owners);
      String slug = "bench-" + run + "-" + i;
      long t0 = System.nanoTime();
      given()
          .auth()
          .oauth2(token(owner))
          .contentType("application/json")
          .body(Map.of("slug", slug, "name", "Benchmark " + i))
          .post("/api/v1/organizations")
          .then()
          .statusCode(201);
      create.add(System.nanoTime() - t0);
      for (int m = 0; m < MEMBERS - 1; m++) {
        String member = "bench-m" + ((i * (MEMBERS - 1) + m) % pool);
        long t1 = System.nanoTime();
        given()
            .auth()
            .oauth2(token(owner))
            .contentType("application/json")
            .body(Map.of("email", member + "@example.org"))
            .post("/api/v1/organizations/" + slug + "/members")
            .then()
            .statusCode(201);
        addMember.add(System.nanoTime() - t1);
      }
      if (i + 1 == 10 || i + 1 == 100 || i + 1 == ORGANISATIONS) {
        ownerListAt.put(i + 1, sample(token("bench-o0"), 200));
        otherListAt.put(i + 1, sample(token("bench-other"), 200));
      }
      if ((i + 1) % 100 == 0) {
        System.out.printf(
            "bench: %d organisations, last 100 created at p50 %.1f ms%n",
            i + 1, median(create.subList(create.size() - 100, create.size())) / 1e6);
      }
    }
    long rssAfter = keycloakRssKb();

    StringBuilder out = new StringBuilder();
    out.append("identity benchmark, ")
        .append(LocalDate.now())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores\n");
    out.append(
        String.format(
            "organisations: %d (%d owners, 10 each), members each: %d (pool of %d users)%n",
            ORGANISATIONS, owners, MEMBERS, pool + owners));
    out.append("create organisation   ").append(stats(create)).append('\n');
    out.append("  first 100           ")
        .append(stats(create.subList(0, Math.min(100, create.size()))))
        .append('\n');
    out.append("  last 100            ")
        .append(stats(create.subList(Math.max(0, create.size() - 100), create.size())))
        .append('\n');
    out.append("add a member          ").append(stats(addMember)).append('\n');
    ownerListAt.forEach(
        (n, l) ->
            out.append(
                String.format(
                    "list mine, owner of up to 10, realm at %4d organisations: %s%n",
                    n, stats(l))));
    otherListAt.forEach(
        (n, l) ->
            out.append(
                String.format(
                    "list mine, owner of 1,        realm at %4d organisations: %s%n",
                    n, stats(l))));
    out.append(
        String.format(
            "Keycloak RSS: %d MB before, %d MB after%n", rssBefore / 1024, rssAfter / 1024));
    System.out.println(out);
    Path file = Path.of("target/bench/identity.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out.toString());
  }

  private static double median(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static List<Long> sample(String token, int times) {
    List<Long> l = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      long t = System.nanoTime();
      given().auth().oauth2(token).get("/api/v1/organizations?limit=20").then().statusCode(200);
      l.add(System.nanoTime() - t);
    }
    return l;
  }

  private static String stats(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return String.format(
        "p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (n=%d)",
        s.get(s.size() / 2) / 1e6,
        s.get((int) Math.ceil(s.size() * 0.99) - 1) / 1e6,
        s.get(s.size() - 1) / 1e6,
        s.size());
  }

  /** The resident memory of the Keycloak server of the test servers, from /proc. */
  private static long keycloakRssKb() throws IOException {
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      String cmd = p.info().commandLine().orElse("");
      if (cmd.contains("kc.home.dir") && cmd.contains("java")) {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      }
    }
    return -1;
  }
}
