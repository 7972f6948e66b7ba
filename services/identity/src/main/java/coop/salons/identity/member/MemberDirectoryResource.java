package coop.salons.identity.member;

import coop.salons.common.api.ProblemException;
import coop.salons.common.api.Slugs;
import coop.salons.common.security.ServiceCallers;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every member of an organisation with the username and email a chat account needs, for the
 * provisioning service only: it keeps Mattermost accounts ({@code accounts} login mode) in step
 * with membership.
 */
@Path("/api/v1/member-directory/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "membership events")
public class MemberDirectoryResource {

  static final Set<String> READERS = Set.of("salons-provisioning");

  @Inject JsonWebToken token;

  /** One member as a chat account needs them. */
  public record DirectoryEntry(String userId, String username, String email, String role) {}

  @GET
  @Transactional
  @Operation(summary = "The organisation's members with their emails (provisioning only)")
  public List<DirectoryEntry> members(@PathParam("org") String org) {
    ServiceCallers.require(token, READERS, "read the member directory");
    Organization o = Slugs.isValid(org) ? Organization.bySlug(org) : null;
    if (o == null) {
      throw ProblemException.notFound("No organisation '" + org + "'.");
    }
    return Membership.<Membership>list(
            "id.organizationId = ?1 and automation = false order by username", o.id)
        .stream()
        .map(m -> new DirectoryEntry(m.id.userId(), m.username, m.email, m.role))
        .toList();
  }
}
