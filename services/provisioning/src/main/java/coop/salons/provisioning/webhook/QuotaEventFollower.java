package coop.salons.provisioning.webhook;

import coop.salons.common.db.SingleReplica;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Follows billing's quota events into the organisations' webhooks ({@code quota.warning}, {@code
 * quota.exceeded}). The position in the feed is stored with the deliveries it owes, in one
 * transaction, on one replica at a time: each event is told once.
 */
@ApplicationScoped
public class QuotaEventFollower {

  static final String FEED = "billing-quota-events";
  private static final int PAGE = 500;

  @Inject @RestClient QuotaEvents feed;
  @Inject EntityManager em;
  @Inject Webhooks webhooks;
  @Inject SingleReplica singleReplica;

  @Scheduled(
      every = "${salons.provisioning.quota-events-every:10s}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void poll() {
    try {
      singleReplica.run(
          "quota-events",
          () -> {
            catchUp();
          });
    } catch (RuntimeException e) {
      Log.warnf("Could not read billing's quota events: %s", e.getMessage());
    }
  }

  /** Reads the feed to its end; answers how many events were read. */
  public synchronized int catchUp() {
    int read = 0;
    while (true) {
      List<QuotaEvents.Event> events = feed.after(position(), PAGE).items();
      if (!events.isEmpty()) {
        apply(events);
        read += events.size();
      }
      if (events.size() < PAGE) {
        return read;
      }
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  long position() {
    Object last =
        em.createNativeQuery("SELECT last_id FROM feed_position WHERE feed = ?1")
            .setParameter(1, FEED)
            .getResultStream()
            .findFirst()
            .orElse(0L);
    return ((Number) last).longValue();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void apply(List<QuotaEvents.Event> events) {
    for (QuotaEvents.Event e : events) {
      webhooks.quota(e);
    }
    em.createNativeQuery(
            "INSERT INTO feed_position (feed, last_id, updated_at) VALUES (?1, ?2, ?3)"
                + " ON CONFLICT (feed) DO UPDATE SET last_id = EXCLUDED.last_id,"
                + " updated_at = EXCLUDED.updated_at")
        .setParameter(1, FEED)
        .setParameter(2, events.get(events.size() - 1).id())
        .setParameter(3, OffsetDateTime.now())
        .executeUpdate();
  }
}
