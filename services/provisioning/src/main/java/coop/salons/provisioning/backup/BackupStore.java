package coop.salons.provisioning.backup;

import coop.salons.provisioning.ProvisioningConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where finished backups are kept (docs/adr/0036): the backups folder itself (a durable volume), or
 * an S3-compatible bucket. A backup is always written in the folder first (its files sealed as they
 * are made); kept in a bucket, its files are then uploaded (in parts past {@code part-size}) and
 * the local copy removed. To be read, a backup kept in a bucket is downloaded into the folder
 * again.
 *
 * <p>A location is a folder's path, or {@code s3://<bucket>/<key prefix>} for a bucket.
 */
@ApplicationScoped
public class BackupStore {

  static final String SCHEME = "s3://";

  @Inject ProvisioningConfig config;

  private S3Client client;

  /** Whether new backups go to a bucket. */
  public boolean bucket() {
    return "s3".equals(config.backups().target());
  }

  /** Where backups are written and read on this machine (a bucket's are downloaded there). */
  Path folder() {
    return Path.of(config.backups().dir()).toAbsolutePath();
  }

  /**
   * Keeps a backup just written in {@code written} (a folder under {@link #folder()}) as {@code
   * <organization>/<instance>/<backup>}: answers its location. In a bucket, the folder is removed
   * once every file is there; if the upload fails, what was uploaded is removed and this throws.
   */
  String keep(Path written, String name) throws IOException {
    if (!bucket()) {
      return written.toString();
    }
    ProvisioningConfig.Backups.S3 s3 = config.backups().s3();
    String bucket = s3.bucket().orElseThrow();
    String prefix = s3.prefix() + name + "/";
    List<Path> files;
    try (Stream<Path> all = Files.list(written)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    try {
      for (Path f : files) {
        upload(bucket, prefix + f.getFileName(), f, s3.partSize());
      }
    } catch (IOException | RuntimeException e) {
      remove(SCHEME + bucket + "/" + prefix);
      throw e instanceof IOException io ? io : new IOException(message(e), e);
    }
    InstanceBackups.deleteQuietly(written);
    return SCHEME + bucket + "/" + prefix;
  }

  /**
   * A backup's files in a folder of this machine, to be read: its own folder on a volume; from a
   * bucket, downloaded into a new folder that closing removes.
   */
  Opened open(String location) throws IOException {
    if (!location.startsWith(SCHEME)) {
      return new Opened(Path.of(location), false);
    }
    Files.createDirectories(folder());
    Path into = Files.createTempDirectory(folder(), ".downloaded-");
    try {
      Located l = located(location);
      for (S3Object o : objects(l)) {
        String file = o.key().substring(l.prefix().length());
        if (file.isEmpty() || file.contains("/")) {
          continue;
        }
        try (InputStream in = client().getObject(r -> r.bucket(l.bucket()).key(o.key()))) {
          Files.copy(in, into.resolve(file));
        }
      }
      return new Opened(into, true);
    } catch (IOException | RuntimeException e) {
      InstanceBackups.deleteQuietly(into);
      throw e instanceof IOException io ? io : new IOException(message(e), e);
    }
  }

  /** A backup's files as a folder of this machine; closing removes a downloaded copy. */
  record Opened(Path folder, boolean downloaded) implements AutoCloseable {
    @Override
    public void close() {
      if (downloaded) {
        InstanceBackups.deleteQuietly(folder);
      }
    }
  }

  /** Removes a backup's files, wherever they are kept (a failure is logged, not thrown). */
  void remove(String location) {
    if (!location.startsWith(SCHEME)) {
      InstanceBackups.deleteQuietly(Path.of(location));
      return;
    }
    try {
      Located l = located(location);
      for (S3Object o : objects(l)) {
        client().deleteObject(r -> r.bucket(l.bucket()).key(o.key()));
      }
    } catch (RuntimeException e) {
      Log.warnf("Backup files at %s not all removed: %s", location, message(e));
    }
  }

  private void upload(String bucket, String key, Path file, long partSize) throws IOException {
    long size = Files.size(file);
    if (size <= partSize) {
      client().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
      return;
    }
    // In parts: a single PUT stops at 5 GiB, and a part that fails is the only one sent again.
    String upload = client().createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    try (InputStream in = Files.newInputStream(file)) {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long sent = 0; sent < size; number++) {
        long n = Math.min(partSize, size - sent);
        byte[] part = in.readNBytes((int) n);
        int p = number;
        String etag =
            client()
                .uploadPart(
                    r -> r.bucket(bucket).key(key).uploadId(upload).partNumber(p),
                    RequestBody.fromBytes(part))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(p).eTag(etag).build());
        sent += n;
      }
      client()
          .completeMultipartUpload(
              r -> r.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      try {
        client().abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload));
      } catch (RuntimeException ignored) {
        // the bucket's lifecycle rules remove parts left behind
      }
      throw e;
    }
  }

  private List<S3Object> objects(Located l) {
    List<S3Object> all = new ArrayList<>();
    client()
        .listObjectsV2Paginator(
            ListObjectsV2Request.builder().bucket(l.bucket()).prefix(l.prefix()).build())
        .contents()
        .forEach(all::add);
    return all;
  }

  private record Located(String bucket, String prefix) {}

  private static Located located(String location) {
    String rest = location.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("not a bucket's location: " + location);
    }
    return new Located(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** A bucket named without its name or keys stops the service at its start, saying which. */
  void check(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
    if (!bucket()) {
      return;
    }
    ProvisioningConfig.Backups.S3 s3 = config.backups().s3();
    List<String> missing = new ArrayList<>();
    if (s3.bucket().isEmpty()) {
      missing.add("salons.provisioning.backups.s3.bucket");
    }
    if (s3.accessKey().isEmpty()) {
      missing.add("salons.provisioning.backups.s3.access-key");
    }
    if (s3.secretKey().isEmpty()) {
      missing.add("salons.provisioning.backups.s3.secret-key");
    }
    if (s3.partSize() < 5L * 1024 * 1024) {
      missing.add("salons.provisioning.backups.s3.part-size of 5 MiB at least");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "backups.target is s3, but these are not set: " + String.join(", ", missing));
    }
  }

  private synchronized S3Client client() {
    if (client == null) {
      ProvisioningConfig.Backups.S3 s3 = config.backups().s3();
      var builder =
          S3Client.builder()
              .httpClient(UrlConnectionHttpClient.builder().build())
              .region(Region.of(s3.region()))
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(
                          s3.accessKey().orElseThrow(), s3.secretKey().orElseThrow())))
              .forcePathStyle(s3.pathStyle())
              // Checksums only where the API requires them: the SDK's default trailing checksums
              // (aws-chunked uploads) are refused by several S3-compatible servers.
              .requestChecksumCalculation(
                  software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(
                  software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
      s3.endpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
      client = builder.build();
    }
    return client;
  }

  private static String message(Exception e) {
    if (e instanceof SdkException || e instanceof UncheckedIOException) {
      return "the bucket answered: " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  @PreDestroy
  synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
