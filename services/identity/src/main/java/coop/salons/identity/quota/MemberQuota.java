package coop.salons.identity.quota;

import coop.salons.billingclient.QuotaClaims;
import coop.salons.identity.IdentityConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A member holds one slot of the organisation's {@code members} quota in billing, under the key
 * {@code member-<user id>} (docs/adr/0012). Adding someone claims it first (billing's refusal is
 * passed on); an invitation only checks that there is room, and the slot is claimed when the
 * invitation is accepted; removing a member gives the slot back.
 */
@ApplicationScoped
public class MemberQuota {

  static final String QUOTA = "members";

  @Inject IdentityConfig config;
  @Inject QuotaClaims claims;

  boolean enabled() {
    return !"off".equals(config.memberQuota());
  }

  public static String key(String userId) {
    return "member-" + userId;
  }

  /** Holds a slot for the user, or refuses. */
  public void claim(String org, String userId) {
    if (enabled()) {
      claims.claim(org, QUOTA, key(userId), 1, false);
    }
  }

  /** Refuses unless the organisation has room for one more member; holds nothing. */
  public void checkRoom(String org) {
    if (enabled()) {
      claims.claim(org, QUOTA, "invitation", 1, true);
    }
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
    if (enabled()) {
      claims.releaseQuietly(org, QUOTA, key(userId));
    }
  }
}
