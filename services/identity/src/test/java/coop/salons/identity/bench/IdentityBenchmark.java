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

  @Test
  void organisationsAndMembers() throws Exception {
    TestServers servers = TestServers.get();
    long rssBefore = keycloakRssKb();
    String ownerToken = servers.token(servers.user("bench-owner"));
    String otherToken = servers.token(servers.user("bench-other"));
    organizationOf("bench-other", "other");

    // The members, made up front (4 per organisation besides the owner), in parallel.
    List<String> emails = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> made = new ArrayList<>();
    for (int i = 0; i < ORGANISATIONS * (MEMBERS - 1); i++) {
      int n = i;
      made.add(
          pool.submit(() -> emails.add(servers.user("bench-m" + n).username() + "@example.org")));
    }
    for (Future<?> f : made) {
      f.get();
    }
    pool.shutdown();
    Collections.sort(emails);

    List<Long> create = new ArrayList<>();
    List<Long> addMember = new ArrayList<>();
    Map<Integer, List<Long>> listAt = new java.util.TreeMap<>();
    Map<Integer, List<Long>> otherListAt = new java.util.TreeMap<>();
    String run = slug("b").substring(2);
    for (int i = 0; i < ORGANISATIONS; i++) {
      String slug = "bench-" + run + "-" + i;
      long t0 = System.nanoTime();
      given()
          .auth()
          .oauth2(ownerToken)
          .contentType("application/json")
          .body(Map.of("slug", slug, "name", "Benchmark " + i))
          .post("/api/v1/organizations")
          .then()
          .statusCode(201);
      create.add(System.nanoTime() - t0);
      for (int m = 0; m < MEMBERS - 1; m++) {
        long t1 = System.nanoTime();
        given()
            .auth()
            .oauth2(ownerToken)
            .contentType("application/json")
            .body(Map.of("email", emails.get(i * (MEMBERS - 1) + m)))
            .post("/api/v1/organizations/" + slug + "/members")
            .then()
            .statusCode(201);
        addMember.add(System.nanoTime() - t1);
      }
      if (i + 1 == 10 || i + 1 == 100 || i + 1 == ORGANISATIONS) {
        listAt.put(i + 1, sample(ownerToken, 200));
        otherListAt.put(i + 1, sample(otherToken, 200));
      }
      if (i % 100 == 99) {
        ownerToken = servers.token(servers.user("bench-owner")); // tokens last 5 minutes
        otherToken = servers.token(servers.user("bench-other"));
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
        String.format("organisations created: %d, members each: %d%n", ORGANISATIONS, MEMBERS));
    out.append("create organisation   ").append(stats(create)).append('\n');
    out.append("add a member          ").append(stats(addMember)).append('\n');
    listAt.forEach(
        (n, l) ->
            out.append(
                String.format("list mine (owner of %4d, first page of 20)  %s%n", n, stats(l))));
    otherListAt.forEach(
        (n, l) ->
            out.append(
                String.format("list mine (owner of 1, realm has %4d more)  %s%n", n, stats(l))));
    out.append(
        String.format(
            "Keycloak RSS: %d MB before, %d MB after%n", rssBefore / 1024, rssAfter / 1024));
    System.out.println(out);
    Path file = Path.of("target/bench/identity.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out.toString());
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
