package coop.salons.provisioning.runtime;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.model.DesiredState;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.MasRenderer;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.model.Rendered;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Instances as child processes on this machine, from the same rendered configuration as on
 * Kubernetes: Synapse from a Python virtualenv this runtime creates on first use, Mattermost from a
 * binary the operator names. Each instance has a folder ({@code config/}, {@code secrets/} with
 * owner-only files, {@code data/}) and keeps its port for its whole life.
 */
@ApplicationScoped
@Typed(LocalRuntime.class)
public class LocalRuntime implements ChatRuntime {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Inject ProvisioningConfig config;

  /** The servers this process started, with the fingerprint of the configuration they run. */
  private final Map<UUID, Running> running = new ConcurrentHashMap<>();

  /**
   * A server started here, the command run beside it at its start (or null), and the Matrix
   * Authentication Service beside it with the port of its health check (or null and 0).
   */
  private record Running(
      Process process,
      Process helper,
      String fingerprint,
      String healthPath,
      Process authService,
      int authServiceHealthPort) {}

  @Override
  public Optional<String> webClient(Flavour flavour, String url) {
    return flavour == Flavour.MATTERMOST ? Optional.ofNullable(url) : config.local().webClient();
  }

  @Override
  public boolean usesLocalPorts() {
    return true;
  }

  /** Where the hoster named a MAS binary: MAS then runs as a process beside each new Synapse. */
  @Override
  public boolean authServiceForNewMatrixInstances() {
    return runsAuthService();
  }

  @Override
  public boolean runsAuthService() {
    return config.mas().binary().isPresent();
  }

  Path folder(InstanceSpec spec) {
    return folder(spec.id());
  }

  Path folder(java.util.UUID id) {
    return Path.of(config.local().workDir()).toAbsolutePath().resolve(id.toString());
  }

  /** Measured: the bytes of the instance's folder (media, keys, configuration). */
  @Override
  public long filesMib(java.util.UUID instance, int reservedGb) {
    Path f = folder(instance);
    if (!Files.isDirectory(f)) {
      return 0;
    }
    try (java.util.stream.Stream<Path> all = Files.walk(f)) {
      long bytes =
          all.filter(Files::isRegularFile)
              .mapToLong(
                  p -> {
                    try {
                      return Files.size(p);
                    } catch (java.io.IOException gone) {
                      return 0;
                    }
                  })
              .sum();
      return (bytes + 1048575) / 1048576;
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * On one machine a Matrix server is named {@code localhost:<its federation port>}: the port just
   * after its client port, where it federates over TLS (an explicit port: no look-up at all).
   */
  @Override
  public String serverName(String host, Integer localPort) {
    return localPort == null ? null : "localhost:" + (localPort + 1);
  }

  @Override
  public Placement placement(InstanceSpec spec, Integer localPort) {
    if (localPort == null) {
      throw new IllegalStateException("a local instance needs a port");
    }
    Path f = folder(spec);
    Path tls = tlsFolder();
    Optional<Placement.LocalFederation> federation =
        spec.flavour() == Flavour.MATRIX
            ? Optional.of(
                new Placement.LocalFederation(
                    localPort + 1,
                    tls.resolve("localhost.crt").toString(),
                    tls.resolve("localhost.key").toString(),
                    tls.resolve("ca.crt").toString()))
            : Optional.empty();
    return new Placement(
        "127.0.0.1",
        localPort,
        "http://localhost:" + localPort + "/",
        serverName(spec.host(), localPort),
        f.resolve("config").toString(),
        f.resolve("data").toString(),
        f.resolve("secrets").toString(),
        f.resolve("run").toString(),
        federation,
        spec.flavour() == Flavour.MATRIX
            ? Optional.of(MasRenderer.onLoopback(localPort))
            : Optional.empty());
  }

  /** The local CA and the certificate of {@code localhost} it signed, shared by local servers. */
  Path tlsFolder() {
    return Path.of(config.local().workDir()).toAbsolutePath().resolve("tls");
  }

  /**
   * Makes the local CA and the {@code localhost} certificate (openssl) unless they exist: the
   * federation listeners of this machine's Matrix servers present it and trust only that CA.
   */
  synchronized void ensureLocalCertificates() throws IOException {
    Path tls = tlsFolder();
    if (Files.exists(tls.resolve("localhost.crt"))) {
      return;
    }
    Files.createDirectories(tls);
    Path work = Files.createTempDirectory(tls.getParent(), "tls-");
    String ca = work.resolve("ca.crt").toString();
    String caKey = work.resolve("ca.key").toString();
    String key = work.resolve("localhost.key").toString();
    String csr = work.resolve("localhost.csr").toString();
    String ext = work.resolve("localhost.ext").toString();
    Files.writeString(
        Path.of(ext),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
            + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "3650",
            "-subj",
            "/CN=Salons local CA",
            "-keyout",
            caKey,
            "-out",
            ca));
    run(
        List.of(
            "openssl",
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            key,
            "-out",
            csr));
    run(
        List.of(
            "openssl",
            "x509",
            "-req",
            "-in",
            csr,
            "-CA",
            ca,
            "-CAkey",
            caKey,
            "-CAcreateserial",
            "-days",
            "3650",
            "-extfile",
            ext,
            "-out",
            work.resolve("localhost.crt").toString()));
    for (String name : List.of("ca.crt", "localhost.key", "localhost.crt")) {
      Files.move(work.resolve(name), tls.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setPosixFilePermissions(
        tls.resolve("localhost.key"), PosixFilePermissions.fromString("rw-------"));
    try (Stream<Path> left = Files.walk(work)) {
      for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public synchronized Secrets secrets(InstanceSpec spec, Map<String, String> fresh) {
    Properties kept = loadSecrets(spec);
    boolean first = kept.isEmpty();
    List<String> generated = new ArrayList<>();
    fresh.forEach(
        (k, v) -> {
          if (!kept.containsKey(k)) {
            kept.setProperty(k, v);
            generated.add(k);
          }
        });
    if (!generated.isEmpty()) {
      storeSecrets(spec, kept);
    }
    Map<String, String> values = new LinkedHashMap<>();
    kept.stringPropertyNames().forEach(k -> values.put(k, kept.getProperty(k)));
    return new Secrets(values, generated, first && !generated.isEmpty());
  }

  @Override
  public synchronized void putSecret(InstanceSpec spec, String name, String value) {
    Properties kept = loadSecrets(spec);
    kept.setProperty(name, value);
    storeSecrets(spec, kept);
  }

  private Path secretsFile(InstanceSpec spec) {
    return folder(spec).resolve("salons-secrets.properties");
  }

  private Properties loadSecrets(InstanceSpec spec) {
    Properties p = new Properties();
    Path file = secretsFile(spec);
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return p;
  }

  private void storeSecrets(InstanceSpec spec, Properties p) {
    Path file = secretsFile(spec);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      writePrivate(tmp, "");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "Secrets of instance " + spec.id() + " (never share this file)");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized List<String> apply(
      InstanceSpec spec, Placement placement, DesiredState desired, Secrets secrets) {
    Rendered rendered = desired.rendered();
    List<String> changes = new ArrayList<>();
    try {
      Path configDir = Path.of(placement.configDir());
      Path secretsDir = Path.of(placement.secretsDir());
      Path dataDir = Path.of(placement.dataDir());
      Files.createDirectories(configDir);
      Files.createDirectories(dataDir);
      Files.createDirectories(secretsDir);
      Files.setPosixFilePermissions(secretsDir, PosixFilePermissions.fromString("rwx------"));
      Files.createDirectories(Path.of(placement.runDir()));
      if (placement.localFederation().isPresent()) {
        ensureLocalCertificates();
      }
      // MAS's files sit beside the server's in the instance's folders: their names differ, or
      // they are the same secret (the client's secret, the shared secret with Synapse).
      List<Rendered> all = new ArrayList<>(List.of(rendered));
      desired.authService().ifPresent(all::add);
      for (Rendered r : all) {
        for (var e : r.configFiles().entrySet()) {
          if (write(configDir.resolve(e.getKey()), e.getValue(), false)) {
            changes.add("wrote config/" + e.getKey());
          }
        }
        for (var e : r.secretFiles().entrySet()) {
          if (write(secretsDir.resolve(e.getKey()), e.getValue(), true)) {
            changes.add("wrote secrets/" + e.getKey());
          }
        }
      }
      String fingerprint = fingerprint(all);
      Running current = running.get(spec.id());
      boolean alive = current != null && alive(current);
      if (spec.suspended()) {
        if (current != null) {
          stop(spec.id());
          if (alive) {
            changes.add("stopped the server");
          }
        }
        return changes;
      }
      if (alive && current.fingerprint().equals(fingerprint)) {
        return changes;
      }
      if (current != null) {
        // What is left of it (a server whose MAS died, or the reverse) stops before both start.
        stop(spec.id());
      }
      if (rendered.writableConfig()) {
        for (var e : rendered.configFiles().entrySet()) {
          write(dataDir.resolve(e.getKey()), e.getValue(), true);
        }
      }
      start(spec, placement, desired, dataDir, fingerprint);
      changes.add(alive ? "restarted the server" : "started the server");
      return changes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes {@code python -m synapse.app.homeserver …} apply media retention every {@code every}
   * instead of hourly (tests and demonstrations; see {@code local.media-retention-check}).
   */
  static void mediaRetentionEvery(List<String> command, java.time.Duration every) {
    int m = command.indexOf("-m");
    if (m < 0 || !"synapse.app.homeserver".equals(command.get(m + 1))) {
      return;
    }
    String script =
        "import runpy, synapse.media.media_repository as r; "
            + "r.MEDIA_RETENTION_CHECK_PERIOD = type(r.MEDIA_RETENTION_CHECK_PERIOD)(seconds="
            + Math.max(1, every.toSeconds())
            + "); runpy.run_module('synapse.app.homeserver', run_name='__main__', alter_sys=True)";
    command.set(m, "-c");
    command.set(m + 1, script);
  }

  private void start(
      InstanceSpec spec,
      Placement placement,
      DesiredState desired,
      Path dataDir,
      String fingerprint)
      throws IOException {
    Rendered rendered = desired.rendered();
    Optional<Path> masBinary =
        desired.authService().isPresent() ? Optional.of(authServiceBinary()) : Optional.empty();
    List<String> command = new ArrayList<>(rendered.command());
    if (spec.flavour() == Flavour.MATRIX) {
      command.set(0, synapsePython().toString());
      config.local().mediaRetentionCheck().ifPresent(every -> mediaRetentionEvery(command, every));
    } else {
      Optional<String> binary = config.local().mattermostBinary();
      if (binary.isEmpty() || !Files.isExecutable(Path.of(binary.get()))) {
        throw new PermanentFailure(
            "Mattermost runs locally only from a binary: set"
                + " salons.provisioning.local.mattermost-binary to a Mattermost server.");
      }
      command.set(0, binary.get());
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(dataDir.toFile());
    pb.environment().putAll(rendered.secretEnv());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
    Process p = pb.start();
    Process helper = null;
    if (!rendered.afterStart().isEmpty()) {
      // Beside the server, as Kubernetes runs the container's postStart hook; the server's own
      // folder comes first on its PATH (Mattermost's mmctl sits next to its server binary).
      ProcessBuilder after = new ProcessBuilder(rendered.afterStart());
      after.directory(dataDir.toFile());
      Path bin = Path.of(command.get(0)).toAbsolutePath().getParent();
      after.environment().merge("PATH", bin.toString(), (old, dir) -> dir + ":" + old);
      after.redirectErrorStream(true);
      after.redirectOutput(
          ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
      helper = after.start();
    }
    Process mas = null;
    int masHealth = 0;
    if (masBinary.isPresent()) {
      mas = startAuthService(masBinary.get(), desired.authService().get(), dataDir);
      masHealth = placement.authService().orElseThrow().healthPort();
    }
    running.put(
        spec.id(), new Running(p, helper, fingerprint, rendered.healthPath(), mas, masHealth));
    Log.infof("Instance %s/%s: server started (pid %d)", spec.organization(), spec.slug(), p.pid());
  }

  /**
   * The MAS binary the hoster named ({@code salons.provisioning.mas.binary}), checked before
   * anything starts: an instance made to sign in through MAS cannot run without it.
   */
  private Path authServiceBinary() {
    Optional<String> binary = config.mas().binary();
    if (binary.isEmpty() || !Files.isExecutable(Path.of(binary.get()))) {
      throw new PermanentFailure(
          "This instance signs in through the Matrix Authentication Service, which runs locally"
              + " only from a binary: set salons.provisioning.mas.binary to MAS's mas-cli.");
    }
    return Path.of(binary.get()).toAbsolutePath();
  }

  /**
   * MAS beside Synapse, run from its own folder: a MAS release keeps its templates, assets,
   * translations and policy in {@code share/} beside {@code mas-cli}, where it looks for them. At
   * each start it applies its database migrations and takes the upstream provider from its
   * configuration; it waits for no one (Synapse calls it only when a token is used).
   */
  private static Process startAuthService(Path binary, Rendered mas, Path dataDir)
      throws IOException {
    List<String> command = new ArrayList<>(mas.command());
    command.set(0, binary.toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(binary.getParent().toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("mas.log").toFile()));
    return pb.start();
  }

  private static boolean alive(Running r) {
    return r.process().isAlive() && (r.authService() == null || r.authService().isAlive());
  }

  /** The virtualenv's Python, after creating the virtualenv with Synapse if it is missing. */
  synchronized Path synapsePython() throws IOException {
    Path venv = Path.of(config.local().synapseVenv());
    Path python = venv.resolve("bin/python");
    if (Files.isExecutable(venv.resolve("bin/synapse_homeserver"))) {
      return python;
    }
    Log.infof("Creating the Synapse virtualenv in %s (once; about a minute)", venv);
    run(List.of(config.local().python(), "-m", "venv", venv.toString()));
    run(
        List.of(
            python.toString(),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "matrix-synapse[postgres,oidc]==" + config.images().synapseVersion()));
    return python;
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new PermanentFailure(
            "Could not prepare Synapse (" + String.join(" ", command) + "): " + tail(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String tail(String s) {
    return s.length() <= 500 ? s : s.substring(s.length() - 500);
  }

  @Override
  public boolean ready(InstanceSpec spec, Placement placement) {
    if (spec.suspended()) {
      return false;
    }
    Running r = running.get(spec.id());
    if (r == null || !alive(r)) {
      return false;
    }
    return answers(placement.port(), r.healthPath())
        && (r.authService() == null || answers(r.authServiceHealthPort(), "/health"));
  }

  private static boolean answers(int port, String path) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the server process, or MAS beside it, died (its log says why). */
  @Override
  public Optional<String> crashed(InstanceSpec spec) {
    Running r = running.get(spec.id());
    if (r == null) {
      return Optional.empty();
    }
    if (!r.process().isAlive()) {
      return Optional.of(
          stopped("the server", r.process(), folder(spec).resolve("data/server.log")));
    }
    if (r.authService() != null && !r.authService().isAlive()) {
      return Optional.of(
          stopped(
              "the authentication service (MAS)",
              r.authService(),
              folder(spec).resolve("data/mas.log")));
    }
    return Optional.empty();
  }

  private static String stopped(String what, Process p, Path log) {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return what + " stopped (exit " + p.exitValue() + "): " + tail(text);
    } catch (IOException e) {
      return what + " stopped (exit " + p.exitValue() + ")";
    }
  }

  @Override
  public synchronized Removal delete(InstanceSpec spec) {
    List<String> removed = new ArrayList<>();
    if (running.containsKey(spec.id())) {
      stop(spec.id());
      removed.add("stopped the server");
    }
    Path f = folder(spec);
    if (Files.exists(f)) {
      try (Stream<Path> files = Files.walk(f)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      removed.add("deleted " + f);
    }
    return new Removal(removed, true);
  }

  private void stop(UUID id) {
    Running r = running.remove(id);
    if (r == null) {
      return;
    }
    if (r.helper() != null) {
      r.helper().destroyForcibly();
    }
    if (r.authService() != null) {
      end(r.authService());
    }
    end(r.process());
  }

  private static void end(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** The chat servers stop with this service; the supervisor starts them again at its start. */
  @PreDestroy
  void stopAll() {
    for (UUID id : List.copyOf(running.keySet())) {
      stop(id);
    }
  }

  private static boolean write(Path file, String content, boolean secret) throws IOException {
    if (Files.exists(file) && Files.readString(file).equals(content)) {
      return false;
    }
    if (secret) {
      writePrivate(file, content);
    } else {
      Files.writeString(file, content);
    }
    return true;
  }

  private static void writePrivate(Path file, String content) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(file, content);
  }

  private static String fingerprint(List<Rendered> all) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Rendered r : all) {
        for (Map<String, String> m : List.of(r.configFiles(), r.secretFiles(), r.secretEnv())) {
          for (var e : new java.util.TreeMap<>(m).entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
          }
        }
        sha.update(String.join("\0", r.command()).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
