package coop.salons.billingclient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Billing's claims of many organisations in one call, each group held or refused on its own. */
@Path("/api/v1/quota-claim-groups")
@RegisterRestClient(configKey = "billing")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface BillingQuotaGroups {

  record Group(String organization, List<BillingQuotas.Claim> claims) {}

  record Groups(List<Group> groups) {}

  record Outcome(String organization, int status, Map<String, Object> problem) {}

  record Outcomes(List<Outcome> groups) {}

  @POST
  Outcomes claim(Groups groups);
}
