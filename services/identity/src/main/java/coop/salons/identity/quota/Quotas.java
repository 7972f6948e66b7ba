package coop.salons.identity.quota;

import coop.salons.billingclient.QuotaClaims;
import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * What identity asks billing before it acts (docs/adr/0012), unless {@code salons.identity.quotas}
 * is {@code off}.
 *
 * <p>A member holds one slot of the organisation's {@code members} quota in billing, under the key
 * {@code member-<user id>} (docs/adr/0012). Adding someone claims it first (billing's refusal is
 * passed on); an invitation only checks that there is room, and the slot is claimed when the
 * invitation is accepted; removing a member gives the slot back. An organisation is deleted only
 * when its instances hold none of its {@code instances} quota (provisioning releases an instance's
 * claim when it purges it).
 */
@ApplicationScoped
public class Quotas {

  static final String MEMBERS = "members";
  static final String INSTANCES = "instances";

  @Inject IdentityConfig config;
  @Inject QuotaClaims claims;

  boolean enabled() {
    return !"off".equals(config.quotas());
  }

  public static String key(String userId) {
    return "member-" + userId;
  }

  /** Holds a slot for the user, or refuses. */
  public void claimMember(String org, String userId) {
    if (enabled()) {
      claims.claim(org, MEMBERS, key(userId), 1, false);
    }
  }

  /** Refuses unless the organisation has room for one more member; holds nothing. */
  public void checkRoom(String org) {
    if (enabled()) {
      claims.claim(org, MEMBERS, "invitation", 1, true);
    }
  }

  /** Holds a slot for someone who is a member already (an accepted invitation, an owner). */
  public void claimMemberQuietly(String org, String userId) {
    try {
      claimMember(org, userId);
    } catch (RuntimeException e) {
      Log.warnf("Could not claim a members slot of %s for %s: %s", org, userId, e.getMessage());
    }
  }

  /** Lets the slot go; never fails the caller. */
  public void releaseMemberQuietly(String org, String userId) {
    if (enabled()) {
      claims.releaseQuietly(org, MEMBERS, key(userId));
    }
  }

  /** Refuses (409) while any instance of the organisation still exists, purged or not. */
  public void requireNoInstances(String org) {
    if (!enabled()) {
      return;
    }
    long held = claims.held(org, INSTANCES);
    if (held > 0) {
      throw new ProblemException(
          409,
          "organization-has-instances",
          "The organisation still has chat instances",
          "Delete its "
              + held
              + (held == 1 ? " instance" : " instances")
              + " first; an instance counts until its own grace period is over and it is purged.",
          List.of(),
          Map.of("instances", held));
    }
  }
}
