package coop.salons.provisioning.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.model.ExitBundle;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Exit bundles (docs/adr/0033): an instance's backup, unencrypted for its owners, with what runs it
 * outside the platform ({@link ExitBundle}), as one tar fetched through a signed link that expires.
 * Built from a finished backup, every file checked against its manifest first.
 */
@ApplicationScoped
public class ExitBundles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject ProvisioningConfig config;
  @Inject InstanceBackups backups;
  @Inject InstanceSpecs specs;
  @Inject BackupStore store;

  /** A link to download a backup's exit bundle, and until when it works. */
  public record Link(String token, OffsetDateTime expiresAt) {}

  /** Signs a link to a finished backup's bundle; it works for the configured lifetime. */
  public Link link(InstanceBackup b) {
    return link(b, config.backups().exitLinkLifetime());
  }

  Link link(InstanceBackup b, java.time.Duration lifetime) {
    if (!"done".equals(b.state) || b.location == null) {
      throw ProblemException.conflict(
          "The backup is " + b.state + "; only a finished one makes an exit bundle.");
    }
    long expires = Instant.now().plus(lifetime).getEpochSecond();
    String text = b.id + "." + expires;
    return new Link(
        text + "." + backups.cipher().signLink(text),
        OffsetDateTime.ofInstant(Instant.ofEpochSecond(expires), ZoneOffset.UTC));
  }

  /**
   * The backup a link names, if its signature holds and it has not expired: a link changed in any
   * way is unknown (404), an expired one says so (410).
   */
  public InstanceBackup backupOf(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length != 3
        || !parts[0].matches("[0-9a-f-]{36}")
        || !parts[1].matches("[0-9]{1,12}")) {
      throw unknown();
    }
    String text = parts[0] + "." + parts[1];
    if (!MessageDigest.isEqual(
        backups.cipher().signLink(text).getBytes(StandardCharsets.US_ASCII),
        parts[2].getBytes(StandardCharsets.US_ASCII))) {
      throw unknown();
    }
    if (Instant.now().getEpochSecond() > Long.parseLong(parts[1])) {
      throw new ProblemException(
          410,
          "exit-link-expired",
          "Link expired",
          "This link to an exit bundle has expired; an owner of the organisation makes a new one"
              + " from the instance's backups.",
          List.of());
    }
    InstanceBackup b = InstanceBackup.findById(UUID.fromString(parts[0]));
    if (b == null || !"done".equals(b.state) || b.location == null) {
      throw unknown();
    }
    return b;
  }

  private static ProblemException unknown() {
    return ProblemException.notFound("No exit bundle at this link.");
  }

  /** The name of a backup's bundle (its folder, and the tar's name with {@code .tar}). */
  public static String name(InstanceBackup b, String slug) {
    return "salons-"
        + b.organizationSlug
        + "-"
        + slug
        + "-"
        + b.startedAt.atZoneSameInstant(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
  }

  /**
   * Writes the bundle of a backup as a tar to {@code out}: the backup's files decrypted and checked
   * first (nothing is sent from a damaged backup), then the configuration, the compose file, the
   * steps and a manifest of every file's SHA-256.
   */
  public void write(InstanceBackup b, String slug, OutputStream out) throws IOException {
    BackupStore.Opened kept = store.open(b.location);
    Path location = kept.folder();
    Path work = Files.createTempDirectory(store.folder(), ".exit-");
    try {
      Path opened = Files.createDirectory(work.resolve("opened"));
      Map<String, String> digests = new LinkedHashMap<>();
      JsonNode manifest = backups.opened(location, opened, digests);
      String name = name(b, slug);
      Path folder = Files.createDirectory(work.resolve(name));
      ExitBundle.Source source = source(b, manifest, opened);
      Map<String, String> sums = new LinkedHashMap<>();
      Files.move(opened.resolve("database.dump"), folder.resolve(ExitBundle.DUMP));
      sums.put(ExitBundle.DUMP, digests.get("database.dump"));
      Files.move(opened.resolve("files.tar"), folder.resolve(source.filesArchive()));
      sums.put(source.filesArchive(), digests.get("files.tar"));
      for (Map.Entry<String, String> f : ExitBundle.render(source).entrySet()) {
        Path file = folder.resolve(f.getKey());
        Files.writeString(file, f.getValue());
        sums.put(f.getKey(), sha256(f.getValue().getBytes(StandardCharsets.UTF_8)));
      }
      Files.setPosixFilePermissions(
          folder.resolve(ExitBundle.RESTORE_SCRIPT), PosixFilePermissions.fromString("rwxr-xr-x"));
      ObjectNode m = JSON.createObjectNode();
      m.put("format", ExitBundle.FORMAT);
      m.put("flavour", source.flavour().id());
      m.put("version", source.version());
      m.put("serverName", source.serverName());
      m.put("publicUrl", source.publicUrl());
      m.put("organization", source.organization());
      m.put("slug", source.slug());
      m.put("takenAt", manifest.path("takenAt").asText());
      ArrayNode files = m.putArray("files");
      sums.forEach((file, sum) -> files.addObject().put("name", file).put("sha256", sum));
      Files.writeString(
          folder.resolve("manifest.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
      Process tar =
          new ProcessBuilder("tar", "-C", work.toString(), "-cf", "-", name)
              .redirectError(work.resolve("tar.log").toFile())
              .start();
      try (InputStream in = tar.getInputStream()) {
        in.transferTo(out);
      }
      if (tar.waitFor() != 0) {
        throw new IOException("tar failed: " + Files.readString(work.resolve("tar.log")).trim());
      }
      Log.infof("Exit bundle of backup %s sent (%s)", b.id, name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      InstanceBackups.deleteQuietly(work);
      kept.close();
    }
  }

  /**
   * What the bundle is made from: the backup's manifest and secrets (only those the server needs to
   * stay itself), the instance's retention, the image of its flavour.
   */
  private ExitBundle.Source source(InstanceBackup b, JsonNode manifest, Path opened)
      throws IOException {
    Map<String, String> all =
        JSON.readValue(
            Files.readString(opened.resolve("secrets.json")),
            new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    Map<String, String> kept = new LinkedHashMap<>();
    for (String k :
        List.of(
            InstanceSecrets.SIGNING_KEY,
            InstanceSecrets.MACAROON,
            InstanceSecrets.FORM,
            InstanceSecrets.REGISTRATION,
            InstanceSecrets.AT_REST_KEY)) {
      if (all.containsKey(k)) {
        kept.put(k, all.get(k));
      }
    }
    Flavour flavour =
        Flavour.of(manifest.path("flavour").asText())
            .orElseThrow(() -> new IOException("the backup names no flavour"));
    String serverName = manifest.path("serverName").asText();
    String publicUrl = manifest.path("publicUrl").asText("https://" + serverName + "/");
    int retentionDays;
    try {
      InstanceSpec spec = specs.specOf(b.instanceId);
      retentionDays = spec.retentionDays();
    } catch (RuntimeException e) {
      retentionDays = 0; // an instance purged since: its bundle keeps every message it has
    }
    byte[] password = new byte[24];
    RANDOM.nextBytes(password);
    return new ExitBundle.Source(
        flavour,
        flavour == Flavour.MATRIX ? config.images().synapse() : config.images().mattermost(),
        manifest.path("version").asText(),
        serverName,
        publicUrl.endsWith("/") ? publicUrl : publicUrl + "/",
        manifest.path("organization").asText(),
        manifest.path("slug").asText(),
        retentionDays,
        kept,
        HexFormat.of().formatHex(password));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
