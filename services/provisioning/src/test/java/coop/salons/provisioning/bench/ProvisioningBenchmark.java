package coop.salons.provisioning.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.OnKubernetes;
import coop.salons.provisioning.model.DesiredState;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.supervisor.Supervisor;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The provisioning figures of docs/benchmarks.md, on the build's real Kubernetes control plane (its
 * own processes: etcd, kube-apiserver, controller-manager, scheduler, KWOK) with the real
 * PostgreSQL, identity and Keycloak: 1,000 instances asked for 50 at a time (accept latency, and
 * time until every object is applied), then a resync of 10,000 instances. Run it with {@code
 * bench/provisioning.sh}; it prints its figures and writes them to target/bench-provisioning.txt.
 */
@QuarkusTest
@TestProfile(ProvisioningBenchmark.Bench.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class ProvisioningBenchmark {

  /**
   * The real API server, with the supervisor running on its own and a plan without instance limit.
   */
  public static class Bench implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> m = new HashMap<>(new OnKubernetes().getConfigOverrides());
      // -Dbench.supervisor=false measures the API alone (nothing is applied then).
      m.put("salons.provisioning.supervisor.enabled", String.valueOf(SUPERVISOR));
      m.put("salons.provisioning.supervisor.interval", "0.1s");
      m.put("salons.provisioning.supervisor.batch-size", "50");
      m.put("salons.provisioning.plans.bench.max-users", "50");
      m.put("salons.provisioning.plans.bench.storage-gb", "10");
      m.put("salons.provisioning.plans.bench.cpu-millis", "500");
      m.put("salons.provisioning.plans.bench.memory-mib", "1024");
      m.put("quarkus.log.category.\"coop.salons\".level", "WARN");
      return m;
    }
  }

  static final int CREATED = Integer.getInteger("bench.instances", 1000);
  static final boolean SUPERVISOR =
      Boolean.parseBoolean(System.getProperty("bench.supervisor", "true"));
  static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 50);

  /**
   * Creations per second, sent at that steady pace instead of {@link #CONCURRENCY} at a time (0: as
   * fast as the clients can): how long one instance takes to be applied when the machine keeps up,
   * apart from the queue that a burst builds.
   */
  static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "0"));

  /**
   * Creations before the measured ones, in organisations of their own (see {@link #create}): by
   * default 30,000 for the API alone (the JIT still compiles after 10,000), none while the
   * supervisor works (it would have to provision them all before the measured ones).
   */
  static final int WARMUP = Integer.getInteger("bench.warmup", SUPERVISOR ? 0 : 30_000);

  /**
   * How many instances the resync covers: those created above, plus seeded ones up to this number,
   * applied through the API server like any other (their pods run on KWOK's node).
   */
  static final int RESYNCED = Integer.getInteger("bench.resync", 0);

  @Inject Supervisor supervisor;
  @Inject coop.salons.provisioning.ProvisioningConfig config;
  @Inject AgroalDataSource db;
  @Inject ChatRuntime runtime;
  @Inject coop.salons.provisioning.supervisor.BenchAccess access;

  @io.quarkus.test.common.http.TestHTTPResource("/")
  java.net.URL root;

  private final StringBuilder report = new StringBuilder();

  @Test
  void figures() throws Exception {
    TestUser owner = Fixture.user("bench-owner");
    // One organisation per concurrent client: 50 volunteers asking at once.
    List<String> orgs = new ArrayList<>();
    // Billing decides how many instances an organisation may have: a plan for the benchmark.
    String billing = Fixture.servers().billingUrl();
    Fixture.as(Fixture.servers().operator("bench-operator"))
        .baseUri(billing)
        .body(
            Map.of(
                "id",
                "bench",
                "name",
                "Benchmark",
                "quotas",
                Map.of(
                    "instances", 1000,
                    "members", 1000,
                    "storageGb", 100000,
                    "cpuMillicores", 1000000,
                    "memoryMib", 4000000),
                "price",
                Map.of("suggestedCents", 0, "minimumCents", 0, "solidaritySharePercent", 0)))
        .post("/api/v1/plans");
    List<String> warmupOrgs = new ArrayList<>();
    for (int c = 0; c < CONCURRENCY + (WARMUP > 0 ? CONCURRENCY : 0); c++) {
      String org = Fixture.organization(owner);
      Fixture.as(owner)
          .baseUri(billing)
          .body(Map.of("planId", "bench", "priceCents", 0))
          .put("/api/v1/organizations/" + org + "/subscription")
          .then()
          .statusCode(200);
      (orgs.size() < CONCURRENCY ? orgs : warmupOrgs).add(org);
    }
    create(owner, orgs, warmupOrgs);
    if (SUPERVISOR) {
      resync(orgs.get(0));
    }
    controlPlaneMemory();
    Path out = Path.of("target/bench-provisioning.txt");
    Files.writeString(out, report.toString());
    System.out.println(report);
  }

  private void create(TestUser owner, List<String> orgs, List<String> warmupOrgs) throws Exception {
    String token = Fixture.servers().token(owner);
    // A light client (the JDK's), so that the clients take little of the 2 cores the service has.
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    // Warm-up (JIT, connection pools): reads of every organisation's list, not measured.
    for (int w = 0; w < 4; w++) {
      for (String org : orgs) {
        io.restassured.RestAssured.given()
            .auth()
            .oauth2(token)
            .get(Fixture.path(org))
            .then()
            .statusCode(200);
      }
    }
    if (WARMUP > 0) {
      // The creation path itself, compiled by the JIT as in a service that has run for a while:
      // instances in organisations of their own, not measured (nor counted below).
      List<Long> warm = send(http, token, warmupOrgs, "warm", WARMUP);
      line(
          "  (warm-up: %d creations, p50 %.1f ms, p99 %.1f ms; not counted)",
          WARMUP, pct(warm, 50) / 1000.0, pct(warm, 99) / 1000.0);
    }
    // For a profiler to attach to the processes while the measured requests run
    // (bench/profile-provisioning.sh).
    Files.writeString(Path.of("target/bench-phase"), "measuring\n");
    Map<Long, Duration> cpuBefore = cpuByProcess();
    long start = System.nanoTime();
    List<Long> latencies = send(http, token, orgs, "bench", CREATED);
    cpuUsed(cpuBefore, (System.nanoTime() - start) / 1e9);
    double acceptSeconds = (System.nanoTime() - start) / 1e9;
    line(
        (SUPERVISOR ? "" : "[supervisor off] ")
            + "create %d instances, %s: accept p50 %.1f ms, p99 %.1f ms, max %.1f ms (%.1f s in"
            + " all, %.0f requests/s)",
        CREATED,
        RATE > 0 ? String.format(Locale.ROOT, "%.1f a second", RATE) : CONCURRENCY + " at a time",
        pct(latencies, 50) / 1000.0,
        pct(latencies, 99) / 1000.0,
        latencies.get(latencies.size() - 1) / 1000.0,
        acceptSeconds,
        CREATED / acceptSeconds);

    if (!SUPERVISOR) {
      return;
    }
    // Every object applied: the "apply" step of each instance's first generation is done.
    Map<Long, Duration> pipelineCpu = cpuByProcess();
    String ours = "i.plan = 'bench' AND i.slug LIKE 'bench%'";
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(20).toMillis();
    while (count(
                "SELECT count(DISTINCT s.instance_id) FROM instance_step s JOIN instance i"
                    + " ON i.id = s.instance_id WHERE s.name = 'apply' AND s.outcome <> 'failed'"
                    + " AND "
                    + ours)
            < CREATED
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
    }
    List<Long> applied = new ArrayList<>();
    eachRow(
        "SELECT EXTRACT(EPOCH FROM (min(s.finished_at) - i.created_at)) * 1000"
            + " FROM instance_step s JOIN instance i ON i.id = s.instance_id"
            + " WHERE s.name = 'apply' AND s.outcome <> 'failed' AND "
            + ours
            + " GROUP BY i.id, i.created_at",
        rs -> applied.add((long) rs.getDouble(1)));
    Collections.sort(applied);
    assertEquals(CREATED, applied.size(), "every instance applied");
    double allSeconds = (System.nanoTime() - start) / 1e9;
    cpuUsed(pipelineCpu, allSeconds - acceptSeconds);
    line(
        "  time from accept to every object applied: p50 %.2f s, p99 %.2f s, max %.2f s; all %d"
            + " applied %.1f s after the first request",
        pct(applied, 50) / 1000.0,
        pct(applied, 99) / 1000.0,
        applied.get(applied.size() - 1) / 1000.0,
        CREATED,
        allSeconds);
    eachRow(
        "SELECT s.name, avg(EXTRACT(EPOCH FROM (s.finished_at - s.started_at)) * 1000),"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM"
            + " (s.finished_at - s.started_at)) * 1000), count(*)"
            + " FROM instance_step s JOIN instance i ON i.id = s.instance_id WHERE "
            + ours
            + " GROUP BY s.name ORDER BY min(s.id)",
        rs ->
            line(
                "  step %-12s mean %7.1f ms, p99 %7.1f ms (%d)",
                rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4)));
  }

  /** {@code n} creations, {@link #CONCURRENCY} at a time; each one's latency in microseconds. */
  private List<Long> send(
      java.net.http.HttpClient http, String token, List<String> orgs, String prefix, int n)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
    java.util.concurrent.ScheduledExecutorService pace =
        RATE > 0 ? Executors.newSingleThreadScheduledExecutor() : null;
    List<Callable<Long>> calls = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String slug = prefix + k;
      String org = orgs.get(k % orgs.size());
      String body = "{\"slug\":\"" + slug + "\",\"flavour\":\"matrix\",\"plan\":\"bench\"}";
      java.net.http.HttpRequest request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(root.toString().replaceAll("/$", "") + Fixture.path(org)))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
              .build();
      calls.add(
          () -> {
            long t0 = System.nanoTime();
            int code =
                http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            long micros = (System.nanoTime() - t0) / 1000;
            if (code != 202) {
              throw new IllegalStateException("HTTP " + code);
            }
            return micros;
          });
    }
    List<Future<Long>> answers = new ArrayList<>();
    if (pace == null) {
      answers.addAll(clients.invokeAll(calls));
    } else {
      // One creation every 1/RATE s from now (all scheduled at once), each on a client of its own:
      // the pace does not wait for answers.
      List<java.util.concurrent.ScheduledFuture<Future<Long>>> sent = new ArrayList<>();
      for (int k = 0; k < calls.size(); k++) {
        Callable<Long> call = calls.get(k);
        sent.add(
            pace.schedule(
                () -> clients.submit(call), (long) (k * 1e9 / RATE), TimeUnit.NANOSECONDS));
      }
      for (java.util.concurrent.ScheduledFuture<Future<Long>> s : sent) {
        answers.add(s.get());
      }
      pace.shutdown();
    }
    List<Long> latencies = new ArrayList<>();
    for (Future<Long> f : answers) {
      latencies.add(f.get());
    }
    clients.shutdown();
    Collections.sort(latencies);
    return latencies;
  }

  private void resync(String org) throws Exception {
    // Seed: instances that are READY, with their secrets and objects already in the cluster (as
    // they would be after provisioning), so that the pass measured is a resync and nothing else.
    int missing =
        Math.max(
            0, RESYNCED - (int) count("SELECT count(*) FROM instance WHERE state <> 'deleted'"));
    ExecutorService seeders = Executors.newFixedThreadPool(8);
    List<Callable<Void>> seeds = new ArrayList<>();
    for (int n = 0; n < missing; n++) {
      String slug = "resync" + n;
      seeds.add(
          () -> {
            UUID id = access.seedReady(org, slug);
            InstanceSpec spec = access.spec(id);
            Placement p = runtime.placement(spec, null);
            Map<String, String> secrets = new HashMap<>(InstanceSecrets.generate(spec.flavour()));
            secrets.put(InstanceSecrets.OIDC_CLIENT_SECRET, InstanceSecrets.token(32));
            ChatRuntime.Secrets kept = runtime.secrets(spec, secrets);
            runtime.apply(spec, p, DesiredState.of(spec, p, kept.values(), config.cluster()), kept);
            return null;
          });
    }
    long seedStart = System.nanoTime();
    for (Future<Void> f : seeders.invokeAll(seeds)) {
      f.get();
    }
    seeders.shutdown();
    line("  (seeded %d ready instances in %.0f s)", missing, (System.nanoTime() - seedStart) / 1e9);
    // Their pods placed by the scheduler and run by KWOK: every Deployment ready.
    long readyStart = System.nanoTime();
    int notReady = access.awaitAllReady(Duration.ofMinutes(15));
    line(
        "  (every Deployment ready %.0f s later; %d not ready)",
        (System.nanoTime() - readyStart) / 1e9, notReady);
    // The supervisor sees them ready and settles them.
    long settleBy = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
    while (count(
                "SELECT count(*) FROM instance WHERE state IN ('requested', 'provisioning', 'updating')")
            > 0
        && System.currentTimeMillis() < settleBy) {
      Thread.sleep(500);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    OffsetDateTime mark = OffsetDateTime.now();
    long start = System.nanoTime();
    int due = supervisor.resyncAll(); // on Kubernetes: the bulk resync, done when it returns
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.interrupt();
    long writes =
        count(
            "SELECT count(*) FROM instance_step WHERE name = 'resync' AND started_at >= '"
                + mark
                + "'");
    line(
        "resync of %d instances: %.1f s (%.0f instances/s), %d of them needed a write; heap %d MB"
            + " before (after a GC), peak %d MB during (+%d MB)",
        due,
        seconds,
        due / seconds,
        writes,
        baseline / (1024 * 1024),
        peak.get() / (1024 * 1024),
        (peak.get() - baseline) / (1024 * 1024));
    // What those writes were: each corrected object, and how many instances needed it.
    eachRow(
        "SELECT change, count(*) FROM instance_step,"
            + " unnest(string_to_array(detail, ', ')) AS change"
            + " WHERE name = 'resync' AND started_at >= '"
            + mark
            + "' GROUP BY change ORDER BY count(*) DESC LIMIT 5",
        rs -> line("  corrected: %s (%d instances)", rs.getString(1), rs.getLong(2)));
  }

  /** The control plane's resident memory now, by process (read from /proc, VmRSS). */
  private void controlPlaneMemory() throws Exception {
    List<String> parts = new ArrayList<>();
    long total = 0;
    for (String name :
        List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")) {
      long kib = 0;
      for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
        String command = p.info().command().orElse("");
        if (command.endsWith("/" + name)) {
          kib += SynapseDensityBenchmark.kib(p.pid());
        }
      }
      total += kib;
      parts.add(String.format("%s %d MiB", name, kib / 1024));
    }
    line(
        "control plane resident memory at the end: %s; %d MiB in all (%d instances' objects)",
        String.join(", ", parts),
        total / 1024,
        count("SELECT count(*) FROM instance WHERE state <> 'deleted'"));
  }

  /** CPU time so far of every process this machine shows, by process id. */
  private static Map<Long, Duration> cpuByProcess() {
    Map<Long, Duration> cpu = new HashMap<>();
    ProcessHandle.allProcesses()
        .forEach(p -> p.info().totalCpuDuration().ifPresent(d -> cpu.put(p.pid(), d)));
    return cpu;
  }

  /**
   * Where the CPU went while the clients were sending: each process's CPU time since {@code
   * before}, the largest first (this JVM holds the service, the clients and the stand-in).
   */
  private void cpuUsed(Map<Long, Duration> before, double seconds) {
    long self = ProcessHandle.current().pid();
    Map<String, Long> byName = new HashMap<>();
    cpuByProcess()
        .forEach(
            (pid, d) -> {
              String name =
                  pid == self
                      ? "provisioning+clients"
                      : ProcessHandle.of(pid)
                          .flatMap(p -> p.info().commandLine())
                          .map(ProvisioningBenchmark::shortName)
                          .orElse("other");
              byName.merge(
                  name, d.minus(before.getOrDefault(pid, Duration.ZERO)).toMillis(), Long::sum);
            });
    List<Map.Entry<String, Long>> used = new ArrayList<>(byName.entrySet());
    used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : used.subList(0, Math.min(6, used.size()))) {
      b.append(String.format(Locale.ROOT, "%s %.1f s, ", e.getKey(), e.getValue() / 1000.0));
    }
    line(
        "  CPU used meanwhile (%.1f s of wall time, 2 cores = %.1f s): %.1f s in all; %s",
        seconds,
        2 * seconds,
        used.stream().mapToLong(Map.Entry::getValue).sum() / 1000.0,
        b.toString().replaceAll(", $", ""));
  }

  private static String shortName(String commandLine) {
    for (String service :
        List.of(
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kwok",
            "etcd",
            "billing",
            "identity",
            "keycloak",
            "postgres")) {
      if (commandLine.contains(service)) {
        return service;
      }
    }
    return "other";
  }

  private long count(String sql) throws Exception {
    long[] n = new long[1];
    eachRow(sql, rs -> n[0] = rs.getLong(1));
    return n[0];
  }

  /** Reads one row of a query. */
  private interface Row {
    void read(ResultSet rs) throws java.sql.SQLException;
  }

  /** Runs a query on the service's database, each row to {@code row}. */
  private void eachRow(String sql, Row row) throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        row.read(rs);
      }
    }
  }

  private static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  private void line(String format, Object... args) {
    String l = String.format(Locale.ROOT, format, args);
    report.append(l).append('\n');
    System.out.println(l);
  }
}
