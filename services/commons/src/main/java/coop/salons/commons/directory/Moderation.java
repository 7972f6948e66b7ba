package coop.salons.commons.directory;

import coop.salons.common.api.ProblemException;
import coop.salons.commons.directory.DirectoryDtos.ListingView;
import coop.salons.commons.directory.DirectoryDtos.ReportView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reports of listings by signed-in people (a few a day each), the hoster's queue of them, and the
 * hoster hiding a listing (which resolves its reports).
 */
@ApplicationScoped
public class Moderation {

  /** How many reports one person may file in 24 hours. */
  static final int REPORTS_PER_DAY = 20;

  @Inject EntityManager em;
  @Inject Directory directory;

  @Transactional
  public UUID report(UUID listingId, String userId, String reason) {
    Listing l = Listing.findById(listingId);
    if (l == null || !"listed".equals(l.state)) {
      throw ProblemException.notFound("No room " + listingId + " in the directory.");
    }
    long today =
        ((Number)
                em.createNativeQuery(
                        "SELECT count(*) FROM listing_report WHERE reported_by = ?1"
                            + " AND created_at > ?2")
                    .setParameter(1, userId)
                    .setParameter(2, OffsetDateTime.now().minusDays(1))
                    .getSingleResult())
            .longValue();
    if (today >= REPORTS_PER_DAY) {
      throw new ProblemException(
          429,
          "rate-limited",
          "Too many reports",
          "You filed " + today + " reports in the last 24 hours: the hoster reads them first.",
          List.of(),
          java.util.Map.of("limit", REPORTS_PER_DAY));
    }
    UUID id = UUID.randomUUID();
    em.createNativeQuery(
            "INSERT INTO listing_report (id, listing_id, reported_by, reason, created_at)"
                + " VALUES (?1, ?2, ?3, ?4, ?5)")
        .setParameter(1, id)
        .setParameter(2, listingId)
        .setParameter(3, userId)
        .setParameter(4, reason.strip())
        .setParameter(5, OffsetDateTime.now())
        .executeUpdate();
    return id;
  }

  /** The reports not resolved yet, oldest first. */
  @Transactional
  public List<ReportView> open() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT id, listing_id, reason, created_at FROM listing_report"
                    + " WHERE resolved_at IS NULL ORDER BY created_at, id LIMIT 200")
            .getResultList();
    Set<String> stale = directory.staleServers();
    List<ReportView> out = new ArrayList<>();
    for (Object[] r : rows) {
      Listing l = Listing.findById(r[1]);
      out.add(
          new ReportView(
              (UUID) r[0], directory.view(l, stale), (String) r[2], toOffset(r[3]), null, null));
    }
    return out;
  }

  /** The hoster hides a listing: out of the directory for good, its reports resolved. */
  @Transactional
  public ListingView hide(UUID listingId, String reason) {
    Listing l = Listing.findById(listingId);
    if (l == null) {
      throw ProblemException.notFound("No room " + listingId + " in the directory.");
    }
    OffsetDateTime now = OffsetDateTime.now();
    l.state = "hidden";
    l.reason = reason.strip();
    l.changedAt = now;
    em.createNativeQuery(
            "UPDATE listing_report SET resolved_at = ?1, resolution = 'hidden'"
                + " WHERE listing_id = ?2 AND resolved_at IS NULL")
        .setParameter(1, now)
        .setParameter(2, listingId)
        .executeUpdate();
    em.flush();
    return directory.view(l, Set.of());
  }

  private static OffsetDateTime toOffset(Object o) {
    if (o instanceof OffsetDateTime odt) {
      return odt;
    }
    if (o instanceof java.time.Instant i) {
      return i.atOffset(java.time.ZoneOffset.UTC);
    }
    return ((java.sql.Timestamp) o).toInstant().atOffset(java.time.ZoneOffset.UTC);
  }
}
