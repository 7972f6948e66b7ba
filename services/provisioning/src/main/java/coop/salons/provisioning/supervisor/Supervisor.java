package coop.salons.provisioning.supervisor;

import coop.salons.common.db.SingleReplica;
import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.runtime.KubernetesRuntime;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Finds the instances that are due (a change, a retry, a resync), claims them with a lease so that
 * several replicas never work on one instance at once ({@code FOR UPDATE SKIP LOCKED}), and
 * reconciles them on a few worker threads. A replica that dies leaves leases that run out; another
 * takes its instances over.
 */
@ApplicationScoped
public class Supervisor {

  @Inject ProvisioningConfig config;
  @Inject Reconciler reconciler;
  @Inject AgroalDataSource dataSource;
  @Inject SingleReplica singleReplica;
  @Inject ChatRuntime runtime;
  @Inject jakarta.enterprise.inject.Instance<BulkResync> bulkResync;

  private final String owner = "supervisor-" + UUID.randomUUID();
  private ExecutorService workers;

  /** Workers free to take an instance; the scheduled feed claims no more than these. */
  private Semaphore idle;

  void start(@Observes StartupEvent event) {
    idle = new Semaphore(config.supervisor().workers());
    workers =
        Executors.newFixedThreadPool(
            config.supervisor().workers(),
            r -> {
              Thread t = new Thread(r, "supervisor-worker");
              t.setDaemon(true);
              return t;
            });
    if (config.supervisor().enabled()) {
      watchReadiness();
    }
    if (runtime.usesLocalPorts() && config.supervisor().enabled()) {
      // Local chat servers stopped with the previous run of this service: bring them back now.
      update(
          "UPDATE instance SET next_attempt_at = now(), lease_owner = NULL, lease_until = NULL"
              + " WHERE state NOT IN ('deleted', 'failed')");
    }
  }

  void stop(@Observes ShutdownEvent event) {
    workers.shutdownNow();
  }

  /**
   * On Kubernetes, a server that becomes ready makes its instance due at once (a watch of the
   * Deployments), so that starting servers are asked again only every {@code readiness-recheck}
   * rather than every {@code readiness-poll}: with many instances starting together, polling each
   * every two seconds took much of the supervisor's time and the API server's (docs/adr/0020).
   */
  void watchReadiness() {
    if (runtime instanceof KubernetesRuntime kubernetes) {
      kubernetes.watchReadiness(this::becameReady);
    }
  }

  /** Makes an instance waiting for its server due now (nothing if it is not waiting). */
  void becameReady(UUID id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE instance SET next_attempt_at = now() WHERE id = ?"
                    + " AND state IN ('provisioning', 'updating') AND next_attempt_at > now()")) {
      ps.setObject(1, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      Log.warnf("Instance %s: could not make it due (%s)", id, e.getMessage());
    }
  }

  /** The replica's name in leases. */
  public String owner() {
    return owner;
  }

  @Scheduled(
      every = "${salons.provisioning.supervisor.interval:1s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    if (!config.supervisor().enabled()) {
      return;
    }
    try {
      feed();
    } catch (RuntimeException e) {
      Log.warnf("Supervisor pass failed: %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Keeps the workers busy while work is due: claims only as many instances as workers are idle,
   * and claims again as soon as one is done, so that a slow instance (a Keycloak that takes its
   * time) never holds back the others, and no claimed instance waits in a queue while its lease
   * runs. Returns when nothing is due, or when no worker got free for a second.
   */
  void feed() throws InterruptedException {
    while (true) {
      int free = idle.drainPermits();
      if (free == 0) {
        if (!idle.tryAcquire(1, TimeUnit.SECONDS)) {
          return;
        }
        free = 1 + idle.drainPermits();
      }
      List<UUID> claimed = claim(owner, Math.min(free, config.supervisor().batchSize()));
      idle.release(free - claimed.size());
      if (claimed.isEmpty()) {
        return;
      }
      for (UUID id : claimed) {
        workers.submit(
            () -> {
              try {
                reconciler.reconcile(id, owner);
              } catch (RuntimeException e) {
                Log.warnf("A reconcile ended abruptly: %s", e);
              } finally {
                idle.release();
              }
            });
      }
    }
  }

  /** One pass as the given replica: claims a batch, reconciles it, answers how many it claimed. */
  public int runOnce(String replica) {
    List<UUID> claimed = claim(replica, config.supervisor().batchSize());
    List<Future<?>> running = new ArrayList<>();
    for (UUID id : claimed) {
      running.add(workers.submit(() -> reconciler.reconcile(id, replica)));
    }
    for (Future<?> f : running) {
      try {
        f.get(10, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return claimed.size();
      } catch (Exception e) {
        Log.warnf("A reconcile ended abruptly: %s", e.getCause() == null ? e : e.getCause());
      }
    }
    return claimed.size();
  }

  List<UUID> claim(String replica, int limit) {
    String sql =
        "UPDATE instance SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)"
            + " WHERE id IN (SELECT id FROM instance WHERE state NOT IN ('deleted', 'failed')"
            + " AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())"
            + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, replica);
      ps.setDouble(2, config.supervisor().lease().toMillis() / 1000.0);
      ps.setInt(3, limit);
      List<UUID> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("claiming work failed: " + e.getMessage(), e);
    }
  }

  @Scheduled(
      every = "${salons.provisioning.supervisor.resync-every:PT10M}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void periodicResync() {
    if (config.supervisor().enabled() && runtime.resyncsInBulk()) {
      try {
        resyncAll();
      } catch (RuntimeException e) {
        Log.warnf("Resync failed: %s", e.getMessage());
      }
    }
  }

  /**
   * Checks every settled instance for drift now: in bulk on Kubernetes (answers how many were
   * checked), otherwise by making every live instance due for the supervisor.
   */
  public int resyncAll() {
    if (runtime.resyncsInBulk()) {
      // One replica at a time (a session lock on PostgreSQL); another replica's run is not waited
      // for.
      return singleReplica.run(RESYNC, () -> bulkResync.get().run().instances()).orElse(0);
    }
    return update(
        "UPDATE instance SET next_attempt_at = now() WHERE state NOT IN ('deleted', 'failed')");
  }

  /** The bulk resync, as a job one replica at a time runs. */
  static final String RESYNC = "provisioning bulk resync";

  private int update(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
