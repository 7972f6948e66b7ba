package coop.salons.portal.organization;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/**
 * Calls the services as the signed-in user: their access token from the sign-in goes along as the
 * bearer token, so each service checks the user's own rights. (Quarkus's token-propagation
 * extension does the same; its parent POM is not served by the Maven repository here.)
 */
public class PropagateAccessToken implements ClientRequestFilter {

  @Inject SecurityIdentity identity;

  @Override
  public void filter(ClientRequestContext request) {
    AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
    if (token != null) {
      request.getHeaders().putSingle("Authorization", "Bearer " + token.getToken());
    }
  }
}
