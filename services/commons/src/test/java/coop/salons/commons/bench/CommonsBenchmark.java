package coop.salons.commons.bench;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.commons.matrix.MatrixClient;
import coop.salons.local.LocalLayout;
import coop.salons.testing.Browser;
import coop.salons.testing.Fixtures;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The commons figures of docs/benchmarks.md, on real servers: the commons server's resident memory
 * idle and with three servers federating, and, over {@code bench.rounds} rounds (50), the time from
 * a member of association B asking to join a thematic room of the commons server (where a member of
 * association A has just written) to B's own server answering, and to A's message being readable on
 * B's server; and the time for a message A sends to reach B's server. Each round has a room of its
 * own, made by the platform's account. Run it with {@code bench/commons.sh}; it prints its figures
 * and writes them to target/bench-commons.txt.
 */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "commons"))
class CommonsBenchmark extends Fixtures {

  static final int ROUNDS = Integer.getInteger("bench.rounds", 50);
  static final int WARM_UP = 3;
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void joinAndFirstMessageAcrossServers() throws Exception {
    String provisioning = servers().provisioningUrl();
    TestUser ada = user("ada-bench");
    TestUser bea = user("bea-bench");
    String orgA = organization(ada);
    String orgB = organization(bea);
    JsonPath commons = awaitCommons();
    long idle = rss(commons.getString("serverName"));
    for (var org : Map.of(orgA, ada, orgB, bea).entrySet()) {
      as(org.getValue())
          .baseUri(provisioning)
          .body(Map.of("slug", "chat", "flavour", "matrix"))
          .post("/api/v1/organizations/" + org.getKey() + "/instances")
          .then()
          .statusCode(202);
    }
    String urlA = ready(provisioning, ada, orgA);
    String urlB = ready(provisioning, bea, orgB);
    MatrixClient platform =
        new MatrixClient(
            commons.getString("homeserverUrl"),
            servers().secret(coop.salons.local.LocalServers.COMMONS_TOKEN));
    List<Double> join = new ArrayList<>();
    List<Double> firstRead = new ArrayList<>();
    List<Double> message = new ArrayList<>();
    try (Browser browser = Browser.launch()) {
      MatrixUser a = MatrixUser.signIn(browser, urlA, ada, "oidc-salons");
      MatrixUser b = MatrixUser.signIn(browser, urlB, bea, "oidc-salons");
      // The first rounds wait for the servers to take each other in (each restarts as the others
      // come up); they are not counted.
      for (int round = -WARM_UP; round < ROUNDS; round++) {
        double[] times;
        try {
          times = round(platform, commons.getString("serverName"), a, b, round);
        } catch (AssertionError e) {
          if (round >= 0) {
            throw e;
          }
          System.out.println("warm-up round " + round + ": " + e.getMessage());
          continue;
        }
        if (round >= 0) {
          join.add(times[0]);
          firstRead.add(times[1]);
          message.add(times[2]);
        }
      }
    }
    long federating = rss(commons.getString("serverName"));
    StringBuilder out = new StringBuilder();
    out.append("CommonsBenchmark ").append(OffsetDateTime.now()).append('\n');
    out.append(
        String.format("commons server RSS idle (no room joined yet): %d MiB%n", idle / 1024));
    out.append(
        String.format(
            "commons server RSS with 3 servers federating, %d rooms: %d MiB%n",
            ROUNDS + WARM_UP, federating / 1024));
    out.append(line("join over federation (B asks -> B's server answers)", join));
    out.append(line("join asked on B -> first message from A seen on B's server", firstRead));
    out.append(line("message sent on A -> seen on B's server", message));
    System.out.print(out);
    Files.writeString(Path.of("target/bench-commons.txt"), out.toString());
  }

  /**
   * One round in a room of its own on the commons server: A joins; B joins (timed); A writes and B
   * sees it (timed from B's asking to join, and from A's sending). Answers the three times in ms.
   */
  private static double[] round(
      MatrixClient platform, String server, MatrixUser a, MatrixUser b, int round) {
    String alias = "bench-" + System.nanoTime();
    // A room as the commons service makes its thematic rooms: public, history readable.
    ObjectNode body =
        JSON.createObjectNode()
            .put("preset", "public_chat")
            .put("room_alias_name", alias)
            .put("name", "Bench " + round);
    ObjectNode history = body.putArray("initial_state").addObject();
    history.put("type", "m.room.history_visibility").put("state_key", "");
    history.putObject("content").put("history_visibility", "world_readable");
    String room = platform.createRoom(body);
    String address = "#" + alias + ":" + server;
    a.join(address, Duration.ofMinutes(3));
    long t0 = System.nanoTime();
    b.join(address, Duration.ofMinutes(3));
    long joined = System.nanoTime();
    // The first message after B's join: sent from A's server, seen on B's (a message sent before
    // the join reaches B only once a later event refers to it, when the two cross on the way).
    String hello = "hello " + round;
    a.send(room, hello);
    long sent = System.nanoTime();
    b.awaitMessage(room, hello, Duration.ofSeconds(60));
    long seen = System.nanoTime();
    return new double[] {(joined - t0) / 1e6, (seen - t0) / 1e6, (seen - sent) / 1e6};
  }

  private static String line(String what, List<Double> ms) {
    double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        "%s: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d rounds)%n",
        what,
        s[(int) Math.floor(0.50 * (s.length - 1))],
        s[(int) Math.ceil(0.99 * (s.length - 1))],
        s[s.length - 1],
        s.length);
  }

  /** The resident memory (KiB) of the Synapse whose configuration names this server. */
  private static long rss(String serverName) throws Exception {
    Path instances = LocalLayout.projectRoot().resolve("target/commons-e2e/instances");
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String cmd;
        try {
          cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
        } catch (java.io.IOException gone) {
          continue;
        }
        Optional<String> config =
            Arrays.stream(cmd.split(" ")).filter(a -> a.endsWith("homeserver.yaml")).findFirst();
        if (config.isEmpty() || !config.get().startsWith(instances.toString())) {
          continue;
        }
        if (Files.readString(Path.of(config.get())).contains("server_name: " + serverName)) {
          for (String l : Files.readAllLines(p.resolve("status"))) {
            if (l.startsWith("VmRSS:")) {
              return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
          }
        }
      }
    }
    throw new IllegalStateException("no process for " + serverName);
  }

  private static JsonPath awaitCommons() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    while (System.nanoTime() < deadline) {
      var answer = given().get("/api/v1/commons");
      if (answer.statusCode() == 200 && answer.jsonPath().getBoolean("ready")) {
        Thread.sleep(5000); // settled: idle
        return answer.jsonPath();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the commons server did not come up");
  }

  private static String ready(String provisioning, TestUser owner, String org)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
    while (System.nanoTime() < deadline) {
      JsonPath view =
          as(owner)
              .baseUri(provisioning)
              .get("/api/v1/organizations/" + org + "/instances/chat")
              .jsonPath();
      if ("ready".equals(view.getString("state"))) {
        return view.getString("url");
      }
      Thread.sleep(500);
    }
    throw new AssertionError("not ready");
  }
}
