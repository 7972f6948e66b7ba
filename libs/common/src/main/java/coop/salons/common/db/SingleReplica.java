package coop.salons.common.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Periodic work that one replica at a time may do (purges, reconciliations, bulk resyncs): a
 * session lock on the service's PostgreSQL, held on a connection of its own while the work lasts
 * and let go with that connection if the replica dies. A replica that finds it taken skips the run
 * rather than waiting: the other one is doing it.
 */
@ApplicationScoped
public class SingleReplica {

  @Inject AgroalDataSource dataSource;

  /** The lock's key for a job: a fixed prefix and the job's name, so that jobs never share one. */
  public static long key(String job) {
    return 0x5a10_0000_0000_0000L | (job.hashCode() & 0xffff_ffffL);
  }

  /** Runs the job unless another replica is running it (then empty). */
  public <T> Optional<T> run(String job, Supplier<T> work) {
    long key = key(job);
    try (Connection c = dataSource.getConnection()) {
      if (!lock(c, "pg_try_advisory_lock", key)) {
        Log.infof("%s skipped: another replica is running it", job);
        return Optional.empty();
      }
      try {
        return Optional.ofNullable(work.get());
      } finally {
        lock(c, "pg_advisory_unlock", key);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(job + ": its lock: " + e.getMessage(), e);
    }
  }

  /** The same, for a job with nothing to answer: whether it ran. */
  public boolean run(String job, Runnable work) {
    return run(
            job,
            () -> {
              work.run();
              return Boolean.TRUE;
            })
        .isPresent();
  }

  private static boolean lock(Connection c, String function, long key) throws SQLException {
    try (var ps = c.prepareStatement("SELECT " + function + "(?)")) {
      ps.setLong(1, key);
      try (var rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
