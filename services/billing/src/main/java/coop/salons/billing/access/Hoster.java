package coop.salons.billing.access;

import coop.salons.common.api.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The hoster's operators: the realm role {@code platform-admin} (plans, the report's internals).
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
