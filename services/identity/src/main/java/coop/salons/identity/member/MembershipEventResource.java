package coop.salons.identity.member;

import coop.salons.common.api.Cursors;
import coop.salons.common.api.Page;
import coop.salons.common.api.ProblemException;
import coop.salons.common.security.ServiceCallers;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Membership changes for the platform's other services (provisioning follows them in Mattermost
 * instances, billing counts members): an ordered feed they read from the last id they saw. Only
 * their service accounts may read it.
 */
@Path("/api/v1/membership-events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "membership events")
public class MembershipEventResource {

  static final Set<String> READERS =
      Set.of("salons-provisioning", "salons-billing", "salons-commons");

  @Inject JsonWebToken token;

  /** One change; {@code id} orders them. */
  public record EventView(
      long id,
      String organization,
      String userId,
      String kind,
      String role,
      OffsetDateTime occurredAt) {}

  @GET
  @Transactional
  @Operation(summary = "Membership changes after a given id, oldest first (service accounts only)")
  public Page<EventView> after(
      @QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
    ServiceCallers.require(token, READERS, "read membership events");
    int size = Cursors.limit(limit, 100, 1000);
    long from = after == null ? 0 : after;
    if (from < 0) {
      throw ProblemException.invalid("after", "must be 0 or more");
    }
    List<EventView> items =
        MembershipEvent.<MembershipEvent>find("id > ?1 order by id", from)
            .range(0, size - 1)
            .list()
            .stream()
            .map(
                e ->
                    new EventView(e.id, e.organizationSlug, e.userId, e.kind, e.role, e.occurredAt))
            .toList();
    String next = items.size() == size ? String.valueOf(items.get(items.size() - 1).id()) : null;
    return new Page<>(items, next);
  }
}
