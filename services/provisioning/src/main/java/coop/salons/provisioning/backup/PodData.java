package coop.salons.provisioning.backup;

import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.KubernetesManifests;
import coop.salons.provisioning.model.Placement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An instance's data on Kubernetes (docs/adr/0037), read and written through a pod of PostgreSQL's
 * client tools beside the instance's volume ({@link KubernetesManifests#backupPod}): {@code
 * pg_dump}, {@code pg_restore} and {@code tar} run in it, their bytes streamed through the API
 * server (exec), encrypted and stored by the platform as on this machine. The pod exists only while
 * the data is open.
 *
 * <p>Commands run through {@link PodExec}. A tool fed a file is told its size and reads it through
 * {@code head -c}: a connection cut short is then a tool's error, never a shorter input.
 */
final class PodData implements InstanceData {

  private static final Duration START = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final String image;
  private final Duration timeout;

  PodData(KubernetesClient client, String image, Duration timeout) {
    this.client = client;
    this.image = image;
    this.timeout = timeout;
  }

  @Override
  public Access open(InstanceSpec spec, Placement placement) throws IOException {
    String ns = KubernetesManifests.namespace(spec);
    PodResource pod = client.pods().inNamespace(ns).withName(KubernetesManifests.BACKUP_POD);
    try {
      // One left by a platform stopped half-way is removed first.
      if (pod.get() != null) {
        pod.withGracePeriod(0).delete();
        pod.waitUntilCondition(Objects::isNull, 1, TimeUnit.MINUTES);
      }
      boolean serverRuns =
          client
              .pods()
              .inNamespace(ns)
              .withLabels(KubernetesManifests.selector(spec))
              .list()
              .getItems()
              .stream()
              .anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
      // Long enough for the slowest tool twice (a dump and the files), then it goes on its own.
      long deadline = timeout.toSeconds() * 2 + 600;
      client.resource(KubernetesManifests.backupPod(spec, image, deadline, serverRuns)).create();
      pod.waitUntilCondition(p -> p != null && ready(p), START.toSeconds(), TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      Pod now = pod.get();
      remove(pod);
      throw new IOException(
          "the backup pod did not start"
              + (now == null || now.getStatus() == null
                  ? ""
                  : " (" + now.getStatus().getPhase() + ")")
              + ": "
              + e.getMessage(),
          e);
    }
    return new Access() {
      @Override
      public Output dump(Path log) throws IOException {
        // Every tool runs through the image's shell, found on the pod's own path.
        return run(ns, log, "sh", "-c", "exec pg_dump --format=custom --no-owner --no-privileges");
      }

      @Override
      public Output files(String folder, Path log) throws IOException {
        return run(ns, log, "sh", "-c", "mkdir -p \"$1\" && exec tar -cf - \"$1\"", "sh", folder);
      }

      @Override
      public void listDump(Path dump) throws IOException {
        // Read whole into the pod's scratch folder first: --list stops after the contents.
        send(
            ns,
            dump,
            "sh",
            "-c",
            "head -c \"$1\" > \"$HOME/listed.dump\" && pg_restore --list \"$HOME/listed.dump\""
                + " > /dev/null; s=$?; rm -f \"$HOME/listed.dump\"; exit $s",
            "sh",
            String.valueOf(Files.size(dump)));
      }

      @Override
      public void restoreDump(Path dump) throws IOException {
        send(
            ns,
            dump,
            "sh",
            "-c",
            "head -c \"$1\" | pg_restore --no-owner --no-privileges --exit-on-error"
                + " --dbname=\"$PGDATABASE\"",
            "sh",
            String.valueOf(Files.size(dump)));
      }

      @Override
      public void replaceFiles(Path files, String folder) throws IOException {
        if (Files.isDirectory(files)) {
          throw new IllegalArgumentException("files are sent to a pod as a tar");
        }
        // Unpacked beside the folder, then put in its place; the old one removed last.
        send(
            ns,
            files,
            "sh",
            "-c",
            "set -e; rm -rf .restoring; mkdir .restoring;"
                + " head -c \"$1\" | tar -C .restoring -xf -;"
                + " mkdir -p \".restoring/$2\"; rm -rf \".before-$2\";"
                + " if [ -e \"$2\" ]; then mv \"$2\" \".before-$2\"; fi;"
                + " mv \".restoring/$2\" \"$2\"; rm -rf \".before-$2\" .restoring",
            "sh",
            String.valueOf(Files.size(files)),
            folder);
      }

      @Override
      public void close() {
        remove(pod);
      }
    };
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void remove(PodResource pod) {
    try {
      pod.withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      io.quarkus.logging.Log.warnf("The backup pod could not be removed: %s", e.getMessage());
    }
  }

  /** A command whose output is read as it comes; its errors kept for the message and the log. */
  private Output run(String ns, Path log, String... command) throws IOException {
    PodExec exec = exec(ns, false, command);
    return new Output() {
      @Override
      public InputStream stream() {
        return exec.output();
      }

      @Override
      public void finish() throws IOException {
        try {
          exited(exec, describe(command));
        } finally {
          exec.close();
          Files.writeString(log, exec.errors());
        }
      }
    };
  }

  /** A command fed a file (its size given too, for {@code head -c}), then waited for. */
  private void send(String ns, Path file, String... command) throws IOException {
    try (PodExec exec = exec(ns, true, command)) {
      try (InputStream in = Files.newInputStream(file);
          OutputStream to = exec.input()) {
        in.transferTo(to);
      }
      exited(exec, describe(command));
    }
  }

  private PodExec exec(String ns, boolean input, String... command) throws IOException {
    return PodExec.start(
        client,
        ns,
        KubernetesManifests.BACKUP_POD,
        KubernetesManifests.BACKUP_CONTAINER,
        input,
        List.of(command));
  }

  private void exited(PodExec exec, String what) throws IOException {
    int code;
    try {
      code = exec.exitCode(timeout);
    } catch (IOException e) {
      throw new IOException(what + " in the backup pod did not finish: " + e.getMessage(), e);
    }
    if (code != 0) {
      String err = exec.errors();
      if (err.isEmpty()) {
        err = exec.statusMessage();
      }
      throw new IOException(
          what
              + " in the backup pod failed (exit "
              + code
              + ")"
              + (err.isEmpty()
                  ? ""
                  : ": " + (err.length() > 600 ? err.substring(err.length() - 600) : err)));
    }
  }

  /** The tool a shell command runs, for messages. */
  private static String describe(String... command) {
    if (!"sh".equals(command[0])) {
      return command[0];
    }
    List<String> words = List.of(command[2].split(" "));
    return words.contains("pg_dump")
        ? "pg_dump"
        : words.contains("pg_restore") ? "pg_restore" : "tar";
  }
}
