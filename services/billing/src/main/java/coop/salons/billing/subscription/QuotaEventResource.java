package coop.salons.billing.subscription;

import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.common.security.ServiceCallers;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Quotas crossing their warning threshold ({@code warning}) and claims the plan refused ({@code
 * exceeded}), in order, for the provisioning service, which tells them to the organisations'
 * webhooks ({@code quota.warning}, {@code quota.exceeded}). Kept 30 days.
 */
@Path("/api/v1/quota-events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "quota events")
public class QuotaEventResource {

  static final Set<String> READERS = Set.of("salons-provisioning");

  @Inject JsonWebToken token;
  @Inject EntityManager em;

  /** One event; {@code id} orders them. {@code requested} only for a refusal. */
  public record QuotaEvent(
      long id,
      String organization,
      String quota,
      String kind,
      long used,
      long limit,
      Long requested,
      OffsetDateTime occurredAt) {}

  @GET
  @Transactional
  @Operation(summary = "Quota warnings and refusals after a given id, oldest first (provisioning)")
  public Page<QuotaEvent> after(
      @QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
    ServiceCallers.require(token, READERS, "read quota events");
    int size = Cursors.limit(limit, 100, 1000);
    long from = after == null ? 0 : after;
    if (from < 0) {
      throw ProblemException.invalid("after", "must be 0 or more");
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT id, organization_slug, resource, kind, used, limit_value, requested,"
                    + " occurred_at FROM quota_event WHERE id > ?1 ORDER BY id LIMIT ?2")
            .setParameter(1, from)
            .setParameter(2, size)
            .getResultList();
    List<QuotaEvent> items =
        rows.stream()
            .map(
                r ->
                    new QuotaEvent(
                        ((Number) r[0]).longValue(),
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        ((Number) r[4]).longValue(),
                        ((Number) r[5]).longValue(),
                        r[6] == null ? null : ((Number) r[6]).longValue(),
                        toOffset(r[7])))
            .toList();
    String next = items.size() == size ? String.valueOf(items.get(items.size() - 1).id()) : null;
    return new Page<>(items, next);
  }

  private static OffsetDateTime toOffset(Object value) {
    if (value instanceof OffsetDateTime o) {
      return o;
    }
    if (value instanceof java.time.Instant i) {
      return i.atOffset(java.time.ZoneOffset.UTC);
    }
    return ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
  }

  @Scheduled(
      every = "6h",
      delayed = "10m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  @Transactional
  void forgetOld() {
    int gone =
        em.createNativeQuery("DELETE FROM quota_event WHERE occurred_at < ?1")
            .setParameter(1, OffsetDateTime.now().minusDays(30))
            .executeUpdate();
    if (gone > 0) {
      Log.infof("Forgot %d quota events older than 30 days", gone);
    }
  }
}
