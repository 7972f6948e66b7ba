package coop.salons.billingclient;

import coop.salons.common.api.ProblemException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Holding part of an organisation's quota in billing before making something (docs/adr/0012):
 * billing's refusal reaches the caller as it is (403 quota-exceeded, with the quota and the
 * figures); a billing that does not answer refuses too (503), since no one can tell whether there
 * is room.
 */
@ApplicationScoped
public class QuotaClaims {

  @Inject @RestClient BillingQuotas billing;
  @Inject @RestClient BillingQuotaGroups groups;

  /** Holds {@code amount} of the quota under the key, or only checks there is room. */
  public void claim(String org, String quota, String key, long amount, boolean dryRun) {
    holding(() -> billing.claim(org, new BillingQuotas.Claim(quota, key, amount, dryRun)));
  }

  /** How much of the quota the organisation's claims hold; refuses (503) if billing is silent. */
  public long held(String org, String quota) {
    return claims(org, quota).used();
  }

  /** The organisation's claims on a quota; refuses (503) if billing is silent. */
  public BillingQuotas.Held claims(String org, String quota) {
    try {
      return billing.held(org, quota);
    } catch (WebApplicationException e) {
      throw unavailable("HTTP " + e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw unavailable(e.getMessage());
    }
  }

  /** Holds several quotas together or none of them (billing's refusal names the first one). */
  public void claimAll(String org, java.util.List<BillingQuotas.Claim> claims) {
    holding(() -> billing.claimAll(org, new BillingQuotas.Batch(claims, false)));
  }

  /**
   * Holds each group (one organisation's claims, all or none) on its own, in one call: for each
   * group in order, empty when held, or billing's refusal of it (403 quota-exceeded, 404). A
   * billing that does not answer refuses them all (503).
   */
  public java.util.List<java.util.Optional<ProblemException>> claimGroups(
      java.util.List<BillingQuotaGroups.Group> groups) {
    BillingQuotaGroups.Outcomes outcomes;
    try {
      outcomes = this.groups.claim(new BillingQuotaGroups.Groups(groups));
    } catch (WebApplicationException e) {
      throw unavailable("HTTP " + e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw unavailable(e.getMessage());
    }
    if (outcomes == null
        || outcomes.groups() == null
        || outcomes.groups().size() != groups.size()) {
      throw unavailable("an answer that does not match the groups sent");
    }
    return outcomes.groups().stream()
        .map(
            o ->
                o.status() == 200 || o.status() == 201
                    ? java.util.Optional.<ProblemException>empty()
                    : java.util.Optional.of(
                        o.status() == 403 || o.status() == 404
                            ? ProblemException.relayed(
                                o.status(), o.problem() == null ? java.util.Map.of() : o.problem())
                            : unavailable("HTTP " + o.status())))
        .toList();
  }

  /** A claim call: 200 or 201 is held; billing's 403 is passed on; anything else is a 503. */
  private static void holding(java.util.function.Supplier<Response> call) {
    try (Response r = call.get()) {
      // held (or checked)
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 403) {
        throw ProblemException.relayed(e.getResponse());
      }
      throw unavailable("HTTP " + e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw unavailable(e.getMessage());
    }
  }

  /**
   * A claim younger than this may belong to an action still under way (a service claims before it
   * writes): reconcilers leave it alone.
   */
  public static final java.time.Duration SETTLED = java.time.Duration.ofMinutes(10);

  /** Whether a claim is old enough for a reconciler to judge it. */
  public static boolean settled(BillingQuotas.HeldClaim claim, java.time.OffsetDateTime now) {
    return claim.createdAt().isBefore(now.minus(SETTLED));
  }

  /**
   * The organisation's claims on a quota whose keys start with {@code prefix}, by the rest of the
   * key; empty when billing does not answer (a reconciler tries again at its next run).
   */
  public java.util.Optional<java.util.Map<String, BillingQuotas.HeldClaim>> byKey(
      String org, String quota, String prefix) {
    BillingQuotas.Held held;
    try {
      held = claims(org, quota);
    } catch (RuntimeException e) {
      Log.debugf("Claims of %s on %s not read: %s", org, quota, e.getMessage());
      return java.util.Optional.empty();
    }
    java.util.Map<String, BillingQuotas.HeldClaim> byKey = new java.util.HashMap<>();
    for (BillingQuotas.HeldClaim c : held.claims()) {
      if (c.key().startsWith(prefix)) {
        byKey.put(c.key().substring(prefix.length()), c);
      }
    }
    return java.util.Optional.of(byKey);
  }

  /** Lets go of what the key holds; holding nothing is fine. */
  public void release(String org, String quota, String key) {
    try (Response r = billing.release(org, quota, key)) {
      // 204 either way.
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() != 404) {
        throw e;
      }
    }
  }

  /** Lets go without failing the caller: the slot stays held until released again. */
  public void releaseQuietly(String org, String quota, String key) {
    try {
      release(org, quota, key);
    } catch (RuntimeException e) {
      Log.warnf("Could not release %s of %s (%s): %s", key, org, quota, e.getMessage());
    }
  }

  private static ProblemException unavailable(String why) {
    Log.warnf("Billing did not answer a quota claim: %s", why);
    return ProblemException.unavailable(
        "quota-check-unavailable",
        "Quota check unavailable",
        "Billing could not check the organisation's quotas; nothing was done. Try again in a"
            + " moment.");
  }
}
