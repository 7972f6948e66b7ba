package coop.salons.provisioning.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.common.api.ProblemException;
import coop.salons.common.concurrent.DaemonThreads;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.runtime.ChatRuntime;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Takes and restores an instance's backups (docs/adr/0032): its database as {@code pg_dump}'s
 * custom format, its media (Synapse) or files (Mattermost) as a tar, its secrets (signing key
 * included), each file encrypted with the hoster's key, and a manifest of their sizes and HMACs,
 * itself authenticated. A restore checks every file against the manifest before it touches
 * anything, then stops the server, replaces database, media and secrets, and starts it again.
 *
 * <p>The database and files are read and written through {@link InstanceData}: on this machine
 * directly, on Kubernetes through a pod beside the instance's volume (docs/adr/0037).
 */
@ApplicationScoped
public class InstanceBackups {

  static final String FORMAT = "salons-backup/3";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject ProvisioningConfig config;
  @Inject PgTools pg;
  @Inject ChatRuntime runtime;
  @Inject InstanceSpecs specs;
  @Inject TenantDatabases databases;
  @Inject InstanceService instances;
  @Inject BackupStore store;
  @Inject jakarta.enterprise.inject.Instance<io.fabric8.kubernetes.client.KubernetesClient> kube;

  private volatile InstanceData data;

  /** Where the instance's data is read and written: this machine, or a pod on Kubernetes. */
  InstanceData data() {
    if (data == null) {
      data =
          "kubernetes".equals(config.runtime())
              ? new PodData(kube.get(), config.backups().image(), config.backups().timeout())
              : new LocalData(pg);
    }
    return data;
  }

  private final ExecutorService workers =
      Executors.newFixedThreadPool(2, DaemonThreads.named("instance-backup"));

  @Inject coop.salons.common.db.SingleReplica singleReplica;

  /** The instance's backups, newest first (not those removed past the plan's number). */
  public List<InstanceBackup> list(UUID instanceId) {
    return InstanceBackup.list(
        "instanceId = ?1 and state <> 'removed' order by startedAt desc", instanceId);
  }

  @io.quarkus.scheduler.Scheduled(
      every = "${salons.provisioning.backups.check-every:1h}",
      delayed = "5m",
      concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = io.quarkus.scheduler.Scheduled.ApplicationNotRunning.class)
  void scheduled() {
    if (!available()) {
      return;
    }
    try {
      singleReplica.run("instance-backups", this::runSchedule);
    } catch (RuntimeException e) {
      Log.warnf("Scheduled backups: %s", e.getMessage());
    }
  }

  /**
   * One pass of the schedule: every instance whose newest backup is older than the interval (or
   * that has none) gets one, and each instance's finished backups beyond its plan's number (the
   * oldest) are removed from storage. Answers how many backups were started.
   */
  public int runSchedule() {
    OffsetDateTime due = OffsetDateTime.now().minus(config.backups().interval());
    List<Instance> live =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Instance.<Instance>list(
                        runtime.usesLocalPorts()
                            ? "state in ('ready', 'suspended') and localPort is not null"
                            : "state in ('ready', 'suspended')"));
    int started = 0;
    for (Instance i : live) {
      prune(i);
      boolean fresh =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      InstanceBackup.count(
                              "instanceId = ?1 and kind <> 'final' and state in ('running',"
                                  + " 'done') and startedAt > ?2",
                              i.id,
                              due)
                          > 0);
      if (fresh) {
        continue;
      }
      try {
        QuarkusTransaction.requiringNew().run(() -> start(i, "scheduled"));
        started++;
      } catch (RuntimeException e) {
        Log.warnf(
            "Scheduled backup of %s/%s not started: %s",
            i.organizationSlug, i.slug, e.getMessage());
      }
    }
    return started;
  }

  /** Removes an instance's finished backups beyond its plan's number, oldest first. */
  void prune(Instance i) {
    int kept = config.plans().containsKey(i.plan) ? config.plans().get(i.plan).backupsKept() : 7;
    List<InstanceBackup> done =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    InstanceBackup.<InstanceBackup>list(
                        "instanceId = ?1 and kind <> 'final' and state = 'done'"
                            + " order by startedAt desc",
                        i.id));
    for (InstanceBackup old : done.subList(Math.min(kept, done.size()), done.size())) {
      if (old.location != null) {
        store.remove(old.location);
      }
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceBackup b = InstanceBackup.findById(old.id);
                b.state = "removed";
                b.location = null;
              });
      Log.infof(
          "Instance %s/%s: backup %s removed (the plan keeps %d)",
          i.organizationSlug, i.slug, old.id, kept);
    }
  }

  /** Starts a backup; answers its row at once (state {@code running}). */
  public InstanceBackup start(Instance i, String kind) {
    cipher(); // no key: refused before anything is written
    if ("deleted".equals(i.state) || (runtime.usesLocalPorts() && i.localPort == null)) {
      throw ProblemException.conflict("The instance has no server to back up yet.");
    }
    if (InstanceBackup.count("instanceId = ?1 and state = 'running'", i.id) > 0) {
      throw ProblemException.conflict("A backup of this instance is being taken.");
    }
    InstanceBackup b = new InstanceBackup();
    b.id = UUID.randomUUID();
    b.instanceId = i.id;
    b.organizationSlug = i.organizationSlug;
    b.kind = kind;
    b.state = "running";
    b.startedAt = OffsetDateTime.now();
    b.persist();
    UUID id = b.id;
    UUID instance = i.id;
    workers.submit(() -> take(id, instance));
    return b;
  }

  private void take(UUID backupId, UUID instanceId) {
    awaitCommitted(() -> InstanceBackup.findById(backupId) != null);
    try {
      InstanceSpec spec = spec(instanceId);
      Written w = write(backupId, spec, placement(instanceId, spec), false);
      String kept = store.keep(w.location(), name(spec, backupId));
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceBackup b = InstanceBackup.findById(backupId);
                b.state = "done";
                b.location = kept;
                b.sizeBytes = w.bytes();
                b.finishedAt = OffsetDateTime.now();
              });
      Log.infof(
          "Instance %s/%s: backup %s taken (%d bytes)",
          spec.organization(), spec.slug(), backupId, w.bytes());
    } catch (Exception e) {
      Log.warnf("Backup %s of instance %s failed: %s", backupId, instanceId, e.getMessage());
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceBackup b = InstanceBackup.findById(backupId);
                b.state = "failed";
                b.error = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
                b.finishedAt = OffsetDateTime.now();
              });
    }
  }

  /** Where a backup was written and its size. */
  record Written(Path location, long bytes) {}

  /** A backup's name in storage: {@code <organization>/<instance>/<backup>}. */
  private static String name(InstanceSpec spec, UUID backupId) {
    return spec.organization() + "/" + spec.id() + "/" + backupId;
  }

  /** Writes a backup of the instance: dump, files, secrets, each sealed, and the manifest. */
  Written write(UUID backupId, InstanceSpec spec, Placement placement, boolean verify)
      throws IOException {
    Path work = null;
    try {
      Path target = store.folder().resolve(name(spec, backupId));
      Files.createDirectories(target);
      work = Files.createTempDirectory(target.getParent(), ".taking-");
      BackupCipher cipher = cipher();
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("format", FORMAT);
      manifest.put("backup", backupId.toString());
      manifest.put("instance", spec.id().toString());
      manifest.put("organization", spec.organization());
      manifest.put("slug", spec.slug());
      manifest.put("flavour", spec.flavour().id());
      manifest.put("version", spec.version());
      manifest.put("serverName", placement.serverName());
      manifest.put("publicUrl", placement.publicUrl());
      String folder = filesFolder(spec);
      manifest.put("filesFolder", folder);
      manifest.put("takenAt", OffsetDateTime.now().toString());
      ArrayNode list = manifest.putArray("files");
      long size = 0;
      try (InstanceData.Access access = data().open(spec, placement)) {
        // The database, as pg_dump's custom format (pg_restore reads it; tables, sequences,
        // constraints and indexes included), encrypted as pg_dump writes it.
        size +=
            sealed(
                list,
                backupId + "/database.dump",
                cipher,
                target,
                access.dump(work.resolve("pg_dump.log")));
        // Media (Synapse) or files (Mattermost), encrypted as tar writes them.
        size +=
            sealed(
                list,
                backupId + "/files.tar",
                cipher,
                target,
                access.files(folder, work.resolve("tar.log")));
        size += sealSecretsAndManifest(backupId, spec, manifest, list, cipher, target, work);
        if (verify) {
          verifyFolder(target, access::listDump);
        }
      }
      return new Written(target, size);
    } finally {
      deleteQuietly(work);
    }
  }

  /** The secrets, sealed, then the manifest and its HMAC; answers the secrets' sealed size. */
  private long sealSecretsAndManifest(
      UUID backupId,
      InstanceSpec spec,
      ObjectNode manifest,
      ArrayNode list,
      BackupCipher cipher,
      Path target,
      Path work)
      throws IOException {
    // The secrets the server needs (its signing key above all).
    Path secrets = work.resolve("secrets.json");
    Map<String, String> values = new TreeMap<>(runtime.secrets(spec, Map.of()).values());
    Files.writeString(secrets, JSON.writeValueAsString(values));
    BackupCipher.Sealed s =
        cipher.encrypt(secrets, target.resolve("secrets.json.enc"), backupId + "/secrets.json");
    Files.delete(secrets);
    entry(list, "secrets.json", s);
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest);
    Files.writeString(target.resolve("manifest.json"), text);
    Files.writeString(target.resolve("manifest.json.hmac"), cipher.hmacOf(text));
    return s.encryptedBytes();
  }

  /**
   * Encrypts what a tool writes to its output as the file {@code <backup>/<name>}; fails if the
   * tool does.
   */
  private static long sealed(
      ArrayNode list, String context, BackupCipher cipher, Path target, InstanceData.Output output)
      throws IOException {
    String name = context.substring(context.indexOf('/') + 1);
    BackupCipher.Sealed s;
    try (var out = output.stream()) {
      s = cipher.encrypt(out, target.resolve(name + ".enc"), context);
    }
    try {
      output.finish();
    } catch (IOException e) {
      throw new IOException(name + " could not be made (" + e.getMessage() + ")", e);
    }
    entry(list, name, s);
    return s.encryptedBytes();
  }

  private static void entry(ArrayNode list, String name, BackupCipher.Sealed s) {
    ObjectNode f = list.addObject();
    f.put("name", name);
    f.put("bytes", s.bytes());
    f.put("encryptedBytes", s.encryptedBytes());
    f.put("hmac", s.hmac());
  }

  /**
   * The final backup before a purge, taken now and verified: every file checked against its
   * manifest and decrypted, and the dump read whole by {@code pg_restore --list}. Throws if any of
   * it fails: the purge does not go on without it.
   */
  public String takeFinal(InstanceSpec spec, Placement placement) throws IOException {
    cipher();
    UUID id = UUID.randomUUID();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              InstanceBackup b = new InstanceBackup();
              b.id = id;
              b.instanceId = spec.id();
              b.organizationSlug = spec.organization();
              b.kind = "final";
              b.state = "running";
              b.startedAt = OffsetDateTime.now();
              b.persist();
            });
    try {
      Written w = write(id, spec, placement, true);
      String kept = store.keep(w.location(), name(spec, id));
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceBackup b = InstanceBackup.findById(id);
                b.state = "done";
                b.location = kept;
                b.sizeBytes = w.bytes();
                b.finishedAt = OffsetDateTime.now();
              });
      return kept;
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceBackup b = InstanceBackup.findById(id);
                b.state = "failed";
                b.error = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
                b.finishedAt = OffsetDateTime.now();
              });
      throw e;
    }
  }

  /** Where the instance's final backup taken (and verified) since {@code since} is, if any. */
  public java.util.Optional<String> finalTakenSince(UUID instanceId, OffsetDateTime since) {
    if (since == null) {
      return java.util.Optional.empty();
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                InstanceBackup.<InstanceBackup>find(
                        "instanceId = ?1 and kind = 'final' and state = 'done' and startedAt >= ?2"
                            + " order by startedAt desc",
                        instanceId,
                        since)
                    .firstResultOptional()
                    .map(b -> b.location));
  }

  /**
   * A kept backup (its location) read back whole: manifest, every file, and the dump listed by
   * pg_restore, run on this machine.
   */
  void verify(String location) throws IOException {
    try (BackupStore.Opened o = store.open(location)) {
      verifyFolder(o.folder(), dump -> pg.run("pg_restore", List.of("--list", dump.toString())));
    }
  }

  /** What reads a dump's table of contents (pg_restore --list, here or in the backup pod). */
  private interface DumpLister {
    void list(Path dump) throws IOException;
  }

  private void verifyFolder(Path location, DumpLister lister) throws IOException {
    Path work = Files.createTempDirectory(location.getParent(), ".verifying-");
    try {
      opened(location, work);
      lister.list(work.resolve("database.dump"));
    } finally {
      deleteQuietly(work);
    }
  }

  /** Whether backups are taken: the hoster gave the key that encrypts them. */
  public boolean available() {
    return config.backups().key().isPresent();
  }

  /**
   * Starts restoring an instance in place from one of its backups. The backup must be whole:
   * checked file by file against its authenticated manifest before the server is stopped.
   */
  public InstanceRestore restore(Instance i, InstanceBackup b) {
    if (!"done".equals(b.state)) {
      throw ProblemException.conflict(
          "The backup is " + b.state + "; only a finished one restores.");
    }
    if (InstanceRestore.count("instanceId = ?1 and state = 'running'", i.id) > 0) {
      throw ProblemException.conflict("The instance is being restored already.");
    }
    InstanceRestore r = new InstanceRestore();
    r.id = UUID.randomUUID();
    r.backupId = b.id;
    r.instanceId = i.id;
    r.organizationSlug = i.organizationSlug;
    r.step = "checking";
    r.state = "running";
    r.startedAt = OffsetDateTime.now();
    r.persist();
    UUID id = r.id;
    String org = i.organizationSlug;
    String slug = i.slug;
    boolean wasRunning = "running".equals(i.desired);
    String location = b.location;
    UUID instance = i.id;
    workers.submit(() -> restore(id, org, slug, instance, location, wasRunning));
    return r;
  }

  private void restore(
      UUID restoreId, String org, String slug, UUID instanceId, String kept, boolean wasRunning) {
    awaitCommitted(() -> InstanceRestore.findById(restoreId) != null);
    Path work = null;
    Path unpacked = null;
    try (BackupStore.Opened opened = store.open(kept)) {
      Path location = opened.folder();
      // 1. Every file as the manifest says, before anything is touched.
      work = Files.createTempDirectory(store.folder(), ".restoring-");
      InstanceSpec spec = spec(instanceId);
      // The files are unpacked beside the instance's own (the same disk: moved into place later).
      if (runtime.usesLocalPorts()) {
        Path data = Path.of(placement(instanceId, spec).dataDir());
        unpacked = data.resolve(".restoring-" + restoreId);
      }
      JsonNode manifest = opened(location, work, null, unpacked);
      // 2. The server stopped.
      step(restoreId, "stopping");
      instances.suspend(org, slug);
      awaitState(instanceId, List.of("suspended"), Duration.ofMinutes(5));
      // 3. The secrets (the database role's password with them), the database, the files.
      Map<String, String> secrets =
          JSON.readValue(
              Files.readString(work.resolve("secrets.json")),
              new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      String folder = manifest.path("filesFolder").asText(filesFolder(spec));
      UUID id = restoreId;
      replace(
          instanceId,
          spec,
          secrets,
          secrets.get(InstanceSecrets.DB_PASSWORD),
          work.resolve("database.dump"),
          unpacked != null ? unpacked : work.resolve("files.tar"),
          folder,
          s -> step(id, s));
      // 5. Started again, as it was asked to run before.
      step(restoreId, "starting");
      if (wasRunning) {
        instances.resume(org, slug);
      }
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceRestore r = InstanceRestore.findById(restoreId);
                r.step = "done";
                r.state = "done";
                r.finishedAt = OffsetDateTime.now();
              });
      Log.infof("Instance %s/%s restored from %s", org, slug, kept);
    } catch (Exception e) {
      Log.warnf("Restore %s of %s/%s failed: %s", restoreId, org, slug, e.getMessage());
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                InstanceRestore r = InstanceRestore.findById(restoreId);
                r.state = "failed";
                r.error = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
                r.finishedAt = OffsetDateTime.now();
              });
    } finally {
      deleteQuietly(work);
      deleteQuietly(unpacked);
    }
  }

  /**
   * Replaces a stopped instance's data: these secrets put back, its database dropped, made again
   * with this role password and filled from the dump, its files folder replaced by the tar's (the
   * old one moved aside, removed once the new one is there). {@code files} is a tar, or a folder
   * where one was unpacked already (on the same disk as the instance's data). Each part is told to
   * {@code step}.
   */
  void replace(
      UUID instanceId,
      InstanceSpec spec,
      Map<String, String> secrets,
      String dbPassword,
      Path dump,
      Path files,
      String folder,
      java.util.function.Consumer<String> step)
      throws IOException {
    step.accept("secrets");
    for (Map.Entry<String, String> s : secrets.entrySet()) {
      runtime.putSecret(spec, s.getKey(), s.getValue());
    }
    step.accept("database");
    String db = spec.database().name();
    databases.drop(db);
    databases.ensure(db, dbPassword, true);
    try (InstanceData.Access access = data().open(spec, placement(instanceId, spec))) {
      access.restoreDump(dump);
      step.accept("media");
      access.replaceFiles(files, folder);
    }
  }

  /**
   * The manifest, authenticated, and every file decrypted into {@code work} and matched against it;
   * throws {@link Damaged} on the first difference.
   */
  JsonNode opened(Path location, Path work) throws IOException {
    return opened(location, work, null);
  }

  /**
   * As {@link #opened(Path, Path)}, and the SHA-256 of each file's plain bytes put in {@code
   * digests} (an exit bundle lists them) when it is given.
   */
  JsonNode opened(Path location, Path work, Map<String, String> digests) throws IOException {
    return opened(location, work, digests, null);
  }

  /**
   * As {@link #opened(Path, Path, Map)}; when {@code unpackInto} is given, the files archive is not
   * written as a tar but unpacked there as it is decrypted (a restore then moves the folder into
   * place instead of writing every file twice). Counter mode lets whoever can change the stored
   * bytes change the plain ones at will, so nothing is given to tar before it was authenticated:
   * chunk by chunk in format 3, by a first pass over the whole archive in formats 1 and 2. What is
   * unpacked is the caller's to remove if this throws.
   */
  JsonNode opened(Path location, Path work, Map<String, String> digests, Path unpackInto)
      throws IOException {
    BackupCipher cipher = cipher();
    String text = Files.readString(location.resolve("manifest.json"));
    String hmac = Files.readString(location.resolve("manifest.json.hmac")).trim();
    if (!java.security.MessageDigest.isEqual(
        cipher.hmacOf(text).getBytes(StandardCharsets.US_ASCII),
        hmac.getBytes(StandardCharsets.US_ASCII))) {
      throw new Damaged("its manifest was changed");
    }
    JsonNode manifest = JSON.readTree(text);
    boolean chunked = FORMAT.equals(manifest.path("format").asText());
    for (JsonNode f : manifest.path("files")) {
      String name = f.path("name").asText();
      Path sealed = location.resolve(name + ".enc");
      if (!Files.exists(sealed)) {
        throw new Damaged(name + " is missing");
      }
      String expected = f.path("sha256").asText(null);
      boolean digest = digests != null || expected != null;
      boolean unpack = unpackInto != null && "files.tar".equals(name);
      // Format 3 checks each chunk before its bytes are written or given to tar. Formats 1 and 2
      // authenticate the whole file only: an archive to unpack is checked in a first pass, since
      // nothing unauthenticated is given to tar.
      if (unpack && !chunked && !cipher.hmacOf(sealed).equals(f.path("hmac").asText())) {
        throw new Damaged(name + " is not what was written");
      }
      Unpacking unpacking = unpack ? new Unpacking(unpackInto, work.resolve("unpack.log")) : null;
      BackupCipher.Opened o;
      try (OutputStream out =
          unpack ? unpacking.input() : Files.newOutputStream(work.resolve(name))) {
        o =
            chunked
                ? cipher.decryptChunked(
                    sealed, out, digest, manifest.path("backup").asText() + "/" + name)
                : cipher.decrypt(sealed, out, digest);
      } catch (BackupCipher.Forged e) {
        throw new Damaged(name + " is not what was written (" + e.getMessage() + ")");
      }
      if (!o.hmac().equals(f.path("hmac").asText())) {
        throw new Damaged(name + " is not what was written");
      }
      if (expected != null && !o.sha256().equals(expected)) {
        throw new Damaged(name + " does not decrypt to what was backed up");
      }
      if (unpacking != null) {
        unpacking.finish();
      }
      if (digests != null) {
        digests.put(name, o.sha256());
      }
    }
    return manifest;
  }

  /**
   * A {@code tar -x} fed through its input. Writes go on after tar stops (the rest is dropped), so
   * that the whole archive is still authenticated and a damaged one is named as such, not as a
   * broken pipe.
   */
  private static final class Unpacking {
    private final Process tar;
    private final Path log;
    private boolean broken;

    Unpacking(Path into, Path log) throws IOException {
      Files.createDirectories(into);
      this.log = log;
      this.tar =
          new ProcessBuilder("tar", "-C", into.toString(), "-xf", "-")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    }

    OutputStream input() {
      OutputStream in = tar.getOutputStream();
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          if (!broken) {
            try {
              in.write(b, off, len);
            } catch (IOException e) {
              broken = true;
            }
          }
        }

        @Override
        public void close() {
          try {
            in.close();
          } catch (IOException e) {
            broken = true;
          }
        }
      };
    }

    void finish() throws IOException {
      try {
        if (tar.waitFor() != 0 || broken) {
          throw new IOException("the files could not be unpacked: " + Files.readString(log).trim());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** A backup whose files do not match its manifest. */
  public static final class Damaged extends IOException {
    Damaged(String why) {
      super("The backup is damaged: " + why + ".");
    }
  }

  private void step(UUID restoreId, String step) {
    QuarkusTransaction.requiringNew()
        .run(() -> ((InstanceRestore) InstanceRestore.findById(restoreId)).step = step);
  }

  /** Waits until the instance is in one of these states; throws after {@code within}. */
  static void awaitState(UUID instanceId, List<String> states, Duration within) throws IOException {
    long until = System.nanoTime() + within.toNanos();
    String now = null;
    while (System.nanoTime() < until) {
      now =
          QuarkusTransaction.requiringNew()
              .call(() -> ((Instance) Instance.findById(instanceId)).state);
      if (states.contains(now)) {
        return;
      }
      sleep(500);
    }
    throw new IOException(
        "the instance is "
            + now
            + ", not "
            + String.join(" or ", states)
            + ", after "
            + within.toMinutes()
            + " minutes");
  }

  private InstanceSpec spec(UUID instanceId) {
    return specs.specOf(instanceId);
  }

  private Placement placement(UUID instanceId, InstanceSpec spec) {
    return runtime.placement(spec, specs.localPortOf(instanceId));
  }

  private static String filesFolder(InstanceSpec spec) {
    return spec.flavour() == Flavour.MATRIX ? "media" : "files";
  }

  /** Imports need a server name this machine can give (docs/adr/0035): the local runtime only. */
  void requireLocal() {
    if (!runtime.usesLocalPorts()) {
      throw new ProblemException(
          409,
          "imports-unavailable",
          "Imports unavailable here",
          "Bringing a server in runs on the local runtime only so far; on Kubernetes its server"
              + " name must become the instance's host, which this version does not do.",
          List.of());
    }
  }

  BackupCipher cipher() {
    String key = config.backups().key().orElse("").trim();
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      raw = new byte[0];
    }
    if (raw.length != 32 && key.length() >= 32) {
      // A generated text of 32 characters or more (the chart's): its SHA-256 is the key.
      try {
        raw =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    if (raw.length != 32) {
      throw new ProblemException(
          409,
          "backups-unavailable",
          "Backups unavailable here",
          "The hoster has not set the key that encrypts backups (32 bytes in base64, or a"
              + " generated text of 32 characters or more).",
          List.of());
    }
    return new BackupCipher(raw);
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      Log.warnf("Could not remove %s: %s", dir, e.getMessage());
    }
  }

  /**
   * Waits (5 s at most) for the row a request made to be committed: work started by a request runs
   * beside it and may look before the request's transaction ends.
   */
  static void awaitCommitted(java.util.function.Supplier<Boolean> exists) {
    for (int n = 0; n < 50 && !QuarkusTransaction.requiringNew().call(exists::get); n++) {
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
