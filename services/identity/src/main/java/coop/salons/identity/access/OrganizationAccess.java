package coop.salons.identity.access;

import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import coop.salons.identity.model.Role;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The wall between organisations: every endpoint under an organisation goes through here. A user
 * who is not a member gets a 404, as if the organisation did not exist (its existence is not theirs
 * to know); a member whose role is too low gets a 403.
 */
@ApplicationScoped
public class OrganizationAccess {

  /** An organisation and the caller's membership of it. */
  public record Access(Organization organization, Membership membership) {
    public Role role() {
      return membership.role();
    }
  }

  public Access require(String slug, String userId, Role atLeast) {
    Organization org = Slugs.isValid(slug) ? Organization.bySlug(slug) : null;
    Membership m = org == null ? null : Membership.find(org.id, userId);
    if (m == null) {
      throw ProblemException.notFound("No organisation '" + slug + "' among yours.");
    }
    if (!m.role().atLeast(atLeast)) {
      throw ProblemException.forbidden(
          "This needs the role " + atLeast.id() + " in '" + slug + "'; yours is " + m.role + ".");
    }
    return new Access(org, m);
  }
}
