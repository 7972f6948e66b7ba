package coop.salons.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One Salons service running as a child process from its packaged Quarkus application. */
public final class ServiceProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Service service;
  private final Process process;
  private final int port;

  private ServiceProcess(Service service, Process process, int port) {
    this.service = service;
    this.process = process;
    this.port = port;
  }

  /** Starts the service and waits until {@code /q/health/ready} answers 200. */
  public static ServiceProcess start(Service s, int port, Map<String, String> env, Path logDir)
      throws IOException, InterruptedException {
    Path jar =
        LocalLayout.projectRoot()
            .resolve("services/" + s.id() + "/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The "
              + s.id()
              + " service is not built ("
              + jar
              + " is missing); run ./mvnw package -DskipTests.");
    }
    Files.createDirectories(logDir);
    Path log = logDir.resolve(s.id() + ".log");
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions());
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process process = pb.start();
    ServiceProcess started = new ServiceProcess(s, process, port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI ready = URI.create("http://localhost:" + port + "/q/health/ready");
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The "
                + s.id()
                + " service stopped during start-up; see "
                + log
                + ":\n"
                + KeycloakServer.tail(log, 10));
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return started;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    started.close();
    throw new IllegalStateException("The " + s.id() + " service was not ready in time; see " + log);
  }

  public Service service() {
    return service;
  }

  public String url() {
    return "http://localhost:" + port;
  }

  /**
   * The services' JVM options: by default a small heap and the quick compiler only, which starts
   * them fastest for tests and a local platform; {@code -Dsalons.service-jvm-options="..."} (or the
   * environment's {@code SALONS_SERVICE_JVM_OPTIONS}) replaces them, as the benchmarks do to
   * measure the services compiled as in production.
   */
  static List<String> jvmOptions() {
    String given =
        System.getProperty(
            "salons.service-jvm-options", System.getenv("SALONS_SERVICE_JVM_OPTIONS"));
    if (given == null) {
      return DEFAULT_JVM_OPTIONS;
    }
    return Arrays.stream(given.trim().split("\\s+")).filter(o -> !o.isEmpty()).toList();
  }

  static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-XX:MaxRAMPercentage=8", "-XX:TieredStopAtLevel=1");

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(20));
  }
}
