package coop.salons.common.security;

import coop.salons.common.api.ProblemException;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Endpoints only the platform's own services may call, with their service accounts. */
public final class ServiceCallers {

  private ServiceCallers() {}

  /** Refuses (403) any caller but the service accounts of the given clients. */
  public static void require(JsonWebToken token, Set<String> clients, String what) {
    String client = token.getClaim("azp");
    String username = token.getClaim("preferred_username");
    boolean serviceAccount = username != null && username.equals("service-account-" + client);
    if (client == null || !clients.contains(client) || !serviceAccount) {
      throw ProblemException.forbidden("Only the platform's services " + what + ".");
    }
  }
}
