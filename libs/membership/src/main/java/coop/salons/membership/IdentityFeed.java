package coop.salons.membership;

import coop.salons.common.api.Page;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Identity's membership feed, read with this service's own service-account token. */
@Path("/api/v1/membership-events")
@RegisterRestClient(configKey = "identity")
@OidcClientFilter
public interface IdentityFeed {

  /** One membership change, as identity publishes it. */
  record Event(
      long id,
      String organization,
      String userId,
      String kind,
      String role,
      OffsetDateTime occurredAt) {}

  @GET
  Page<Event> after(@QueryParam("after") long after, @QueryParam("limit") int limit);
}
