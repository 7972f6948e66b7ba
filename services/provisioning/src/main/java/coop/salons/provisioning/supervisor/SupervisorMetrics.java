package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.instance.InstanceState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator watches in Prometheus ({@code /q/metrics}): how many instances are in each state
 * ({@code salons_instances}), how many are due and waiting for a worker ({@code
 * salons_supervisor_backlog}), and how long each step takes, by outcome ({@code
 * salons_instance_step_seconds}: a rising {@code outcome="failed"} count or a backlog that does not
 * fall is worth an alert). The counts are read with one query every 30 s ({@code
 * salons.provisioning.metrics-every}), not on each scrape.
 */
@ApplicationScoped
@Startup
public class SupervisorMetrics {

  @Inject MeterRegistry registry;
  @Inject EntityManager em;

  private final Map<InstanceState, AtomicLong> byState = new EnumMap<>(InstanceState.class);
  private final AtomicLong backlog = new AtomicLong();
  private final List<Gauge> gauges = new ArrayList<>();

  @PostConstruct
  void register() {
    for (InstanceState state : InstanceState.values()) {
      AtomicLong count = new AtomicLong();
      byState.put(state, count);
      gauges.add(
          Gauge.builder("salons.instances", count, AtomicLong::get)
              .description("Instances in each state")
              .tag("state", state.id())
              .register(registry));
    }
    gauges.add(
        Gauge.builder("salons.supervisor.backlog", backlog, AtomicLong::get)
            .description("Instances due for the supervisor now, waiting for a worker")
            .register(registry));
  }

  /**
   * Takes the gauges away with the application: a registry that outlives it (tests restart the
   * application in one JVM) would otherwise keep gauges reading this instance's counters, and
   * ignore the next application's.
   */
  @PreDestroy
  void unregister() {
    gauges.forEach(registry::remove);
  }

  /** One step of one instance, timed (outcome: done, unchanged or failed). */
  void step(String name, String outcome, Duration took) {
    Timer.builder("salons.instance.step")
        .description("How long the supervisor's steps take")
        .tag("step", name)
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }

  @Scheduled(
      every = "${salons.provisioning.metrics-every:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduled() {
    try {
      refresh();
    } catch (RuntimeException e) {
      Log.warnf("Could not count the instances for the metrics: %s", e.getMessage());
    }
  }

  /** Counts the instances by state, and those due now (as the supervisor claims), in one query. */
  public void refresh() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "SELECT state, count(*), count(*) FILTER (WHERE next_attempt_at <= now()"
                                + " AND (lease_until IS NULL OR lease_until < now()))"
                                + " FROM instance GROUP BY state")
                        .getResultList());
    Map<InstanceState, Long> counts = new EnumMap<>(InstanceState.class);
    long due = 0;
    for (Object[] row : rows) {
      InstanceState state = InstanceState.of((String) row[0]);
      counts.put(state, ((Number) row[1]).longValue());
      if (state != InstanceState.DELETED && state != InstanceState.FAILED) {
        due += ((Number) row[2]).longValue();
      }
    }
    byState.forEach((state, count) -> count.set(counts.getOrDefault(state, 0L)));
    backlog.set(due);
  }
}
