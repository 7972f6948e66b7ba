package coop.salons.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.local.Service;
import coop.salons.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The identity service's image run by runc, a real OCI runtime, as the image says (its user, its
 * entrypoint, its environment), on the build's PostgreSQL and Keycloak: the service starts,
 * migrates its database and answers ready. The bundle is unpacked from the image archive by umoci;
 * it shares the machine's network (to reach the test servers) and no cgroup is set (this machine's
 * are not delegated); everything else is the image's.
 */
class ImageRunIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theIdentityImageRunsTheService() throws Exception {
    Path tar = ImagesTest.tar("identity");
    assertTrue(Files.exists(tar), "ImagesTest builds the images first");
    Path run = Path.of("target/run");
    deleteTree(run);
    Files.createDirectories(run);
    exec(
        List.of(
            "skopeo",
            "copy",
            "-q",
            "oci-archive:" + tar,
            "oci:" + run.resolve("layout") + ":identity"));
    Path bundle = run.resolve("bundle");
    exec(
        List.of(
            "umoci", "unpack", "--image", run.resolve("layout") + ":identity", bundle.toString()));

    TestServers servers = TestServers.get();
    int port = TestServers.freePort();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("QUARKUS_DATASOURCE_JDBC_URL", servers.jdbcUrl(Service.IDENTITY));
    env.put("QUARKUS_DATASOURCE_USERNAME", Service.IDENTITY.role());
    env.put("QUARKUS_DATASOURCE_PASSWORD", servers.secret(Service.IDENTITY.dbPasswordName()));
    env.put("QUARKUS_OIDC_AUTH_SERVER_URL", servers.realmUrl());
    env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", servers.secret(Service.IDENTITY.clientSecretName()));
    env.put("QUARKUS_KEYCLOAK_ADMIN_CLIENT_SERVER_URL", servers.keycloakUrl());
    env.put("SALONS_IDENTITY_QUOTAS", "off");

    Path configFile = bundle.resolve("config.json");
    ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
    JsonNode process = config.path("process");
    assertEquals(185, process.path("user").path("uid").asInt(), "the image's user");
    assertEquals(
        "/opt/java/bin/java", process.path("args").get(0).asText(), "the image's entrypoint");
    ArrayNode envs = (ArrayNode) process.path("env");
    env.forEach((k, v) -> envs.add(k + "=" + v));
    ((ObjectNode) process).put("terminal", false);
    ObjectNode linux = (ObjectNode) config.path("linux");
    ArrayNode namespaces = JSON.createArrayNode();
    linux
        .path("namespaces")
        .forEach(
            n -> {
              if (!n.path("type").asText().equals("network")) {
                namespaces.add(n);
              }
            });
    linux.set("namespaces", namespaces);
    linux.remove("resources");
    linux.remove("cgroupsPath");
    ArrayNode mounts = JSON.createArrayNode();
    config
        .path("mounts")
        .forEach(
            m -> {
              if (!m.path("destination").asText().equals("/sys/fs/cgroup")) {
                mounts.add(m);
              }
            });
    config.set("mounts", mounts);
    JSON.writeValue(configFile.toFile(), config);

    String id = "salons-identity-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = run.resolve("identity.log");
    Process container =
        new ProcessBuilder("runc", "run", "--bundle", bundle.toString(), id)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      int status = 0;
      long deadline = System.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
      while (status != 200 && System.currentTimeMillis() < deadline && container.isAlive()) {
        try {
          status =
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://localhost:" + port + "/q/health/ready"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
        } catch (java.io.IOException notYet) {
          Thread.sleep(500);
        }
      }
      assertEquals(200, status, "ready; its output:\n" + Files.readString(log));
      assertTrue(Files.readString(log).contains("salons-identity"), Files.readString(log));
    } finally {
      new ProcessBuilder("runc", "kill", id, "KILL").start().waitFor(30, TimeUnit.SECONDS);
      container.waitFor(30, TimeUnit.SECONDS);
      new ProcessBuilder("runc", "delete", "--force", id).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
  }

  private static void deleteTree(Path p) throws Exception {
    if (Files.exists(p)) {
      try (var all = Files.walk(p)) {
        for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
