package coop.salons.provisioning.identity;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Identity's member directory: an organisation's members with username and email. */
@Path("/api/v1/member-directory/{org}")
@RegisterRestClient(configKey = "identity")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
public interface MemberDirectory {

  record Member(String userId, String username, String email, String role) {}

  @GET
  List<Member> members(@PathParam("org") String organization);
}
