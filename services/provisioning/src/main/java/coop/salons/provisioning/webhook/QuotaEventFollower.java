package coop.salons.provisioning.webhook;

import coop.salons.common.db.SingleReplica;
import coop.salons.membership.FeedPositions;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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
    return FeedPositions.read(em, FEED);
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void apply(List<QuotaEvents.Event> events) {
    for (QuotaEvents.Event e : events) {
      webhooks.quota(e);
    }
    FeedPositions.write(em, FEED, events.get(events.size() - 1).id());
  }
}
