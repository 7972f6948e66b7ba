package coop.salons.provisioning.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.common.api.ProblemException;
import coop.salons.common.concurrent.DaemonThreads;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.identity.MemberDirectory;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceDtos.CreateInstance;
import coop.salons.provisioning.instance.InstanceService;
import coop.salons.provisioning.model.ExitBundle;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.runtime.LocalPorts;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Brings an existing Matrix server in from an exit bundle (docs/adr/0035): the bundle fetched from
 * its link (one of this platform's, read directly; or any HTTPS address), every file checked
 * against its manifest before anything is made, then a new instance with the bundle's server name,
 * its signing key, database and media, and its users linked to the organisation's members by email.
 * On this machine's runtime for now, as backups are.
 */
@ApplicationScoped
public class InstanceImports {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OWN_LINK =
      Pattern.compile("/exit-bundles/([0-9a-f-]{36}\\.[0-9]{1,12}\\.[A-Za-z0-9_-]{43})$");
  private static final Pattern LOCAL_NAME = Pattern.compile("^localhost:([0-9]{4,5})$");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Inject ProvisioningConfig config;
  @Inject ExitBundles exits;
  @Inject InstanceBackups backups;
  @Inject InstanceService instances;
  @Inject InstanceSpecs specs;
  @Inject ChatRuntime runtime;
  @Inject TenantDatabases databases;
  @Inject @RestClient MemberDirectory directory;

  private final ExecutorService workers =
      Executors.newSingleThreadExecutor(DaemonThreads.named("instance-import"));

  /** Starts bringing a server in; answers its row at once (state {@code running}). */
  public InstanceImport start(String org, String slug, String displayName, String bundleUrl) {
    backups.requireLocal();
    URI url = checkedUrl(bundleUrl);
    if (Instance.count("organizationSlug = ?1 and slug = ?2 and state <> 'deleted'", org, slug)
        > 0) {
      throw ProblemException.conflict("An instance named '" + slug + "' exists already.");
    }
    InstanceImport i = new InstanceImport();
    i.id = UUID.randomUUID();
    i.organizationSlug = org;
    i.slug = slug;
    i.step = "fetching";
    i.state = "running";
    i.startedAt = OffsetDateTime.now();
    i.persist();
    UUID id = i.id;
    workers.submit(() -> run(id, org, slug, displayName, url));
    return i;
  }

  /** Only HTTPS, or plain HTTP where the hoster allows local addresses (a local platform). */
  private URI checkedUrl(String bundleUrl) {
    try {
      URI url = URI.create(bundleUrl);
      boolean https = "https".equals(url.getScheme());
      boolean http = "http".equals(url.getScheme()) && config.allowLocalWebhooks();
      if ((https || http) && url.getHost() != null && url.getUserInfo() == null) {
        return url;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ProblemException.invalid("bundleUrl", "must be an https:// address of an exit bundle");
  }

  private void run(UUID id, String org, String slug, String displayName, URI url) {
    InstanceBackups.awaitCommitted(() -> InstanceImport.findById(id) != null);
    Path work = null;
    try {
      work =
          Files.createTempDirectory(
              Files.createDirectories(Path.of(config.backups().dir()).toAbsolutePath()),
              ".import-");
      // 1. The bundle, from this platform's own storage when the link is one of its own.
      Path tar = work.resolve("bundle.tar");
      fetch(url, tar);
      // 2. Every file as its manifest says, before anything is made.
      step(id, "checking");
      Path folder = unpacked(tar, work.resolve("bundle"));
      JsonNode manifest = checked(folder);
      String serverName = manifest.path("serverName").asText();
      QuarkusTransaction.requiringNew()
          .run(() -> ((InstanceImport) InstanceImport.findById(id)).serverName = serverName);
      int port = localPortFor(serverName);
      // 3. The instance, made and stopped at once, then given the bundle's server name.
      step(id, "creating");
      String version = manifest.path("version").asText();
      instances.create(
          org,
          new CreateInstance(
              slug,
              "matrix",
              displayName,
              null,
              config.images().synapseVersions().contains(version) ? version : null,
              null,
              null,
              null,
              null));
      UUID instanceId =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      Instance.<Instance>find(
                              "organizationSlug = ?1 and slug = ?2 and state <> 'deleted'",
                              org,
                              slug)
                          .firstResult()
                          .id);
      QuarkusTransaction.requiringNew()
          .run(() -> ((InstanceImport) InstanceImport.findById(id)).instanceId = instanceId);
      InstanceBackups.awaitState(instanceId, List.of("ready", "failed"), Duration.ofMinutes(5));
      instances.suspend(org, slug);
      InstanceBackups.awaitState(instanceId, List.of("suspended"), Duration.ofMinutes(5));
      QuarkusTransaction.requiringNew()
          .run(() -> ((Instance) Instance.findById(instanceId)).localPort = port);
      // 4. Its signing key, database and media.
      InstanceSpec spec = specs.specOf(instanceId);
      Map<String, String> current = runtime.secrets(spec, Map.of()).values();
      backups.replace(
          instanceId,
          spec,
          Map.of(
              InstanceSecrets.SIGNING_KEY,
              Files.readString(folder.resolve("signing.key")).strip() + "\n"),
          current.get(InstanceSecrets.DB_PASSWORD),
          folder.resolve(ExitBundle.DUMP),
          folder.resolve("media.tar"),
          "media",
          s -> step(id, s));
      // 5. Its users linked to the organisation's members by email, for the realm's sign-in.
      step(id, "mapping");
      int linked = mapByEmail(spec, org);
      // 6. Started, with the bundle's server name.
      step(id, "starting");
      instances.resume(org, slug);
      InstanceBackups.awaitState(instanceId, List.of("ready"), Duration.ofMinutes(5));
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceImport i = InstanceImport.findById(id);
                i.step = "done";
                i.state = "done";
                i.finishedAt = OffsetDateTime.now();
              });
      Log.infof(
          "Instance %s/%s brought in as %s (%d users linked by email)",
          org, slug, serverName, linked);
    } catch (Exception e) {
      Log.warnf("Import %s into %s/%s failed: %s", id, org, slug, e.getMessage());
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      UUID made =
          QuarkusTransaction.requiringNew()
              .call(() -> ((InstanceImport) InstanceImport.findById(id)).instanceId);
      if (made != null) {
        // Half made: deleted as any instance is (its grace period, a final backup), not left.
        try {
          instances.scheduleDeletion(org, slug, null);
        } catch (RuntimeException again) {
          Log.warnf("Import %s: the half-made instance %s/%s stays: %s", id, org, slug, again);
        }
      }
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceImport i = InstanceImport.findById(id);
                i.state = "failed";
                i.error = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
                i.finishedAt = OffsetDateTime.now();
              });
    } finally {
      InstanceBackups.deleteQuietly(work);
    }
  }

  /**
   * The bundle written to {@code tar}: read from storage for this platform's link, else fetched.
   */
  private void fetch(URI url, Path tar) throws IOException, InterruptedException {
    Matcher own = OWN_LINK.matcher(url.getPath() == null ? "" : url.getPath());
    if (own.find()) {
      InstanceBackup b;
      try {
        b = QuarkusTransaction.requiringNew().call(() -> exits.backupOf(own.group(1)));
      } catch (ProblemException e) {
        throw new IOException("the link is not valid: " + e.getMessage());
      }
      String source =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    Instance i = Instance.findById(b.instanceId);
                    return i == null ? "instance" : i.slug;
                  });
      try (OutputStream out = Files.newOutputStream(tar)) {
        exits.write(b, source, out);
      }
      return;
    }
    if (!config.allowLocalWebhooks()) {
      // What the name resolves to now: a bundle's address cannot lead to the platform's machines.
      java.util.Optional<String> refused = coop.salons.common.net.Addresses.refused(url.getHost());
      if (refused.isPresent()) {
        throw new IOException("the bundle's address is refused: " + refused.get());
      }
    }
    HttpResponse<InputStream> answer =
        HTTP.send(
            HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = answer.body()) {
      if (answer.statusCode() != 200) {
        throw new IOException("the bundle could not be fetched: HTTP " + answer.statusCode());
      }
      Files.copy(in, tar);
    }
  }

  /** The bundle's one folder, unpacked (tar refuses names leaving it). */
  private static Path unpacked(Path tar, Path into) throws IOException, InterruptedException {
    Files.createDirectories(into);
    Process p =
        new ProcessBuilder("tar", "-C", into.toString(), "--no-same-owner", "-xf", tar.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("The bundle is not a readable tar: " + out.strip());
    }
    try (Stream<Path> all = Files.list(into)) {
      List<Path> folders = all.filter(Files::isDirectory).toList();
      if (folders.size() != 1) {
        throw new IOException("The bundle must hold one folder; it holds " + folders.size() + ".");
      }
      return folders.get(0);
    }
  }

  /** The manifest, and every file it names matching its SHA-256; throws on the first difference. */
  private static JsonNode checked(Path folder) throws IOException {
    Path manifestFile = folder.resolve("manifest.json");
    if (!Files.exists(manifestFile)) {
      throw new IOException("The bundle has no manifest.json.");
    }
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    if (!ExitBundle.FORMAT.equals(manifest.path("format").asText())) {
      throw new IOException("The bundle's format is not " + ExitBundle.FORMAT + ".");
    }
    if (!"matrix".equals(manifest.path("flavour").asText())) {
      throw new IOException("Only Matrix servers are brought in so far.");
    }
    java.util.Set<String> listed = new java.util.HashSet<>();
    for (JsonNode f : manifest.path("files")) {
      String name = f.path("name").asText();
      Path file = folder.resolve(name).normalize();
      if (!file.getParent().equals(folder.normalize()) || !Files.isRegularFile(file)) {
        throw new IOException("The bundle is damaged: " + name + " is missing.");
      }
      if (!sha256(file).equals(f.path("sha256").asText())) {
        throw new IOException(
            "The bundle is damaged: " + name + " does not match its checksum in the manifest.");
      }
      listed.add(name);
    }
    for (String needed : List.of(ExitBundle.DUMP, "media.tar", "signing.key")) {
      if (!listed.contains(needed)) {
        throw new IOException("The bundle is damaged: its manifest does not list " + needed + ".");
      }
    }
    return manifest;
  }

  /**
   * The local port whose server name is the bundle's ({@code localhost:<port + 1>} on this
   * machine), if no live instance holds it and nothing listens there.
   */
  private int localPortFor(String serverName) throws IOException {
    Matcher m = LOCAL_NAME.matcher(serverName);
    if (!m.matches()) {
      throw new IOException(
          "The server name "
              + serverName
              + " cannot be served by this platform's runtime (it names servers"
              + " localhost:<port>).");
    }
    int port = Integer.parseInt(m.group(1)) - 1;
    long held =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Instance.count(
                        "localPort > ?1 and localPort < ?2 and state <> 'deleted'",
                        port - LocalPorts.BLOCK,
                        port + LocalPorts.BLOCK));
    if (held > 0 || !LocalPorts.free(port)) {
      throw new IOException("The server name " + serverName + " is in use here.");
    }
    return port;
  }

  /**
   * Links the server's users to the organisation's members by their email (a user of the server
   * whose email is a member's signs in through the realm as that member); answers how many.
   */
  int mapByEmail(InstanceSpec spec, String org) throws java.sql.SQLException {
    int linked = 0;
    try (Connection c = databases.open(spec.database().name());
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO user_external_ids (auth_provider, external_id, user_id)"
                    + " SELECT 'oidc-salons', ?, t.user_id FROM user_threepids t"
                    + " WHERE t.medium = 'email' AND lower(t.address) = lower(?)"
                    + " AND NOT EXISTS (SELECT 1 FROM user_external_ids x"
                    + " WHERE x.auth_provider = 'oidc-salons'"
                    + " AND (x.external_id = ? OR x.user_id = t.user_id))")) {
      for (MemberDirectory.Member m : directory.members(org)) {
        if (m.email() == null || m.email().isBlank()) {
          continue;
        }
        st.setString(1, m.userId());
        st.setString(2, m.email());
        st.setString(3, m.userId());
        linked += st.executeUpdate();
      }
    }
    return linked;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void step(UUID id, String step) {
    QuarkusTransaction.requiringNew()
        .run(() -> ((InstanceImport) InstanceImport.findById(id)).step = step);
  }
}
