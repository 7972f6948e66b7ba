package coop.salons.billingclient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Billing's quota claims, called with the calling service's own service-account token. */
@Path("/api/v1/organizations/{org}/quota-claims")
@RegisterRestClient(configKey = "billing")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface BillingQuotas {

  record Claim(String quota, String key, long amount, boolean dryRun) {}

  record Batch(java.util.List<Claim> claims, boolean dryRun) {}

  @POST
  @Path("/batch")
  Response claimAll(@PathParam("org") String org, Batch batch);

  record HeldClaim(String key, long amount, java.time.OffsetDateTime createdAt) {}

  record Held(String quota, long used, java.util.List<HeldClaim> claims) {}

  @POST
  Response claim(@PathParam("org") String org, Claim claim);

  @GET
  @Path("/{quota}")
  Held held(@PathParam("org") String org, @PathParam("quota") String quota);

  @DELETE
  @Path("/{quota}/{key}")
  Response release(
      @PathParam("org") String org, @PathParam("quota") String quota, @PathParam("key") String key);
}
