package coop.salons.provisioning.backup;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An exit bundle run outside the platform as its README's "Without containers" steps say: a
 * PostgreSQL server of its own (a new cluster, not the platform's), the user and database made with
 * the README's commands, the bundle's own script loading the dump, its media unpacked, its {@code
 * homeserver.yaml} with only the edits the README names ({@code /data/} replaced by the folder, the
 * database's host, port and password, the listener's address and port), and Synapse started from
 * it; then an administrator made with {@code register_new_matrix_user}, as the README says.
 */
final class SelfHosted implements AutoCloseable {

  private final Path folder;
  private final Path pgBin;
  private final Path cluster;
  private final int pgPort;
  private final List<Process> running = new ArrayList<>();
  private Process synapse;
  private coop.salons.local.PostgresServer postgres;
  private int port;

  private SelfHosted(Path folder, Path pgBin, Path cluster, int pgPort) {
    this.folder = folder;
    this.pgBin = pgBin;
    this.cluster = cluster;
    this.pgPort = pgPort;
  }

  /**
   * A PostgreSQL server of its own for the bundle in {@code folder} (a new cluster of the embedded
   * binaries, which run where {@code initdb} refuses root), started.
   */
  static SelfHosted postgres(Path folder, Path pgBin) throws Exception {
    Path cluster = Files.createTempDirectory("salons-self-hosted-pg");
    int port = freePort();
    SelfHosted s = new SelfHosted(folder, pgBin, cluster, port);
    s.postgres = coop.salons.local.PostgresServer.start(cluster.resolve("data"), port, true);
    return s;
  }

  /**
   * The README's steps 1 and 2: the user (its password set as {@code createuser --pwprompt} would)
   * and the database, then the bundle's own script and the media unpacked.
   */
  void restore(String database, String password) throws Exception {
    Map<String, String> admin =
        Map.of("PGHOST", "127.0.0.1", "PGPORT", "" + pgPort, "PGUSER", "postgres");
    run(admin, pgBin.resolve("createuser").toString(), database);
    run(
        admin,
        pgBin.resolve("psql").toString(),
        "-c",
        "ALTER ROLE \"" + database + "\" PASSWORD '" + password + "'");
    run(
        admin,
        pgBin.resolve("createdb").toString(),
        "--owner=" + database,
        "--encoding=UTF8",
        "--lc-collate=C",
        "--lc-ctype=C",
        "--template=template0",
        database);
    run(
        Map.of(
            "PGHOST",
            "127.0.0.1",
            "PGPORT",
            "" + pgPort,
            "PGUSER",
            database,
            "PGPASSWORD",
            password,
            "PGDATABASE",
            database,
            "PATH",
            pgBin + ":" + System.getenv("PATH")),
        "sh",
        folder.resolve("restore-database.sh").toString());
    run(Map.of(), "tar", "-C", folder.toString(), "-xf", folder.resolve("media.tar").toString());
  }

  /** Step 3: Synapse from the bundle's configuration, edited only as the README says. */
  String startSynapse(Path venv, String password) throws Exception {
    port = freePort();
    String config = Files.readString(folder.resolve("homeserver.yaml"));
    String dir = folder.toAbsolutePath() + "/";
    config =
        config
            .replace("/data/", dir)
            .replace("host: \"db\"", "host: \"127.0.0.1\"")
            .replace("host: db", "host: 127.0.0.1")
            .replace("port: 5432", "port: " + pgPort)
            .replace("port: 8008", "port: " + port)
            .replace("\"0.0.0.0\"", "\"127.0.0.1\"")
            .replace("- 0.0.0.0", "- 127.0.0.1");
    if (!config.contains("password: \"" + password + "\"")
        && !config.contains("password: " + password)) {
      throw new AssertionError("the configuration does not carry the compose file's password");
    }
    Files.writeString(folder.resolve("homeserver.yaml"), config);
    synapse =
        new ProcessBuilder(
                venv.resolve("bin/python").toString(),
                "-m",
                "synapse.app.homeserver",
                "--config-path",
                folder.resolve("homeserver.yaml").toString())
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("synapse.log").toFile())
            .start();
    running.add(synapse);
    return "http://127.0.0.1:" + port;
  }

  /** The README's administrator: {@code register_new_matrix_user} with the shared secret. */
  void registerAdmin(Path venv, String user, String password) throws Exception {
    run(
        Map.of(),
        venv.resolve("bin/register_new_matrix_user").toString(),
        "-c",
        folder.resolve("homeserver.yaml").toString(),
        "-u",
        user,
        "-p",
        password,
        "-a",
        "http://127.0.0.1:" + port);
  }

  String synapseLog() throws IOException {
    Path log = folder.resolve("synapse.log");
    if (!Files.exists(log)) {
      return "";
    }
    String text = Files.readString(log);
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }

  private void run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder b =
        new ProcessBuilder(command).redirectErrorStream(true).directory(folder.toFile());
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : running) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (postgres != null) {
      postgres.close();
    }
    InstanceBackups.deleteQuietly(cluster);
  }
}
