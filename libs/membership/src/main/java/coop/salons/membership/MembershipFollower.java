package coop.salons.membership;

import coop.salons.membership.IdentityFeed.Event;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Follows identity's membership feed into the {@code organization_member} table: who may manage an
 * organisation's instances is then a local lookup on every call. The position in the feed is stored
 * with the changes it covers, in one transaction, so a crash replays nothing twice.
 */
@ApplicationScoped
public class MembershipFollower {

  static final String FEED = "identity-membership";
  private static final int PAGE = 500;

  @Inject @RestClient IdentityFeed feed;
  @Inject EntityManager em;
  @Inject jakarta.enterprise.event.Event<MembershipChanged> changed;

  @Scheduled(
      every = "${salons.membership.poll:5s}",
      delayed = "2s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void poll() {
    try {
      catchUp();
    } catch (RuntimeException e) {
      Log.warnf("Could not read identity's membership feed: %s", e.getMessage());
    }
  }

  /**
   * When the last complete read of the feed began (nanoTime), for requests that wait on each other.
   */
  private volatile long lastReadStarted;

  private volatile boolean read;

  /** How many times this process applied changes: a role remembered before is stale after. */
  private volatile long changes;

  /** Counts the changes this process applied (see {@link OrganizationAccess}). */
  public long changes() {
    return changes;
  }

  /**
   * Reads the feed to its end unless a read that began after {@code since} (a nanoTime) already
   * did: a burst of requests for a new organisation makes one call to identity, not one each.
   */
  public int catchUpSince(long since) {
    synchronized (this) {
      if (read && lastReadStarted - since > 0) {
        return 0;
      }
      return catchUp();
    }
  }

  /** Reads the feed until its end; answers how many changes were applied. */
  public synchronized int catchUp() {
    long started = System.nanoTime();
    int applied = 0;
    while (true) {
      long from = position();
      List<Event> events = feed.after(from, PAGE).items();
      if (events.isEmpty() || events.size() < PAGE) {
        if (!events.isEmpty()) {
          apply(events);
          changes++;
          applied += events.size();
        }
        // Only a read that reached the end serves the requests that waited for it.
        lastReadStarted = started;
        read = true;
        return applied;
      }
      apply(events);
      changes++;
      applied += events.size();
    }
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  long position() {
    return FeedPositions.read(em, FEED);
  }

  /**
   * In a transaction of its own, committed before the caller goes on: a request that catches up
   * inside its own transaction (billing's claims do) must not hide the new members from every other
   * request until it commits, nor take them back if it rolls back.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void apply(List<Event> events) {
    for (Event e : events) {
      switch (e.kind()) {
        case "added", "role_changed" ->
            em.createNativeQuery(
                    "INSERT INTO organization_member (organization_slug, user_id, role)"
                        + " VALUES (?1, ?2, ?3) ON CONFLICT (organization_slug, user_id)"
                        + " DO UPDATE SET role = EXCLUDED.role")
                .setParameter(1, e.organization())
                .setParameter(2, e.userId())
                .setParameter(3, e.role())
                .executeUpdate();
        case "removed" ->
            em.createNativeQuery(
                    "DELETE FROM organization_member WHERE organization_slug = ?1 AND user_id = ?2")
                .setParameter(1, e.organization())
                .setParameter(2, e.userId())
                .executeUpdate();
        default -> Log.warnf("Ignoring a membership event of unknown kind %s", e.kind());
      }
      if (List.of("added", "role_changed", "removed").contains(e.kind())) {
        changed.fire(
            new MembershipChanged(
                e.id(), e.organization(), e.userId(), e.kind(), e.role(), e.occurredAt()));
      }
    }
    FeedPositions.write(em, FEED, events.get(events.size() - 1).id());
  }
}
