package coop.salons.provisioning.quota;

import coop.salons.billingclient.BillingQuotaGroups;
import coop.salons.billingclient.BillingQuotas;
import coop.salons.billingclient.QuotaClaims;
import coop.salons.common.api.ProblemException;
import coop.salons.provisioning.model.PlanLimits;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An instance holds, under the key {@code instance-<id>} in billing, one slot of its organisation's
 * {@code instances} quota and what its plan reserves of {@code cpu-millicores}, {@code memory-mib}
 * and {@code storage-gb}, from its creation to its purge, all claimed together or not at all
 * (docs/adr/0012): an organisation on a small plan cannot run a large instance.
 *
 * <p>A creation that dies between billing's answer and its own commit leaves a claim no instance
 * holds; every 10 minutes ({@code salons.provisioning.quota-reconcile-every}) such claims, once
 * older than any creation in flight can be, are released.
 */
@ApplicationScoped
public class InstanceQuota {

  static final String QUOTA = "instances";
  static final List<String> RESOURCES =
      List.of(QUOTA, "cpu-millicores", "memory-mib", "storage-gb");
  static final String PREFIX = "instance-";

  @Inject QuotaClaims claims;
  @Inject EntityManager em;
  @Inject TransactionSynchronizationRegistry transactions;

  public static String key(UUID instance) {
    return PREFIX + instance;
  }

  /**
   * Holds the instance's slot and its plan's resources, or refuses (403 from billing naming the
   * first quota exceeded, 503 without billing). Claiming again with another plan replaces the
   * amounts, checked again.
   */
  public void claim(String org, UUID instance, PlanLimits plan) {
    claims.claimAll(org, of(instance, plan));
  }

  /**
   * Moves the instance to another plan's size inside the caller's transaction: claims {@code to}
   * now (refused with a 403 if the organisation has no room), and if that transaction does not
   * commit — a later check refused the change, or the commit failed — claims {@code from} again, so
   * that billing holds what the instance really has.
   */
  public void resize(String org, UUID instance, PlanLimits from, PlanLimits to) {
    claim(org, instance, to);
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              return;
            }
            try {
              claim(org, instance, from);
            } catch (RuntimeException e) {
              Log.warnf(
                  "Instance %s: a refused plan change could not give back its new size in"
                      + " billing: %s",
                  instance, e.getMessage());
            }
          }
        });
  }

  /**
   * Holds each creation's slot and size, each whole or not at all, in one call to billing: for each
   * creation in order, empty when held, or its refusal (403 naming the quota); a billing that does
   * not answer refuses them all (503).
   */
  public List<Optional<ProblemException>> claimEach(List<Sized> creations) {
    return claims.claimGroups(
        creations.stream()
            .map(c -> new BillingQuotaGroups.Group(c.org(), of(c.id(), c.plan())))
            .toList());
  }

  /** An instance of an organisation, of a plan's size: what its claims are made of. */
  public record Sized(String org, UUID id, PlanLimits plan) {}

  private static List<BillingQuotas.Claim> of(UUID instance, PlanLimits plan) {
    String key = key(instance);
    return List.of(
        new BillingQuotas.Claim(QUOTA, key, 1, false),
        new BillingQuotas.Claim("cpu-millicores", key, plan.cpuMillis(), false),
        new BillingQuotas.Claim("memory-mib", key, plan.memoryMib(), false),
        new BillingQuotas.Claim("storage-gb", key, plan.storageGb(), false));
  }

  /** Lets everything go (the purge's last step); idempotent. */
  public void release(String org, UUID instance) {
    for (String resource : RESOURCES) {
      claims.release(org, resource, key(instance));
    }
  }

  /** Releases without failing: for a creation that did not commit after its claim. */
  public void releaseQuietly(String org, UUID instance) {
    for (String resource : RESOURCES) {
      claims.releaseQuietly(org, resource, key(instance));
    }
  }

  @Scheduled(
      every = "${salons.provisioning.quota-reconcile-every:10m}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    try {
      reconcile(OffsetDateTime.now());
    } catch (RuntimeException e) {
      Log.warnf("Could not reconcile instance claims with billing: %s", e.getMessage());
    }
  }

  /**
   * Releases, for every organisation provisioning knows, the settled instance claims that no live
   * instance holds; answers how many it released.
   */
  public int reconcile(OffsetDateTime now) {
    List<String> organizations =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "SELECT organization_slug FROM organization_member UNION"
                                + " SELECT organization_slug FROM instance",
                            String.class)
                        .getResultList());
    int released = 0;
    for (String org : organizations) {
      var held = claims.byKey(org, QUOTA, PREFIX).orElse(Map.of());
      for (var c : held.entrySet()) {
        UUID id = uuid(c.getKey());
        if (id == null || !QuotaClaims.settled(c.getValue(), now) || held(id)) {
          continue;
        }
        release(org, id);
        Log.infof("Released %s of %s: no instance holds it", PREFIX + c.getKey(), org);
        released++;
      }
    }
    return released;
  }

  private boolean held(UUID id) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                !em.createNativeQuery("SELECT 1 FROM instance WHERE id = ?1 AND state <> 'deleted'")
                    .setParameter(1, id)
                    .getResultList()
                    .isEmpty());
  }

  private static UUID uuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
