package coop.salons.billing.subscription;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.plan.Plan;
import coop.salons.billing.plan.Quota;
import coop.salons.common.api.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What organisations hold against their plans' quotas. A claim names what it holds (an instance's
 * id, a member's id) so that sending it twice holds once; claims of one organisation queue on its
 * subscription's row lock, so two parallel claims cannot both take the last slot.
 */
@ApplicationScoped
public class Quotas {

  @Inject EntityManager em;
  @Inject Subscriptions subscriptions;
  @Inject BillingConfig config;
  @Inject MeterRegistry registry;

  /** One quota's state. */
  public record QuotaUse(
      Quota quota, long limit, long used, long remaining, int percent, boolean warning) {}

  /** The answer to a claim. */
  public record ClaimAnswer(
      Quota quota,
      String key,
      long amount,
      long limit,
      long used,
      long remaining,
      boolean warning,
      boolean held,
      boolean created) {}

  /** The amounts held, per quota. */
  @Transactional
  public Map<Quota, Long> used(String organization) {
    Map<Quota, Long> used = new EnumMap<>(Quota.class);
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT resource, sum(amount) FROM quota_claim WHERE organization_slug = ?1"
                    + " GROUP BY resource")
            .setParameter(1, organization)
            .getResultList();
    for (Object[] row : rows) {
      Quota.parse((String) row[0]).ifPresent(r -> used.put(r, ((Number) row[1]).longValue()));
    }
    return used;
  }

  /** Every quota of the organisation: limit, use, and whether it nears the limit. */
  @Transactional
  public List<QuotaUse> of(String organization) {
    Subscription s = subscriptions.of(organization);
    Plan plan = Plan.findById(s.planId);
    Map<Quota, Long> used = used(organization);
    List<QuotaUse> all = new ArrayList<>();
    for (Quota r : Quota.values()) {
      long u = used.getOrDefault(r, 0L);
      long limit = plan.limit(r);
      all.add(
          new QuotaUse(r, limit, u, Math.max(0, limit - u), percent(u, limit), warns(u, limit)));
    }
    return all;
  }

  /**
   * Holds {@code amount} of a quota under a key, or only checks it ({@code dryRun}). Sending the
   * same key again replaces the amount it holds (a volume that grows), checked again. A refusal
   * writes nothing, and leaves a caller's transaction usable.
   */
  @Transactional(dontRollbackOn = ProblemException.class)
  public ClaimAnswer claim(
      String organization, Quota quota, String key, long amount, boolean dryRun, String claimedBy) {
    return claimAll(organization, List.of(new Item(quota, key, amount)), dryRun, claimedBy).get(0);
  }

  /** One part of a batch: a quota, the key that holds it, the amount. */
  public record Item(Quota quota, String key, long amount) {}

  /**
   * Holds every item, or none: the first quota a batch would exceed refuses the whole of it (its
   * 403 says which), in one transaction under the subscription's lock. Whatever the batch's size,
   * it locks the subscription, reads the plan, reads what is held (the totals, and what its keys
   * already hold) and writes, once each: an instance's four claims cost no more statements than
   * one. A refusal writes nothing, and leaves a caller's transaction usable (see {@code
   * QuotaClaimGroupResource}).
   */
  @Transactional(dontRollbackOn = ProblemException.class)
  public List<ClaimAnswer> claimAll(
      String organization, List<Item> items, boolean dryRun, String claimedBy) {
    Subscription s = subscriptions.locked(organization);
    Plan plan = Plan.findById(s.planId);
    // In one statement: the totals held per quota, and what the batch's keys already hold.
    Map<Quota, Long> totals = new EnumMap<>(Quota.class);
    Map<String, Long> existing = new HashMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT resource, sum(amount), CAST(NULL AS text), CAST(NULL AS bigint)"
                    + " FROM quota_claim WHERE organization_slug = ?1 GROUP BY resource"
                    + " UNION ALL SELECT resource, CAST(NULL AS numeric), claim_key, amount"
                    + " FROM quota_claim WHERE organization_slug = ?1 AND claim_key IN (?2)")
            .setParameter(1, organization)
            .setParameter(2, items.stream().map(Item::key).distinct().toList())
            .getResultList();
    for (Object[] row : rows) {
      if (row[2] == null) {
        Quota.parse((String) row[0]).ifPresent(q -> totals.put(q, ((Number) row[1]).longValue()));
      } else {
        existing.put(row[0] + "/" + row[2], ((Number) row[3]).longValue());
      }
    }
    List<ClaimAnswer> answers = new ArrayList<>();
    for (Item item : items) {
      Long held = existing.get(item.quota().wire() + "/" + item.key());
      long others = totals.getOrDefault(item.quota(), 0L) - (held == null ? 0 : held);
      answers.add(answer(organization, plan, item, others, held, dryRun));
      // The batch's later items see this one held.
      totals.put(item.quota(), others + item.amount());
    }
    if (!dryRun) {
      hold(organization, items, claimedBy);
    }
    return answers;
  }

  /** One item checked against the plan: its answer, or the 403 that refuses the batch. */
  private ClaimAnswer answer(
      String organization, Plan plan, Item item, long others, Long existing, boolean dryRun) {
    Quota quota = item.quota();
    long amount = item.amount();
    long limit = plan.limit(quota);
    long after = others + amount;
    if (after > limit && (existing == null || amount > existing)) {
      long used = others + (existing == null ? 0 : existing);
      if (!dryRun) {
        // What the operator's dashboard shows: requests the plans turned away, by quota.
        registry.counter("salons.quota.refusals", "quota", quota.wire()).increment();
        // Kept though the claim is refused: the refusal does not roll the transaction back.
        event(organization, quota, "exceeded", used, limit, amount);
      }
      throw new ProblemException(
          403,
          "quota-exceeded",
          "Quota exceeded",
          "The plan "
              + plan.id
              + " allows "
              + limit
              + " "
              + quota.wire()
              + "; '"
              + organization
              + "' holds "
              + used
              + " and asks for "
              + amount
              + (existing == null ? "" : " in place of " + existing)
              + ", "
              + (after - limit)
              + " too many.",
          List.of(),
          Map.of(
              "quota",
              quota.wire(),
              "plan",
              plan.id,
              "limit",
              limit,
              "used",
              used,
              "requested",
              amount,
              "excess",
              after - limit));
    }
    boolean created = existing == null;
    long before = others + (existing == null ? 0 : existing);
    if (!dryRun && warns(after, limit) && !warns(before, limit)) {
      event(organization, quota, "warning", after, limit, null);
    }
    return new ClaimAnswer(
        quota,
        item.key(),
        amount,
        limit,
        after,
        Math.max(0, limit - after),
        warns(after, limit),
        !dryRun,
        created && !dryRun);
  }

  /**
   * Records a quota crossing its warning threshold or a refused claim, for the organisation's
   * webhooks (provisioning reads them from {@code GET /api/v1/quota-events}).
   */
  private void event(
      String organization, Quota quota, String kind, long used, long limit, Long requested) {
    em.createNativeQuery(
            "INSERT INTO quota_event (organization_slug, resource, kind, used, limit_value,"
                + " requested, occurred_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .setParameter(1, organization)
        .setParameter(2, quota.wire())
        .setParameter(3, kind)
        .setParameter(4, used)
        .setParameter(5, limit)
        .setParameter(6, requested)
        .setParameter(7, OffsetDateTime.now())
        .executeUpdate();
  }

  /** Writes the batch's claims in one statement; a key sent again takes its new amount. */
  private void hold(String organization, List<Item> items, String claimedBy) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO quota_claim (organization_slug, resource, claim_key, amount, claimed_by,"
                + " created_at, updated_at) VALUES ");
    for (int i = 0; i < items.size(); i++) {
      int p = 4 + i * 3;
      sql.append(i == 0 ? "" : ", ")
          .append("(?1, ?")
          .append(p)
          .append(", ?")
          .append(p + 1)
          .append(", ?")
          .append(p + 2)
          .append(", ?2, ?3, ?3)");
    }
    sql.append(
        " ON CONFLICT (organization_slug, resource, claim_key)"
            + " DO UPDATE SET amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at");
    var insert =
        em.createNativeQuery(sql.toString())
            .setParameter(1, organization)
            .setParameter(2, claimedBy)
            .setParameter(3, OffsetDateTime.now());
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      int p = 4 + i * 3;
      insert
          .setParameter(p, item.quota().wire())
          .setParameter(p + 1, item.key())
          .setParameter(p + 2, item.amount());
    }
    insert.executeUpdate();
  }

  /** One claim as its holder sees it. */
  public record HeldClaim(String key, long amount, java.time.OffsetDateTime createdAt) {}

  /** The claims an organisation holds on one quota, oldest first. */
  @Transactional
  public List<HeldClaim> claims(String organization, Quota quota) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT claim_key, amount, created_at FROM quota_claim WHERE organization_slug = ?1"
                    + " AND resource = ?2 ORDER BY created_at, claim_key")
            .setParameter(1, organization)
            .setParameter(2, quota.wire())
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new HeldClaim(
                    (String) r[0],
                    ((Number) r[1]).longValue(),
                    coop.salons.common.db.NativeRows.offsetDateTime(r[2])))
        .toList();
  }

  /** Lets go of what a key holds; nothing held is not an error. */
  @Transactional
  public boolean release(String organization, Quota quota, String key) {
    subscriptions.locked(organization);
    return em.createNativeQuery(
                "DELETE FROM quota_claim WHERE organization_slug = ?1 AND resource = ?2"
                    + " AND claim_key = ?3")
            .setParameter(1, organization)
            .setParameter(2, quota.wire())
            .setParameter(3, key)
            .executeUpdate()
        > 0;
  }

  private boolean warns(long used, long limit) {
    return used * 100 >= (long) config.warningThresholdPercent() * limit && limit > 0
        || used > limit;
  }

  private static int percent(long used, long limit) {
    return limit == 0 ? (used == 0 ? 0 : 100) : (int) Math.min(999, used * 100 / limit);
  }
}
