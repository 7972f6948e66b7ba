package coop.salons.provisioning.bench;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.provisioning.Fixture;
import coop.salons.testing.Browser;
import coop.salons.testing.MatrixUser;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How much memory a small association's Matrix server takes (docs/benchmarks.md, "Density"): a real
 * Synapse started by the local runtime from the configuration the platform renders, on the real
 * PostgreSQL, measured idle and while two members chat (signed in through the real Keycloak). The
 * server's resident memory (its process and children) and its database connections' are read from
 * /proc. Run it with {@code bench/density.sh}; figures in target/bench-density.txt.
 */
@QuarkusTest
@TestProfile(SynapseDensityBenchmark.Local.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class SynapseDensityBenchmark {

  /** The local runtime in a schema of its own, as LocalSynapseIT. */
  public static class Local implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.ofEntries(
          Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "density"),
          Map.entry("quarkus.flyway.schemas", "density"),
          Map.entry("quarkus.flyway.clean-disabled", "false"),
          Map.entry("quarkus.flyway.clean-at-start", "true"),
          Map.entry("quarkus.hibernate-orm.database.default-schema", "density"),
          Map.entry("salons.provisioning.runtime", "local"),
          Map.entry("salons.provisioning.supervisor.interval", "0.5s"),
          Map.entry("salons.provisioning.supervisor.readiness-poll", "PT0.5S"),
          Map.entry("salons.provisioning.local.first-port", "18500"));
    }
  }

  static final int MESSAGES = Integer.getInteger("bench.messages", 300);
  static final int IDLE_SECONDS = Integer.getInteger("bench.idle", 60);

  private final StringBuilder report = new StringBuilder();

  @Test
  void figures() throws Exception {
    TestUser ada = Fixture.user("density-ada");
    TestUser bea = Fixture.user("density-bea");
    String org = Fixture.organization(ada);
    Fixture.addMember(org, ada, bea, "member");
    String id =
        as(ada)
            .body(Map.of("slug", "chat", "flavour", "matrix", "federation", "off"))
            .post(path(org))
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    String url = awaitReady(ada, org);
    ProcessHandle synapse = synapseOf(id);
    String database =
        coop.salons.provisioning.model.InstanceSpec.databaseName(java.util.UUID.fromString(id));

    Duration cpuAtReady = cpu(synapse);
    Thread.sleep(IDLE_SECONDS * 1000L);
    Duration cpuIdle = cpu(synapse).minus(cpuAtReady);
    line(
        "idle CPU: %d ms over %d s = %.1f millicores",
        cpuIdle.toMillis(), IDLE_SECONDS, cpuIdle.toMillis() / (double) IDLE_SECONDS);
    long idle = rss(synapse);
    long idleDb = databaseRss(database);
    line(
        "idle %d s after ready: Synapse %d MiB resident, its database connections %d MiB (%d)",
        IDLE_SECONDS, idle / 1024, idleDb / 1024, connections(database).size());

    AtomicLong peak = new AtomicLong(idle);
    AtomicLong peakDb = new AtomicLong(idleDb);
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rss(synapse), Math::max);
                peakDb.accumulateAndGet(databaseRss(database), Math::max);
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    Duration cpuBefore = cpu(synapse);
    long start = System.nanoTime();
    try (Browser browser = Browser.launch()) {
      MatrixUser adaOn = MatrixUser.signIn(browser, url, ada, "oidc-salons");
      MatrixUser beaOn = MatrixUser.signIn(browser, url, bea, "oidc-salons");
      String room = adaOn.createPublicRoom("density", "Density");
      beaOn.join(room, Duration.ofSeconds(30));
      for (int n = 0; n < MESSAGES; n++) {
        (n % 2 == 0 ? adaOn : beaOn).send(room, "message " + n + " about the commons");
      }
      beaOn.awaitMessage(
          room, "message " + (MESSAGES - 2) + " about the commons", Duration.ofMinutes(2));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.interrupt();
    sampler.join();
    long after = rss(synapse);
    Duration cpuActive = cpu(synapse).minus(cpuBefore);
    line(
        "active CPU: %d ms over %.0f s = %.0f millicores while 2 members chat",
        cpuActive.toMillis(), seconds, cpuActive.toMillis() / seconds);
    line(
        "active (2 members signed in through Keycloak, a room, %d messages sent and read in %.0f s):"
            + " Synapse peak %d MiB, %d MiB after; database connections peak %d MiB",
        MESSAGES, seconds, peak.get() / 1024, after / 1024, peakDb.get() / 1024);
    long perServer = peak.get() + peakDb.get();
    line(
        "one small association at its peak: %d MiB; on a 16 GiB node less 2 GiB for the system and"
            + " the platform: %d servers at their peak, %d idle",
        perServer / 1024, (14L * 1024 * 1024) / perServer, (14L * 1024 * 1024) / (idle + idleDb));
    Files.writeString(Path.of("target/bench-density.txt"), report.toString());
    System.out.println(report);
  }

  private static String awaitReady(TestUser owner, String org) throws InterruptedException {
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
    String state = "requested";
    while (System.currentTimeMillis() < deadline) {
      var view = as(owner).get(path(org) + "/chat").then().statusCode(200).extract();
      state = view.path("state");
      if (state.equals("ready")) {
        return view.path("url");
      }
      Thread.sleep(1000);
    }
    assertEquals("ready", state);
    return null;
  }

  /** The Synapse process of an instance (its command line names the instance's folder). */
  private static ProcessHandle synapseOf(String id) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains(id) && c.contains("synapse"))
                    .orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Synapse process for " + id));
  }

  /** The CPU time a process has used so far (user and system). */
  private static Duration cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Resident memory in KiB of a process and its descendants (VmRSS). */
  private static long rss(ProcessHandle p) {
    long total = kib(p.pid());
    for (ProcessHandle child : p.descendants().toList()) {
      total += kib(child.pid());
    }
    return total;
  }

  /** The PostgreSQL backends serving a database (their command line names it). */
  private static List<ProcessHandle> connections(String database) {
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.startsWith("postgres:") && c.contains(" " + database + " "))
                    .orElse(false))
        .forEach(found::add);
    return found;
  }

  private static long databaseRss(String database) {
    return connections(database).stream().mapToLong(p -> kib(p.pid())).sum();
  }

  /** A process's resident memory in KiB (VmRSS of /proc); 0 once it has ended. */
  static long kib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // the process ended
    }
    return 0;
  }

  private void line(String format, Object... args) {
    String l = String.format(Locale.ROOT, format, args);
    report.append(l).append('\n');
    System.out.println(l);
  }
}
