package coop.salons.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (the zonky embedded binaries) for the local platform and the tests. Each
 * service gets its own role and database, as on a real deployment.
 */
public final class PostgresServer implements AutoCloseable {

  private static final Pattern SETTING =
      Pattern.compile("([a-z_.]{1,63})=([A-Za-z0-9_.,-]{1,200})");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;

  private PostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on a port, keeping its data in a folder.
   *
   * @param clean whether to start from an empty data folder
   */
  public static PostgresServer start(Path dataDir, int port, boolean clean) throws IOException {
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(clean)
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", clean ? "off" : "on");
    extraSettings(System.getenv("SALONS_POSTGRES_SETTINGS")).forEach(builder::setServerConfig);
    return new PostgresServer(builder.start());
  }

  /**
   * Settings added for a measurement, {@code name=value} separated by spaces (for example {@code
   * SALONS_POSTGRES_SETTINGS=shared_preload_libraries=pg_stat_statements}, which {@code
   * bench/profile-provisioning.sh} uses to list the statements that cost most).
   */
  static Map<String, String> extraSettings(String spec) {
    Map<String, String> settings = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return settings;
    }
    for (String pair : spec.trim().split("\\s+")) {
      Matcher m = SETTING.matcher(pair);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "SALONS_POSTGRES_SETTINGS: expected name=value, got " + pair);
      }
      settings.put(m.group(1), m.group(2));
    }
    return settings;
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  /**
   * Creates (or updates) the role with which provisioning creates each chat instance's role and
   * database: it may create roles and databases, nothing more.
   */
  public void ensureTenantAdmin(String role, String password) throws SQLException {
    requireIdentifier(role);
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
      String sql =
          quoted(
              c,
              roleExists
                  ? "ALTER ROLE %I LOGIN CREATEDB CREATEROLE PASSWORD %L"
                  : "CREATE ROLE %I LOGIN CREATEDB CREATEROLE PASSWORD %L",
              role,
              password);
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  /** Creates a login role and a database it owns, unless they exist; sets the role's password. */
  public void ensureDatabase(String database, String role, String password) throws SQLException {
    requireIdentifier(database);
    requireIdentifier(role);
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
      String roleSql =
          quoted(
              c,
              roleExists ? "ALTER ROLE %I LOGIN PASSWORD %L" : "CREATE ROLE %I LOGIN PASSWORD %L",
              role,
              password);
      try (Statement s = c.createStatement()) {
        s.execute(roleSql);
        if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
          s.execute(quoted(c, "CREATE DATABASE %I OWNER %I", database, role));
        }
      }
    }
  }

  private static boolean exists(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Lets PostgreSQL's own format() quote identifiers and literals: no string concatenation. */
  private static String quoted(Connection c, String template, String... args) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT format(?");
    for (int i = 0; i < args.length; i++) {
      sql.append(", ?");
    }
    sql.append(')');
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setString(1, template);
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 2, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static void requireIdentifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid PostgreSQL identifier: " + name);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
