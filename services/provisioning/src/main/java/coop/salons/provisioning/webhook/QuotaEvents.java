package coop.salons.provisioning.webhook;

import coop.salons.common.api.Page;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Billing's quota warnings and refusals, read with this service's own service-account token. */
@Path("/api/v1/quota-events")
@RegisterRestClient(configKey = "billing")
@OidcClientFilter
public interface QuotaEvents {

  /** One quota crossing its warning threshold ({@code warning}) or a refused claim. */
  record Event(
      long id,
      String organization,
      String quota,
      String kind,
      long used,
      long limit,
      Long requested,
      OffsetDateTime occurredAt) {}

  @GET
  Page<Event> after(@QueryParam("after") long after, @QueryParam("limit") int limit);
}
