package coop.salons.identity.quota;

import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A member holds one slot of the organisation's {@code members} quota in billing, under the key
 * {@code member-<user id>} (docs/adr/0012). Adding someone claims it first: billing's refusal
 * reaches the caller as it is (403 quota-exceeded), a billing that does not answer refuses the
 * addition (503). An invitation only checks that there is room; the slot is claimed when the
 * invitation is accepted. Removing a member gives the slot back.
 */
@ApplicationScoped
public class MemberQuota {

  static final String QUOTA = "members";

  @Inject IdentityConfig config;
  @Inject @RestClient BillingQuotas billing;

  boolean enabled() {
    return !"off".equals(config.memberQuota());
  }

  public static String key(String userId) {
    return "member-" + userId;
  }

  /** Holds a slot for the user, or refuses. */
  public void claim(String org, String userId) {
    send(org, key(userId), false);
  }

  /** Refuses unless the organisation has room for one more member; holds nothing. */
  public void checkRoom(String org) {
    send(org, "invitation", true);
  }

  /** Holds a slot for someone who is a member already (an accepted invitation, an owner). */
  public void claimQuietly(String org, String userId) {
    try {
      claim(org, userId);
    } catch (RuntimeException e) {
      Log.warnf("Could not claim a members slot of %s for %s: %s", org, userId, e.getMessage());
    }
  }

  /** Lets the slot go; never fails the caller. */
  public void releaseQuietly(String org, String userId) {
    if (!enabled()) {
      return;
    }
    try (Response r = billing.release(org, QUOTA, key(userId))) {
      // 204 either way.
    } catch (RuntimeException e) {
      Log.warnf("Could not release the members slot of %s for %s: %s", org, userId, e.getMessage());
    }
  }

  private void send(String org, String key, boolean dryRun) {
    if (!enabled()) {
      return;
    }
    try (Response r = billing.claim(org, new BillingQuotas.Claim(QUOTA, key, 1, dryRun))) {
      // 201 held, 200 held already or checked.
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 403) {
        throw ProblemException.relayed(e.getResponse());
      }
      throw unavailable("HTTP " + e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw unavailable(e.getMessage());
    }
  }

  private static ProblemException unavailable(String why) {
    Log.warnf("Billing did not check a members quota: %s", why);
    return ProblemException.unavailable(
        "quota-check-unavailable",
        "Quota check unavailable",
        "Billing could not check the organisation's quotas; no one was added. Try again in a"
            + " moment.");
  }
}
