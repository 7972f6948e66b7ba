package coop.salons.provisioning.usage;

import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.Plans;
import coop.salons.provisioning.model.Commons;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.PlanLimits;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.usage.BillingSamples.Sample;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sends billing an hourly sample of each instance that holds resources: the CPU and memory its plan
 * reserves (none while suspended), the storage it takes (its database's size, plus its files where
 * the runtime can measure them, or its volume's size where it cannot, plus its stored backups) and
 * its organisation's members. An hour begun is an hour counted. Each run sends the current hour and
 * the one before: billing keeps the first sample of an hour, so a run missed while billing was away
 * is made up.
 */
@ApplicationScoped
public class UsageReporter {

  /** States in which an instance holds nothing yet, or nothing any more. */
  static final Set<String> HOLDS_NOTHING = Set.of("requested", "deleted");

  /** States in which an instance's server does not run: only its storage is held. */
  static final Set<String> NOT_RUNNING = Set.of("suspended", "deletion-requested");

  private static final int BATCH = 5_000;

  @Inject EntityManager em;
  @Inject Plans plans;
  @Inject TenantDatabases databases;
  @Inject ChatRuntime runtime;
  @Inject @RestClient BillingSamples billing;

  @Scheduled(
      every = "${salons.provisioning.usage-every:10m}",
      delayed = "20s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    try {
      report(Instant.now());
    } catch (RuntimeException e) {
      Log.warnf("Could not send usage samples to billing: %s", e.getMessage());
    }
  }

  /** Sends the samples of the hour of {@code now} and of the hour before; answers how many. */
  public int report(Instant now) {
    List<Sample> samples = samples(now);
    for (int i = 0; i < samples.size(); i += BATCH) {
      billing.send(
          new BillingSamples.Batch(samples.subList(i, Math.min(samples.size(), i + BATCH))));
    }
    return samples.size();
  }

  @Transactional
  public List<Sample> samples(Instant now) {
    OffsetDateTime hour = now.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC);
    OffsetDateTime previous = hour.minusHours(1);
    // The commons server is the platform's own: its cost is among the shared ones (ADR 21).
    List<Instance> holding =
        Instance.list(
            "state not in ?1 and organizationSlug <> ?2", HOLDS_NOTHING, Commons.ORGANIZATION);
    Map<String, Long> databaseMib =
        databases.sizesMib(holding.stream().map(i -> InstanceSpec.databaseName(i.id)).toList());
    // The instance's backups as stored (scheduled, on demand and final; not those removed): their
    // storage is charged as the instance's own.
    Map<java.util.UUID, Long> backupMib = new HashMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> backups =
        em.createNativeQuery(
                "SELECT instance_id, (sum(size_bytes) + 1048575) / 1048576 FROM instance_backup"
                    + " WHERE state = 'done' AND size_bytes IS NOT NULL GROUP BY 1")
            .getResultList();
    backups.forEach(r -> backupMib.put((java.util.UUID) r[0], ((Number) r[1]).longValue()));
    Map<String, Integer> members = new HashMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> counts =
        em.createNativeQuery(
                "SELECT organization_slug, count(*) FROM organization_member GROUP BY 1")
            .getResultList();
    counts.forEach(r -> members.put((String) r[0], ((Number) r[1]).intValue()));
    List<Sample> samples = new ArrayList<>();
    for (Instance i : holding) {
      PlanLimits plan = plans.require(i.plan);
      boolean running = !NOT_RUNNING.contains(i.state);
      long storage =
          databaseMib.getOrDefault(InstanceSpec.databaseName(i.id), 0L)
              + runtime.filesMib(i.id, plan.storageGb())
              + backupMib.getOrDefault(i.id, 0L);
      for (OffsetDateTime h : List.of(previous, hour)) {
        if (i.createdAt.isAfter(h.plusHours(1))) {
          continue; // it did not exist yet in that hour
        }
        samples.add(
            new Sample(
                i.organizationSlug,
                i.id,
                h,
                running ? plan.cpuMillis() : 0,
                running ? plan.memoryMib() : 0,
                storage,
                members.getOrDefault(i.organizationSlug, 0)));
      }
    }
    return samples;
  }
}
