package coop.salons.billing.subscription;

import coop.salons.billing.BillingConfig;
import coop.salons.billing.plan.Plan;
import coop.salons.billing.plan.Quota;
import coop.salons.common.api.ProblemException;
import coop.salons.membership.OrganizationAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Subscriptions. An organisation identity has told of starts on the default plan at that plan's
 * minimum price, the first time billing hears of it; its owners choose another plan or price.
 */
@ApplicationScoped
public class Subscriptions {

  @Inject EntityManager em;
  @Inject BillingConfig config;
  @Inject OrganizationAccess organizations;
  @Inject Quotas quotas;

  /**
   * The organisation's subscription, created on the default plan if identity knows it; or 404
   * (which leaves a caller's transaction usable: a batch goes on with its other organisations).
   */
  @Transactional(dontRollbackOn = ProblemException.class)
  public Subscription of(String organization) {
    Subscription s = Subscription.findById(organization);
    if (s == null) {
      if (!organizations.known(organization)) {
        throw ProblemException.notFound("No organisation '" + organization + "'.");
      }
      startOnDefault(List.of(organization));
      s = Subscription.findById(organization);
    }
    return s;
  }

  /** The subscription, row-locked until the transaction ends: quota claims queue here. */
  @Transactional(value = Transactional.TxType.MANDATORY, dontRollbackOn = ProblemException.class)
  public Subscription locked(String organization) {
    // Read and locked in one statement when it exists (the usual case).
    Subscription s = em.find(Subscription.class, organization, LockModeType.PESSIMISTIC_WRITE);
    if (s == null) {
      s = of(organization);
      em.refresh(s, LockModeType.PESSIMISTIC_WRITE);
    }
    return s;
  }

  /**
   * Of these organisations, the ones billing knows, subscribing those identity knows and billing
   * did not yet.
   */
  @Transactional
  public Set<String> known(Collection<String> slugs) {
    Set<String> known = subscribed(slugs);
    if (known.size() < slugs.size()) {
      List<String> missing = slugs.stream().filter(s -> !known.contains(s)).toList();
      List<String> toStart = new ArrayList<>();
      for (String slug : missing) {
        if (organizations.known(slug)) {
          toStart.add(slug);
        }
      }
      startOnDefault(toStart);
      known.addAll(subscribed(toStart));
    }
    return known;
  }

  private Set<String> subscribed(Collection<String> slugs) {
    if (slugs.isEmpty()) {
      return new HashSet<>();
    }
    @SuppressWarnings("unchecked")
    List<String> found =
        em.createNativeQuery(
                "SELECT organization_slug FROM subscription WHERE organization_slug = ANY(?1)")
            .setParameter(1, slugs.toArray(String[]::new))
            .getResultList();
    return found.stream().collect(Collectors.toCollection(HashSet::new));
  }

  private void startOnDefault(List<String> slugs) {
    if (slugs.isEmpty()) {
      return;
    }
    Plan plan = Plan.findById(config.defaultPlan());
    for (String slug : slugs) {
      em.createNativeQuery(
              "INSERT INTO subscription (organization_slug, plan_id, price_cents, created_at,"
                  + " updated_at) VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING")
          .setParameter(1, slug)
          .setParameter(2, plan.id)
          .setParameter(3, plan.minimumPriceCents)
          .setParameter(4, OffsetDateTime.now())
          .executeUpdate();
    }
  }

  /**
   * Moves the organisation to a plan at a price: the plan must be on offer (or its current one),
   * the price within the plan's rules, and what the organisation holds must fit the new quotas.
   */
  @Transactional
  public Subscription change(String organization, String planId, long priceCents, Long expected) {
    Subscription s = locked(organization);
    if (expected != null && expected != s.version) {
      throw ProblemException.preconditionFailed("The subscription changed since you read it.");
    }
    Plan plan = Plan.findById(planId);
    if (plan == null || (!plan.available && !plan.id.equals(s.planId))) {
      throw ProblemException.invalid("planId", "no plan '" + planId + "' on offer");
    }
    if (priceCents < plan.minimumPriceCents) {
      throw ProblemException.invalid(
          "priceCents",
          "must be at least the plan's minimum, " + plan.minimumPriceCents + " cents");
    }
    Map<Quota, Long> used = quotas.used(organization);
    List<Map<String, Object>> over = new ArrayList<>();
    for (Quota r : Quota.values()) {
      long u = used.getOrDefault(r, 0L);
      if (u > plan.limit(r)) {
        over.add(Map.of("quota", r.wire(), "limit", plan.limit(r), "used", u));
      }
    }
    if (!over.isEmpty()) {
      throw new ProblemException(
          409,
          "plan-too-small",
          "Plan too small",
          "The plan "
              + plan.id
              + " is too small for what '"
              + organization
              + "' holds: "
              + over.stream()
                  .map(o -> o.get("quota") + " " + o.get("used") + " > " + o.get("limit"))
                  .collect(Collectors.joining(", "))
              + ".",
          List.of(),
          Map.of("quotas", over));
    }
    s.planId = plan.id;
    s.priceCents = priceCents;
    s.updatedAt = OffsetDateTime.now();
    Subscription.flush();
    // The months still provisional show the new price at their next reading.
    em.createNativeQuery("UPDATE statement_run SET computed_at = 'epoch' WHERE provisional")
        .executeUpdate();
    return s;
  }
}
