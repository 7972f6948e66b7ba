package coop.salons.provisioning.backup;

import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.Placement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** An instance's data on this machine: its database on the tenants' server, its files' folder. */
final class LocalData implements InstanceData {

  private final PgTools pg;

  LocalData(PgTools pg) {
    this.pg = pg;
  }

  @Override
  public Access open(InstanceSpec spec, Placement placement) {
    Path data = Path.of(placement.dataDir());
    String db = spec.database().name();
    return new Access() {
      @Override
      public Output dump(Path log) throws IOException {
        return output(pg.dump(db, log));
      }

      @Override
      public Output files(String folder, Path log) throws IOException {
        Files.createDirectories(data.resolve(folder));
        return output(
            new ProcessBuilder("tar", "-C", data.toString(), "-cf", "-", folder)
                .redirectError(log.toFile())
                .start());
      }

      @Override
      public void listDump(Path dump) throws IOException {
        pg.run("pg_restore", List.of("--list", dump.toString()));
      }

      @Override
      public void restoreDump(Path dump) throws IOException {
        pg.restore(db, dump);
      }

      @Override
      public void replaceFiles(Path files, String folder) throws IOException {
        Path current = data.resolve(folder);
        Path aside = data.resolve(folder + ".before-" + UUID.randomUUID());
        Files.createDirectories(data);
        if (Files.exists(current)) {
          Files.move(current, aside);
        }
        if (Files.isDirectory(files)) {
          Path made = files.resolve(folder);
          if (Files.exists(made)) {
            Files.move(made, current);
          } else {
            Files.createDirectories(current);
          }
        } else {
          run(List.of("tar", "-C", data.toString(), "-xf", files.toString()));
        }
        InstanceBackups.deleteQuietly(aside);
      }

      @Override
      public void close() {}
    };
  }

  /** A process's output; finishing waits for it and fails on a non-zero exit. */
  private static Output output(Process process) {
    return new Output() {
      @Override
      public InputStream stream() {
        return process.getInputStream();
      }

      @Override
      public void finish() throws IOException {
        try {
          if (process.waitFor() != 0) {
            throw new IOException("exit " + process.exitValue());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    };
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(command.get(0) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
