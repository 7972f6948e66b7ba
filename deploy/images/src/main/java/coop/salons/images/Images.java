package coop.salons.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services' OCI images, built with Jib from scratch (docs/adr/0026): a base layer of Debian's
 * packages (the C library and what a JVM links), a Java runtime made by jlink, then the service's
 * Quarkus application in two layers (its dependencies, then its own code), so that a new version of
 * a service changes only its last layers. Every file has a fixed time and the image a fixed
 * creation time: the same inputs give the same image, byte for byte.
 */
public final class Images {

  /** The services, with the port each listens on (as the chart's services.yaml says). */
  public static final Map<String, Integer> SERVICES =
      Map.of(
          "portal", 8080, "provisioning", 8081, "identity", 8082, "billing", 8083, "commons", 8084);

  /** The account every service runs as (the chart's securityContext: runAsUser 185). */
  public static final String USER = "185:185";

  public static final String JAVA_HOME = "/opt/java";
  public static final String APP = "/deployments";

  /** The JVM settings the chart expects (it may set its own through JDK_JAVA_OPTIONS). */
  public static final String JVM_OPTIONS = "-XX:MaxRAMPercentage=75 -Djava.io.tmpdir=/tmp";

  private Images() {}

  /** One image: which service, from where, as what. */
  public record Image(String service, Path quarkusApp, String reference, String version) {
    public int port() {
      return SERVICES.get(service);
    }
  }

  /** What was built: the image's manifest digest and its configuration's digest (its id). */
  public record Built(String digest, String imageId) {}

  /** Builds an image into an OCI archive (no daemon, no registry). */
  public static Built toTar(Image image, Path base, Path cache, Path tar) {
    return build(
        image, base, cache, Containerizer.to(TarImage.at(tar).named(reference(image.reference()))));
  }

  /**
   * Builds an image and pushes it to its registry (the release workflow: credentials from Jib's).
   */
  public static Built push(Image image, Path base, Path cache, String username, String password) {
    RegistryImage target = RegistryImage.named(reference(image.reference()));
    if (username != null && password != null) {
      target.addCredential(username, password);
    }
    return build(image, base, cache, Containerizer.to(target));
  }

  private static Built build(Image image, Path base, Path cache, Containerizer to) {
    try {
      JibContainer container =
          builder(image, base)
              .containerize(
                  to.setApplicationLayersCache(cache)
                      .setBaseImageLayersCache(cache)
                      .setToolName("salons-images"));
      return new Built(container.getDigest().toString(), container.getImageId().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the image of " + image.service() + " was not built", e);
    }
  }

  static JibContainerBuilder builder(Image image, Path base) throws IOException {
    Path app = image.quarkusApp();
    if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException(
          app
              + " holds no packaged service: build it first (./mvnw package -pl services/"
              + image.service()
              + ")");
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", JAVA_HOME);
    env.put("PATH", JAVA_HOME + "/bin:/usr/bin:/bin");
    env.put("LANG", "C.UTF-8");
    env.put("JDK_JAVA_OPTIONS", JVM_OPTIONS);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", "salons-" + image.service());
    labels.put("org.opencontainers.image.version", image.version());
    labels.put("org.opencontainers.image.licenses", "AGPL-3.0-only");
    labels.put("org.opencontainers.image.vendor", "Salons");
    return Jib.fromScratch()
        .setFormat(ImageFormat.OCI)
        .setPlatforms(Set.of(new Platform("amd64", "linux")))
        .setCreationTime(Instant.EPOCH)
        .addFileEntriesLayer(root(base.resolve("rootfs")))
        .addFileEntriesLayer(layer("java", base.resolve("jre"), JAVA_HOME))
        .addFileEntriesLayer(layer("dependencies", app.resolve("lib"), APP + "/lib"))
        .addFileEntriesLayer(application(app))
        .setEntrypoint(List.of(JAVA_HOME + "/bin/java", "-jar", APP + "/quarkus-run.jar"))
        .setEnvironment(env)
        .setUser(USER)
        .setWorkingDirectory(AbsoluteUnixPath.get(APP))
        .setExposedPorts(Set.of(Port.tcp(image.port())))
        .setLabels(labels);
  }

  /** The service's own code: what changes from one version to the next. */
  private static FileEntriesLayer application(Path app) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("application");
    for (String part : List.of("app", "quarkus")) {
      addTree(layer, app.resolve(part), APP + "/" + part);
    }
    layer.addEntry(
        app.resolve("quarkus-run.jar"),
        AbsoluteUnixPath.get(APP + "/quarkus-run.jar"),
        FilePermissions.DEFAULT_FILE_PERMISSIONS);
    return layer.build();
  }

  /** The base's file system, each top folder at the root (Jib takes no entry for "/" itself). */
  private static FileEntriesLayer root(Path rootfs) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("base");
    try (var top = Files.list(rootfs)) {
      for (Path p : top.sorted().toList()) {
        addTree(layer, p, "/" + p.getFileName());
      }
    }
    return layer.build();
  }

  private static FileEntriesLayer layer(String name, Path from, String to) throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    addTree(layer, from, to);
    return layer.build();
  }

  /**
   * A folder's files with the permissions they have on disk (the runtime's and the C library's
   * executables stay executable), each at Jib's fixed time.
   */
  private static void addTree(FileEntriesLayer.Builder layer, Path from, String to)
      throws IOException {
    if (!Files.exists(from)) {
      throw new IllegalStateException(from + " is missing");
    }
    layer.addEntryRecursive(
        from,
        AbsoluteUnixPath.get(to),
        (source, target) -> {
          if (target.toString().equals("/tmp")) {
            return FilePermissions.fromOctalString("777"); // anyone's scratch space, as usual
          }
          try {
            return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        FileEntriesLayer.DEFAULT_MODIFICATION_TIME_PROVIDER);
  }

  private static ImageReference reference(String reference) {
    try {
      return ImageReference.parse(reference);
    } catch (Exception e) {
      throw new IllegalArgumentException("not an image reference: " + reference, e);
    }
  }

  /**
   * For the release workflow: {@code push <registry>/<repository> <tag> <base folder>} pushes the
   * five images as {@code <registry>/<repository>-<service>:<tag>} (credentials from
   * SALONS_REGISTRY_USER and SALONS_REGISTRY_PASSWORD); {@code tar <folder> <tag> <base folder>}
   * writes them as OCI archives.
   */
  public static void main(String[] args) {
    if (args.length != 4 || !Set.of("push", "tar").contains(args[0])) {
      System.err.println("usage: Images push|tar <registry/repository or folder> <tag> <base>");
      System.exit(2);
    }
    Path root = Path.of(System.getProperty("salons.root", "."));
    Path base = Path.of(args[3]);
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "salons", "images", "jib");
    for (String service : new java.util.TreeSet<>(SERVICES.keySet())) {
      Path app = root.resolve("services/" + service + "/target/quarkus-app");
      Built built;
      if (args[0].equals("push")) {
        Image image = new Image(service, app, args[1] + "-" + service + ":" + args[2], args[2]);
        built =
            push(
                image,
                base,
                cache,
                System.getenv("SALONS_REGISTRY_USER"),
                System.getenv("SALONS_REGISTRY_PASSWORD"));
      } else {
        Image image = new Image(service, app, "salons-" + service + ":" + args[2], args[2]);
        built = toTar(image, base, cache, Path.of(args[1], "salons-" + service + ".tar"));
      }
      System.out.println(service + " " + built.digest());
    }
  }
}
