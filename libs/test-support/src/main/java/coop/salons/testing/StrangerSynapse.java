package coop.salons.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Matrix server that is not on the platform: a plain Synapse of its own (SQLite, open federation,
 * its users registered with a shared secret), federating over TLS on this machine like the
 * platform's local servers, so that what the platform's servers refuse it is a real refusal.
 */
public final class StrangerSynapse implements AutoCloseable {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int clientPort;
  private final String serverName;
  private final String registrationSecret;

  private StrangerSynapse(
      Process process, int clientPort, String serverName, String registrationSecret) {
    this.process = process;
    this.clientPort = clientPort;
    this.serverName = serverName;
    this.registrationSecret = registrationSecret;
  }

  /**
   * Starts it with Synapse from {@code python} (a virtualenv's), presenting the local certificate
   * of {@code tls} and trusting its CA, in {@code dir}.
   */
  public static StrangerSynapse start(Path python, Path tls, Path folder) throws Exception {
    Path dir = folder.toAbsolutePath();
    // A fresh server each time: a database of an earlier run names another server.
    if (Files.exists(dir)) {
      try (var old = Files.walk(dir)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    int client = TestServers.freePort();
    int federation = TestServers.freePort();
    String name = "localhost:" + federation;
    String secret = UUID.randomUUID().toString();
    Files.createDirectories(dir);
    Map<String, Object> hs = new LinkedHashMap<>();
    hs.put("server_name", name);
    hs.put("public_baseurl", "http://localhost:" + client + "/");
    hs.put("pid_file", dir.resolve("homeserver.pid").toString());
    hs.put("report_stats", false);
    hs.put(
        "listeners",
        List.of(listener(client, false, "client"), listener(federation, true, "federation")));
    hs.put(
        "database",
        Map.of("name", "sqlite3", "args", Map.of("database", dir.resolve("db.sqlite").toString())));
    hs.put("media_store_path", dir.resolve("media").toString());
    hs.put("signing_key_path", dir.resolve("signing.key").toString());
    hs.put("registration_shared_secret", secret);
    hs.put("enable_registration", false);
    hs.put("tls_certificate_path", tls.resolve("localhost.crt").toString());
    hs.put("tls_private_key_path", tls.resolve("localhost.key").toString());
    hs.put("federation_custom_ca_list", List.of(tls.resolve("ca.crt").toString()));
    hs.put("ip_range_whitelist", List.of("127.0.0.1/32"));
    hs.put("trusted_key_servers", List.of());
    hs.put("suppress_key_server_warning", true);
    Map<String, Object> generous = Map.of("per_second", 50, "burst_count", 100);
    hs.put("rc_joins", Map.of("local", generous, "remote", generous));
    hs.put("rc_message", generous);
    Path config = dir.resolve("homeserver.yaml");
    Files.writeString(config, YAML.writeValueAsString(hs));
    Process keys =
        new ProcessBuilder(
                python.toString(),
                "-m",
                "synapse.app.homeserver",
                "--config-path",
                config.toString(),
                "--generate-keys")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keys.log").toFile())
            .start();
    if (!keys.waitFor(60, TimeUnit.SECONDS) || keys.exitValue() != 0) {
      throw new IllegalStateException(
          "the stranger's keys: " + Files.readString(dir.resolve("keys.log")));
    }
    Process p =
        new ProcessBuilder(
                python.toString(),
                "-m",
                "synapse.app.homeserver",
                "--config-path",
                config.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    StrangerSynapse s = new StrangerSynapse(p, client, name, secret);
    s.awaitHealthy(dir);
    return s;
  }

  private static Map<String, Object> listener(int port, boolean tls, String resource) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("port", port);
    l.put("bind_addresses", List.of("127.0.0.1"));
    l.put("type", "http");
    l.put("tls", tls);
    l.put("resources", List.of(Map.of("names", List.of(resource), "compress", false)));
    return l;
  }

  private void awaitHealthy(Path dir) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the stranger Synapse stopped: " + Files.readString(dir.resolve("server.log")));
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(clientUrl() + "health")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("the stranger Synapse did not start in time");
  }

  public String clientUrl() {
    return "http://localhost:" + clientPort + "/";
  }

  public String serverName() {
    return serverName;
  }

  /** A user of this server, registered with its shared secret. */
  public MatrixUser register(String localpart) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI endpoint = URI.create(clientUrl() + "_synapse/admin/v1/register");
    String nonce =
        JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(endpoint).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("nonce")
            .asText();
    String password = UUID.randomUUID().toString();
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(registrationSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    mac.update(
        (nonce + "\0" + localpart + "\0" + password + "\0notadmin")
            .getBytes(StandardCharsets.UTF_8));
    ObjectNode body =
        JSON.createObjectNode()
            .put("nonce", nonce)
            .put("username", localpart)
            .put("password", password)
            .put("admin", false)
            .put("mac", HexFormat.of().formatHex(mac.doFinal()));
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode json = JSON.readTree(answer.body());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("could not register " + localpart + ": " + answer.body());
    }
    return MatrixUser.withToken(
        clientUrl(), json.get("access_token").asText(), json.get("user_id").asText());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
