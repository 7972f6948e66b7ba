package coop.salons.membership;

import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;

/**
 * Where a service is in a feed of another service (identity's membership changes, billing's quota
 * events), kept in its own {@code feed_position} table, written in the transaction that applies
 * what it read so that a crash replays nothing twice.
 */
public final class FeedPositions {

  private FeedPositions() {}

  /** The last id applied from the feed; 0 before the first. */
  public static long read(EntityManager em, String feed) {
    Object last =
        em.createNativeQuery("SELECT last_id FROM feed_position WHERE feed = ?1")
            .setParameter(1, feed)
            .getResultStream()
            .findFirst()
            .orElse(0L);
    return ((Number) last).longValue();
  }

  /** Records the last id applied, inside the caller's transaction. */
  public static void write(EntityManager em, String feed, long lastId) {
    em.createNativeQuery(
            "INSERT INTO feed_position (feed, last_id, updated_at) VALUES (?1, ?2, ?3)"
                + " ON CONFLICT (feed) DO UPDATE SET last_id = EXCLUDED.last_id,"
                + " updated_at = EXCLUDED.updated_at")
        .setParameter(1, feed)
        .setParameter(2, lastId)
        .setParameter(3, OffsetDateTime.now())
        .executeUpdate();
  }
}
