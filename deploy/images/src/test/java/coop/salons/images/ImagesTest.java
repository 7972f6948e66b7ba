package coop.salons.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five services' images, built from the packaged services (no daemon, no base image pulled),
 * then read back by skopeo, a tool that knows nothing of how they were made: an OCI manifest, the
 * layers we put in, the user the chart runs them as, the entrypoint, the JVM settings the chart
 * expects. Built twice, an image is the same to the byte.
 */
class ImagesTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Path OUT = Path.of("target/images");
  static final String VERSION = "0.1.0";

  static Path base;
  static final Map<String, Images.Built> built = new TreeMap<>();

  @BeforeAll
  static void buildAll() throws Exception {
    base = base();
    Files.createDirectories(OUT);
    StringBuilder report = new StringBuilder();
    for (String service : new java.util.TreeSet<>(Images.SERVICES.keySet())) {
      long start = System.nanoTime();
      Images.Built b = Images.toTar(image(service), base, cache(), tar(service));
      built.put(service, b);
      report.append(
          String.format(
              "%s %s %.1f s %d MB%n",
              service,
              b.digest(),
              (System.nanoTime() - start) / 1e9,
              Files.size(tar(service)) / (1024 * 1024)));
    }
    Files.writeString(OUT.resolve("report.txt"), report.toString());
  }

  static Images.Image image(String service) {
    return new Images.Image(
        service,
        Path.of("../../services/" + service + "/target/quarkus-app"),
        "ghcr.io/salons-coop/salons-" + service + ":" + VERSION,
        VERSION);
  }

  static Path tar(String service) {
    return OUT.resolve("salons-" + service + ".tar");
  }

  static Path cache() {
    return Path.of(System.getProperty("user.home"), ".cache", "salons", "images", "jib");
  }

  /** The base, assembled (or found in the cache) by the same script the release workflow runs. */
  static Path base() throws Exception {
    Process p =
        new ProcessBuilder("base/build").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(20, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), "base/build failed");
    return Path.of(out);
  }

  /** What skopeo reads from an OCI archive. */
  static JsonNode skopeo(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), err);
    return JSON.readTree(out);
  }

  @Test
  void eachImageIsWhatTheChartRuns() throws Exception {
    Set<String> sharedLayers = null;
    for (String service : built.keySet()) {
      String archive = "oci-archive:" + tar(service);
      JsonNode config = skopeo("inspect", "--config", archive).path("config");
      assertEquals("185:185", config.path("User").asText(), service + " runs as the chart's user");
      assertEquals(
          List.of("/opt/java/bin/java", "-jar", "/deployments/quarkus-run.jar"),
          strings(config.path("Entrypoint")),
          service);
      assertTrue(
          strings(config.path("Env")).contains("JDK_JAVA_OPTIONS=" + Images.JVM_OPTIONS), service);
      assertTrue(
          config.path("ExposedPorts").has(Images.SERVICES.get(service) + "/tcp"),
          service + " exposes its port");
      assertEquals("/deployments", config.path("WorkingDir").asText());

      JsonNode manifest = skopeo("inspect", "--raw", archive);
      assertEquals(
          "application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
      List<String> layers = new ArrayList<>();
      manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
      assertEquals(4, layers.size(), service + ": base, Java, dependencies, application");
      Set<String> baseAndJava = new HashSet<>(layers.subList(0, 2));
      if (sharedLayers == null) {
        sharedLayers = baseAndJava;
      } else {
        assertEquals(sharedLayers, baseAndJava, service + " shares the base and Java layers");
      }
    }
    assertEquals(Images.SERVICES.keySet(), built.keySet());
  }

  /** The same inputs, the same image: built again, the portal's digest does not move. */
  @Test
  void anImageIsReproducible() throws IOException {
    Path again = OUT.resolve("salons-portal-again.tar");
    Images.Built second = Images.toTar(image("portal"), base, cache(), again);
    assertEquals(built.get("portal").digest(), second.digest());
    assertEquals(built.get("portal").imageId(), second.imageId());
    Files.delete(again);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
