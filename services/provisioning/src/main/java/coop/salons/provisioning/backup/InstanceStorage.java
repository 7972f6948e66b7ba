package coop.salons.provisioning.backup;

import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an instance stores and what its retention will remove, read from its own database: the
 * database's size, uploaded files (Synapse's media; Mattermost's files), and the messages and files
 * past their lifetime. Mattermost's free edition does not enforce a retention: it is said so.
 */
@ApplicationScoped
public class InstanceStorage {

  @Inject TenantDatabases databases;

  /** What the retention will remove at its next pass, and whether the server enforces it. */
  public record RetentionView(
      int messageDays,
      int mediaDays,
      boolean enforced,
      long messagesToRemove,
      long mediaFilesToRemove,
      long mediaBytesToRemove,
      String note) {}

  /** An instance's storage. */
  public record StorageView(
      long databaseBytes,
      long mediaBytes,
      long mediaFiles,
      long remoteMediaBytes,
      long messages,
      RetentionView retention) {}

  public StorageView of(InstanceSpec spec) {
    String db = spec.database().name();
    if (!databases.exists(db)) {
      throw ProblemException.conflict("The instance has no database yet.");
    }
    try (Connection c = databases.readOnly(db)) {
      long size = single(c, "SELECT pg_database_size(current_database())");
      long messageCut = cutoff(spec.retentionDays());
      long mediaCut = cutoff(spec.mediaRetentionDays());
      if (spec.flavour() == Flavour.MATRIX) {
        if (!tableExists(c, "events")) {
          return empty(size, spec, true);
        }
        long messages = single(c, "SELECT count(*) FROM events WHERE type = 'm.room.message'");
        long[] media =
            pair(c, "SELECT count(*), coalesce(sum(media_length), 0) FROM local_media_repository");
        long remote = single(c, "SELECT coalesce(sum(media_length), 0) FROM remote_media_cache");
        long toRemove =
            spec.retentionDays() == 0
                ? 0
                : single(
                    c,
                    "SELECT count(*) FROM events WHERE type = 'm.room.message'"
                        + " AND origin_server_ts < ?",
                    messageCut);
        long[] oldMedia =
            spec.mediaRetentionDays() == 0
                ? new long[] {0, 0}
                : pair(
                    c,
                    "SELECT count(*), coalesce(sum(media_length), 0) FROM local_media_repository"
                        + " WHERE coalesce(last_access_ts, created_ts) < ?",
                    mediaCut);
        return new StorageView(
            size,
            media[1],
            media[0],
            remote,
            messages,
            new RetentionView(
                spec.retentionDays(),
                spec.mediaRetentionDays(),
                true,
                toRemove,
                oldMedia[0],
                oldMedia[1],
                "Synapse removes messages past their lifetime at each purge (rooms may keep theirs"
                    + " for less time), and files not read for the media lifetime hourly."));
      }
      if (!tableExists(c, "posts")) {
        return empty(size, spec, false);
      }
      long messages = single(c, "SELECT count(*) FROM posts WHERE deleteat = 0");
      long[] files =
          pair(c, "SELECT count(*), coalesce(sum(size), 0) FROM fileinfo WHERE deleteat = 0");
      long older =
          spec.retentionDays() == 0
              ? 0
              : single(
                  c, "SELECT count(*) FROM posts WHERE deleteat = 0 AND createat < ?", messageCut);
      return new StorageView(
          size,
          files[1],
          files[0],
          0,
          messages,
          new RetentionView(
              spec.retentionDays(),
              spec.mediaRetentionDays(),
              false,
              older,
              0,
              0,
              MATTERMOST_NOTE));
    } catch (SQLException e) {
      throw new ProblemException(
          503,
          "storage-unavailable",
          "Storage not readable now",
          "The instance's database could not be read; try again in a minute.",
          List.of());
    }
  }

  /** What Mattermost's free edition does not do, said plainly. */
  static final String MATTERMOST_NOTE =
      "Mattermost's free edition does not delete old messages or files: its data retention is a"
          + " feature of the paid editions. The retention set here is recorded, and shown, but"
          + " nothing is removed.";

  private static StorageView empty(long size, InstanceSpec spec, boolean enforced) {
    return new StorageView(
        size,
        0,
        0,
        0,
        0,
        new RetentionView(
            spec.retentionDays(),
            spec.mediaRetentionDays(),
            enforced,
            0,
            0,
            0,
            enforced ? "The server has not written its tables yet." : MATTERMOST_NOTE));
  }

  private static long cutoff(int days) {
    return Instant.now().minus(Duration.ofDays(days)).toEpochMilli();
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      st.setString(1, "public." + table);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static long single(Connection c, String sql, long... args) throws SQLException {
    return pair(c, "SELECT (" + sql + "), 0", args)[0];
  }

  private static long[] pair(Connection c, String sql, long... args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setLong(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }
}
