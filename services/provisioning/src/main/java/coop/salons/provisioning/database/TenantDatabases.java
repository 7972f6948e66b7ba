package coop.salons.provisioning.database;

import coop.salons.provisioning.ProvisioningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.postgresql.PGConnection;

/**
 * A role and a database per instance on the tenants' PostgreSQL server, over JDBC with the hoster's
 * administrative role. Identifiers and passwords are quoted by PostgreSQL's own {@code format()}
 * ({@code %I}, {@code %L}), never concatenated.
 */
@ApplicationScoped
public class TenantDatabases {

  private static final Pattern NAME = Pattern.compile("chat_[0-9a-f]{32}");

  /** The suffix of the MAS database beside an instance's own (the renderer names it). */
  private static final String AUTH_SERVICE_SUFFIX =
      coop.salons.provisioning.model.MasRenderer.DATABASE_SUFFIX;

  @Inject ProvisioningConfig config;

  /**
   * Creates the role and the database (C collation, as Synapse requires; only its owner may
   * connect), and sets the role's password when it is new. Answers whether anything changed.
   *
   * @param passwordIsNew the password was generated just now (an existing role gets it too)
   */
  public boolean ensure(String name, String password, boolean passwordIsNew) {
    requireName(name);
    try (Connection c = admin(null)) {
      boolean changed = false;
      boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
      try (Statement s = c.createStatement()) {
        if (!roleExists) {
          s.execute(format(c, "CREATE ROLE %I LOGIN PASSWORD %L", name, password));
          s.execute(format(c, "GRANT %I TO CURRENT_USER", name));
          changed = true;
        } else if (passwordIsNew) {
          s.execute(format(c, "ALTER ROLE %I LOGIN PASSWORD %L", name, password));
          changed = true;
        }
        if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
          s.execute(
              format(
                  c,
                  "CREATE DATABASE %I OWNER %I ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
                      + " TEMPLATE template0",
                  name,
                  name));
          s.execute(format(c, "REVOKE ALL ON DATABASE %I FROM PUBLIC", name));
          changed = true;
        }
      }
      return changed;
    } catch (SQLException e) {
      throw new IllegalStateException("the tenants' database server refused: " + e.getMessage(), e);
    }
  }

  public boolean exists(String name) {
    requireName(name);
    try (Connection c = admin(null)) {
      return exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The size of each existing database among these names, in MiB (rounded up), in one query. */
  public java.util.Map<String, Long> sizesMib(java.util.Collection<String> names) {
    names.forEach(TenantDatabases::requireName);
    java.util.Map<String, Long> sizes = new java.util.HashMap<>();
    if (names.isEmpty()) {
      return sizes;
    }
    try (Connection c = admin(null);
        java.sql.PreparedStatement st =
            c.prepareStatement(
                "SELECT datname, (pg_database_size(datname) + 1048575) / 1048576 FROM pg_database"
                    + " WHERE datname = ANY(?)")) {
      st.setArray(1, c.createArrayOf("text", names.toArray()));
      try (java.sql.ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          sizes.put(rs.getString(1), rs.getLong(2));
        }
      }
      return sizes;
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The final backup before a drop: every table of the database as CSV (with a header) in one zip,
   * plus a listing of the columns and their types. Answers the file written.
   */
  public Path dump(String name) {
    requireName(name);
    if (!exists(name)) {
      return null;
    }
    Path dir = Path.of(config.tenantDatabase().backupDir());
    Path file = dir.resolve(name + "-" + System.currentTimeMillis() + ".zip");
    try (Connection c = admin(name)) {
      Files.createDirectories(dir);
      List<String[]> tables = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT table_schema, table_name FROM information_schema.tables"
                      + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN"
                      + " ('pg_catalog', 'information_schema') ORDER BY 1, 2")) {
        while (rs.next()) {
          tables.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      try (OutputStream out = Files.newOutputStream(file);
          ZipOutputStream zip = new ZipOutputStream(out)) {
        zip.putNextEntry(new ZipEntry("columns.csv"));
        try (Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery(
                    "SELECT table_schema, table_name, column_name, data_type"
                        + " FROM information_schema.columns WHERE table_schema NOT IN"
                        + " ('pg_catalog', 'information_schema')"
                        + " ORDER BY 1, 2, ordinal_position")) {
          StringBuilder csv = new StringBuilder("schema,table,column,type\n");
          while (rs.next()) {
            csv.append(rs.getString(1))
                .append(',')
                .append(rs.getString(2))
                .append(',')
                .append(rs.getString(3))
                .append(',')
                .append(rs.getString(4))
                .append('\n');
          }
          zip.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        zip.closeEntry();
        PGConnection pg = c.unwrap(PGConnection.class);
        for (String[] t : tables) {
          zip.putNextEntry(new ZipEntry(t[0] + "." + t[1] + ".csv"));
          pg.getCopyAPI()
              .copyOut(
                  format(c, "COPY %I.%I TO STDOUT (FORMAT csv, HEADER)", t[0], t[1]),
                  new NonClosing(zip));
          zip.closeEntry();
        }
      }
      return file;
    } catch (SQLException e) {
      throw new IllegalStateException("the final backup failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("the final backup could not be written", e);
    }
  }

  /** Drops the database and its role (after the final backup). Answers whether anything was. */
  public boolean drop(String name) {
    requireName(name);
    try (Connection c = admin(null);
        Statement s = c.createStatement()) {
      boolean existed =
          exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)
              || exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
      dropDatabase(c, s, name);
      // MAS's database (docs/adr/0038), owned by the same role.
      dropDatabase(c, s, name + AUTH_SERVICE_SUFFIX);
      s.execute(format(c, "DROP ROLE IF EXISTS %I", name));
      return existed;
    } catch (SQLException e) {
      throw new IllegalStateException("the drop failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the drop was interrupted", e);
    }
  }

  private static void dropDatabase(Connection c, Statement s, String name)
      throws SQLException, InterruptedException {
    String drop = format(c, "DROP DATABASE IF EXISTS %I WITH (FORCE)", name);
    // FORCE ends the database's sessions, but an autovacuum worker's only with the
    // pg_signal_backend role the tenants' administrator need not have (42501): it finishes
    // within seconds on its own, so the drop is tried again a few times.
    for (int attempt = 1; ; attempt++) {
      try {
        s.execute(drop);
        return;
      } catch (SQLException e) {
        if (!"42501".equals(e.getSQLState()) || attempt == 10) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  /**
   * The database of the Matrix Authentication Service beside an instance (docs/adr/0038): {@code
   * <name>_mas}, owned by the instance's role (made first by {@link #ensure}). Answers whether it
   * was made now.
   */
  public boolean ensureAuthService(String name) {
    requireName(name);
    String mas = name + AUTH_SERVICE_SUFFIX;
    try (Connection c = admin(null);
        Statement s = c.createStatement()) {
      if (exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", mas)) {
        return false;
      }
      s.execute(
          format(c, "CREATE DATABASE %I OWNER %I ENCODING 'UTF8' TEMPLATE template0", mas, name));
      s.execute(format(c, "REVOKE ALL ON DATABASE %I FROM PUBLIC", mas));
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("the tenants' database server refused: " + e.getMessage(), e);
    }
  }

  /**
   * A connection to an instance's database as the tenants' administrator, read-only: to measure
   * what it holds (its storage, what its retention will remove), never to change it.
   */
  public Connection readOnly(String name) throws SQLException {
    requireName(name);
    Connection c = admin(name);
    c.setReadOnly(true);
    return c;
  }

  /** A connection to an instance's database as the tenants' administrator (an import's mapping). */
  public Connection open(String name) throws SQLException {
    requireName(name);
    return admin(name);
  }

  private Connection admin(String database) throws SQLException {
    ProvisioningConfig.TenantDatabase t = config.tenantDatabase();
    return connect(
        database == null ? t.adminJdbcUrl() : jdbcUrl(database), t.adminUser(), t.adminPassword());
  }

  private String jdbcUrl(String database) {
    String url = config.tenantDatabase().adminJdbcUrl();
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, p);
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not an instance database name: " + name);
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

  /** Lets PostgreSQL's own format() quote identifiers and literals. */
  private static String format(Connection c, String template, String... args) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT format(?");
    for (int i = 0; i < args.length; i++) {
      sql.append(", ?");
    }
    sql.append(")");
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

  /** The zip stays open between tables: COPY must not close it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
