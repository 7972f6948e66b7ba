package coop.salons.common.security;

import coop.salons.common.api.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The hoster's operators: the realm role {@code platform-admin} (plans, the cost report's
 * internals, reconciling quotas).
 */
@RequestScoped
public class Hoster {

  public static final String ROLE = "platform-admin";

  @Inject SecurityIdentity identity;

  public boolean is() {
    return !identity.isAnonymous() && identity.hasRole(ROLE);
  }

  /** Refuses (403) anyone but the hoster's operators. */
  public void require(String what) {
    if (!is()) {
      throw ProblemException.forbidden(
          "Only the hoster's operators (role " + ROLE + ") " + what + ".");
    }
  }
}
