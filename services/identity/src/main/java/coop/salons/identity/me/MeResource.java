package coop.salons.identity.me;

import coop.salons.identity.IdentityConfig;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who the caller is, as the platform sees them. */
@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "me")
public class MeResource {

  @Inject JsonWebToken token;
  @Inject IdentityConfig config;

  /** The caller's profile. */
  public record Me(String id, String username, String email, String name, String realm) {}

  @GET
  @Operation(summary = "The signed-in user's profile")
  public Me me() {
    return new Me(
        token.getSubject(),
        token.getClaim("preferred_username"),
        token.getClaim("email"),
        token.getClaim("name"),
        config.realm());
  }
}
