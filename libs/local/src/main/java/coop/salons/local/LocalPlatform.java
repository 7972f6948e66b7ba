package coop.salons.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local platform, for newcomers, demos and end-to-end tests: no Docker, no cluster.
 *
 * <pre>
 * run [--data-dir DIR]            PostgreSQL, Keycloak and the five services; stops on Ctrl-C
 * test-servers -- COMMAND...      PostgreSQL and Keycloak for the test suite, around COMMAND
 * </pre>
 */
public final class LocalPlatform {

  private LocalPlatform() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    int code;
    try {
      code =
          switch (args[0]) {
            case "run" -> run(rest);
            case "test-servers" -> testServers(rest);
            default -> {
              usage();
              yield 2;
            }
          };
    } catch (IllegalStateException e) {
      Progress.say(e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  private static void usage() {
    System.err.println(
        "usage: salons-local run [--data-dir DIR]\n"
            + "       salons-local test-servers -- COMMAND [ARGS...]");
  }

  /** Starts the whole platform and waits for Ctrl-C (or SIGTERM). */
  static int run(List<String> args) throws Exception {
    Path root = LocalLayout.projectRoot();
    Path dataDir = Path.of(option(args, "--data-dir", root.resolve(".salons").toString()));
    Instant start = Instant.now();
    requireFreePort(Service.PORTAL.defaultPort(), "the portal");
    for (Service s : Service.values()) {
      requireFreePort(s.defaultPort(), "the " + s.id() + " service");
    }
    requireFreePort(5433, "PostgreSQL");
    requireFreePort(8180, "Keycloak");
    requireFreePort(9180, "Keycloak's management interface");
    requireFreePort(2525, "the local mail catcher");
    String portalUrl = "http://localhost:" + Service.PORTAL.defaultPort();
    Secrets secrets =
        Secrets.loadOrCreate(dataDir.resolve("secrets.properties"), LocalServers.SECRET_NAMES);
    List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              Progress.say("stopping ...");
              stopAll(running);
              Progress.say("stopped.");
              stopped.countDown();
            },
            "salons-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      LocalServers servers =
          LocalServers.start(
              new LocalServers.Options(dataDir, false, 5433, 8180, 9180, portalUrl, 2525, false),
              secrets);
      running.add(servers);
      Map<Service, String> urls = new HashMap<>();
      for (Service s : Service.values()) {
        urls.put(s, "http://localhost:" + s.defaultPort());
      }
      for (Service s : Service.values()) {
        Map<String, String> env = new HashMap<>(servers.serviceEnvironment(s));
        urls.forEach((other, url) -> env.put("SALONS_" + other.name() + "_URL", url));
        env.put("SALONS_PORTAL_URL", portalUrl);
        if (s == Service.PROVISIONING) {
          env.put("SALONS_PROVISIONING_LOCAL_WORK_DIR", dataDir.resolve("instances").toString());
          env.put(
              "SALONS_PROVISIONING_TENANT_DATABASE_BACKUP_DIR",
              dataDir.resolve("backups").toString());
          env.put("SALONS_PROVISIONING_ALLOW_LOCAL_WEBHOOKS", "true");
        }
        ServiceProcess process =
            Progress.step(
                "the " + s.id() + " service on " + urls.get(s),
                () -> ServiceProcess.start(s, s.defaultPort(), env, dataDir.resolve("logs")));
        running.add(process);
      }
    } catch (Exception e) {
      Progress.say("could not start: " + e.getMessage());
      Runtime.getRuntime().removeShutdownHook(hook);
      stopAll(running);
      return 1;
    }
    long seconds = Duration.between(start, Instant.now()).toSeconds();
    String demoPassword = secrets.get("SALONS_DEMO_PASSWORD");
    System.out.println();
    System.out.println("  Salons is running (ready in " + seconds + " s).");
    System.out.println();
    System.out.println("    Portal:    " + portalUrl);
    System.out.println("    Sign in:   demo / " + demoPassword);
    System.out.println(
        "    Keycloak:  http://localhost:8180/admin (admin; password in "
            + dataDir.resolve("secrets.properties")
            + ")");
    System.out.println(
        "    APIs:      identity http://localhost:8082/q/swagger-ui,"
            + " provisioning :8081, billing :8083, commons :8084");
    System.out.println(
        "    Commons:   "
            + portalUrl
            + "/commons (the commons server starts with the platform: a minute the first time)");
    System.out.println("    Logs:      " + dataDir.resolve("logs"));
    System.out.println(
        "    Mail:      "
            + dataDir.resolve("mail")
            + " (invitations land here, nothing is sent out)");
    System.out.println();
    System.out.println("  Press Ctrl-C to stop everything.");
    System.out.flush();
    Files.writeString(dataDir.resolve("ready"), portalUrl + "\n");
    stopped.await();
    return 0;
  }

  /**
   * Starts PostgreSQL and Keycloak on free ports, runs a command with their address, stops them.
   */
  static int testServers(List<String> args) throws Exception {
    int separator = args.indexOf("--");
    if (separator < 0 || separator == args.size() - 1) {
      usage();
      return 2;
    }
    List<String> command = args.subList(separator + 1, args.size());
    Path workDir = LocalLayout.projectRoot().resolve("target/test-servers");
    deleteTree(workDir);
    Path state = workDir.resolve("servers.properties");
    int code;
    try (LocalServers servers = startForTests(workDir)) {
      servers.describe(state);
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      pb.environment().put("SALONS_TEST_SERVERS", state.toString());
      Process child = pb.start();
      Thread hook = new Thread(() -> Processes.stop(child, Duration.ofSeconds(10)));
      Runtime.getRuntime().addShutdownHook(hook);
      code = child.waitFor();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return code;
  }

  /** The servers for one test run: fresh data on free ports, with the tests' password client. */
  public static LocalServers startForTests(Path workDir) throws Exception {
    return LocalServers.start(
        new LocalServers.Options(
            workDir,
            true,
            freePort(),
            freePort(),
            freePort(),
            "http://localhost:" + freePort(),
            freePort(),
            true),
        Secrets.ephemeral(LocalServers.SECRET_NAMES));
  }

  private static void stopAll(List<AutoCloseable> running) {
    List<AutoCloseable> reversed = new ArrayList<>(running);
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        Progress.say("while stopping: " + e.getMessage());
      }
    }
    running.clear();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void requireFreePort(int port, String who) {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Port " + port + " (for " + who + ") is already in use: is Salons already running?");
    }
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
