package coop.salons.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Keycloak server (the distribution from the Maven repository) backed by a PostgreSQL
 * database, started with the Salons realm imported. The distribution is built once for PostgreSQL;
 * each server then runs from its own hard-linked copy, so the local platform and the tests never
 * share Keycloak's working files.
 */
public final class KeycloakServer implements AutoCloseable {

  /** The options the distribution is built with ({@code kc.sh build}). */
  static final List<String> BUILD_OPTIONS =
      List.of("--db=postgres", "--health-enabled=true", "--metrics-enabled=true");

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private final Process process;
  private final int port;
  private final String adminUser;
  private final String adminPassword;

  private KeycloakServer(Process process, int port, String adminUser, String adminPassword) {
    this.process = process;
    this.port = port;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
  }

  /** How to start one Keycloak server. */
  public record Options(
      Path workDir,
      int port,
      int managementPort,
      String dbUrl,
      String dbUser,
      String dbPassword,
      String adminUser,
      String adminPassword,
      Map<String, String> realmVariables) {}

  public static KeycloakServer start(Options o) throws IOException, InterruptedException {
    Path distribution = LocalLayout.keycloakDistribution();
    if (!Files.isRegularFile(distribution.resolve("bin/kc.sh"))) {
      throw new IllegalStateException(
          "The Keycloak distribution is missing at "
              + distribution
              + ". Build the project first (./mvnw install -DskipTests) so that Maven fetches it.");
    }
    buildOnce(distribution, o.workDir().getParent().resolve("keycloak-build.log"));
    Path home = o.workDir().resolve("keycloak");
    linkCopy(distribution, home);
    Path importDir = home.resolve("data/import");
    Files.createDirectories(importDir);
    try (InputStream realm = LocalLayout.realmDefinition()) {
      Files.copy(
          realm, importDir.resolve("salons-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/kc.sh").toString());
    command.add("start");
    command.add("--optimized");
    command.add("--http-enabled=true");
    command.add("--http-port=" + o.port());
    command.add("--http-management-port=" + o.managementPort());
    command.add("--hostname-strict=false");
    command.add("--import-realm");
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.putAll(o.realmVariables());
    env.put("KC_DB_URL", o.dbUrl());
    env.put("KC_DB_USERNAME", o.dbUser());
    env.put("KC_DB_PASSWORD", o.dbPassword());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", o.adminUser());
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", o.adminPassword());
    env.putIfAbsent("JAVA_OPTS_KC_HEAP", "-XX:MaxRAMPercentage=10 -XX:InitialRAMPercentage=2");
    Path log = o.workDir().resolve("keycloak.log");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process process = pb.start();
    KeycloakServer server = new KeycloakServer(process, o.port(), o.adminUser(), o.adminPassword());
    try {
      waitUntilReady(process, o.port(), o.managementPort(), log);
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://localhost:" + port;
  }

  /** The issuer of the Salons realm, the value of {@code quarkus.oidc.auth-server-url}. */
  public String realmUrl() {
    return url() + "/realms/salons";
  }

  public String adminUser() {
    return adminUser;
  }

  public String adminPassword() {
    return adminPassword;
  }

  private static void waitUntilReady(Process process, int port, int managementPort, Path log)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI health = URI.create("http://localhost:" + managementPort + "/health/ready");
    URI realm =
        URI.create("http://localhost:" + port + "/realms/salons/.well-known/openid-configuration");
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak stopped during start-up (exit code "
                + process.exitValue()
                + "); see "
                + log
                + ":\n"
                + tail(log, 15));
      }
      if (ok(http, health) && ok(http, realm)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "Keycloak was not ready after " + START_TIMEOUT.toSeconds() + " s; see " + log);
  }

  private static boolean ok(HttpClient http, URI uri) throws InterruptedException {
    try {
      return http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs {@code kc.sh build} once for this distribution; a lock keeps two builds apart. */
  private static void buildOnce(Path distribution, Path log)
      throws IOException, InterruptedException {
    Path marker = distribution.resolve("lib/quarkus/salons-built");
    String wanted = String.join(" ", BUILD_OPTIONS);
    Path lockFile = distribution.resolveSibling("keycloak-build.lock");
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      if (Files.exists(marker) && Files.readString(marker).equals(wanted)) {
        return;
      }
      Progress.say("Keycloak: building the server for PostgreSQL (once, about a minute)");
      Files.createDirectories(log.getParent());
      List<String> command = new ArrayList<>();
      command.add(distribution.resolve("bin/kc.sh").toString());
      command.add("build");
      command.addAll(BUILD_OPTIONS);
      Process build =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (build.waitFor() != 0) {
        throw new IllegalStateException("kc.sh build failed; see " + log + ":\n" + tail(log, 20));
      }
      Files.writeString(marker, wanted);
    }
  }

  /**
   * Copies a folder by hard links (instant, no space), falling back to a real copy across file
   * systems. Existing files are kept.
   */
  static void linkCopy(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Path rel = from.relativize(dir);
            if (rel.startsWith("data")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(rel));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path target = to.resolve(from.relativize(file));
            if (Files.exists(target)) {
              Files.delete(target);
            }
            try {
              Files.createLink(target, file);
            } catch (IOException | UnsupportedOperationException e) {
              Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(30));
  }
}
