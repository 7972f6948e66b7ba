package coop.salons.provisioning.backup;

import coop.salons.local.LocalLayout;
import coop.salons.local.Processes;
import coop.salons.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the backups' tests: S3Proxy (its release from the Maven
 * repository, copied by the build into {@code target/s3proxy}) on a folder, run as a process of its
 * own, with signed requests (AWS signature v4) and a bucket made for the run. It is a server of the
 * S3 API, not AWS itself: what it accepts, AWS and other S3-compatible servers may refuse (named in
 * docs/adr/0036).
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

  static final String BUCKET = "salons-backups";
  static final String ACCESS_KEY = "salons-tests";

  private String endpoint;
  private String secretKey;
  private Process process;

  @Override
  public Map<String, String> start() {
    try {
      int port = TestServers.freePort();
      secretKey = UUID.randomUUID().toString();
      endpoint = "http://127.0.0.1:" + port;
      Path root = LocalLayout.projectRoot().resolve("services/provisioning/target");
      Path jar = root.resolve("s3proxy/s3proxy.jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException(jar + " is missing: the build copies it (mvn verify)");
      }
      Path work = Files.createTempDirectory(root, "s3proxy-");
      Path data = Files.createDirectories(work.resolve("data"));
      Path conf = work.resolve("s3proxy.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + secretKey,
              "jclouds.provider=filesystem",
              "jclouds.filesystem.basedir=" + data,
              ""));
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-jar",
                  jar.toString(),
                  "--properties",
                  conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("s3proxy.log").toFile())
              .start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try (S3Client s3 = client(endpoint, ACCESS_KEY, secretKey)) {
          s3.createBucket(r -> r.bucket(BUCKET));
          break;
        } catch (RuntimeException e) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "S3Proxy did not start: " + Files.readString(work.resolve("s3proxy.log")), e);
          }
          Thread.sleep(250);
        }
      }
      return Map.of(
          "salons.provisioning.backups.target", "s3",
          "salons.provisioning.backups.s3.endpoint", endpoint,
          "salons.provisioning.backups.s3.bucket", BUCKET,
          "salons.provisioning.backups.s3.access-key", ACCESS_KEY,
          "salons.provisioning.backups.s3.secret-key", secretKey,
          // The smallest part S3 takes, so that the tests' few megabytes go up in parts.
          "salons.provisioning.backups.s3.part-size", String.valueOf(5 * 1024 * 1024));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A client of an S3-compatible server (the tests look in the bucket as the platform would). */
  static S3Client client(String endpoint, String accessKey, String secretKey) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder().build())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .endpointOverride(URI.create(endpoint))
        .build();
  }

  @Override
  public void stop() {
    if (process != null) {
      Processes.stop(process, Duration.ofSeconds(10));
    }
  }
}
