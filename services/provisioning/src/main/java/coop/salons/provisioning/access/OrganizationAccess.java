package coop.salons.provisioning.access;

import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.provisioning.membership.MembershipFollower;
import coop.salons.provisioning.membership.OrganizationMember;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The wall between organisations, as in identity: a user who is not a member gets a 404 (the
 * organisation's existence is not theirs to know), a member whose role is too low a 403. Roles come
 * from identity's membership feed; a miss first catches up with the feed, so that an organisation
 * created a second ago is already known.
 */
@ApplicationScoped
public class OrganizationAccess {

  /** The roles, lowest first. */
  static final List<String> ROLES = List.of("member", "admin", "owner");

  @Inject MembershipFollower follower;

  /** Refuses unless the user is a member of the organisation with at least the given role. */
  public String require(String organization, String userId, String atLeast) {
    if (!Slugs.isValid(organization)) {
      throw notFound(organization);
    }
    long asked = System.nanoTime();
    OrganizationMember m = OrganizationMember.find(organization, userId);
    if (m == null) {
      try {
        follower.catchUpSince(asked); // one read of the feed serves every request waiting on it
        m = OrganizationMember.find(organization, userId);
      } catch (RuntimeException e) {
        Log.warnf("Could not catch up with identity's membership feed: %s", e.getMessage());
      }
    }
    if (m == null) {
      throw notFound(organization);
    }
    if (ROLES.indexOf(m.role) < ROLES.indexOf(atLeast)) {
      throw ProblemException.forbidden(
          "This needs the role "
              + atLeast
              + " in '"
              + organization
              + "'; yours is "
              + m.role
              + ".");
    }
    return m.role;
  }

  private static ProblemException notFound(String organization) {
    return ProblemException.notFound("No organisation '" + organization + "' among yours.");
  }
}
