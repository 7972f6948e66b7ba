package coop.salons.identity.instanceclient;

import com.fasterxml.jackson.databind.node.ObjectNode;
import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What a Mattermost instance reads when one of its users signs in through the realm
 * (docs/adr/0030): the realm's discovery document with this gate as userinfo, and the gate itself,
 * which answers only for the instance's own tokens and the members of its organisation. The tokens
 * are the instance client's, not the platform API's (their own OIDC tenant, {@code chat-sign-in}).
 */
@Path("/api/v1/chat-sign-in/{instance}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "chat sign-in")
public class ChatSignInResource {

  @Inject ChatSignIn gate;
  @Inject IdentityConfig config;
  @Inject JsonWebToken token;

  @GET
  @Path("/.well-known/openid-configuration")
  @PermitAll
  @Operation(
      summary =
          "The realm's discovery document for a Mattermost instance, its userinfo endpoint the"
              + " organisation gate")
  @APIResponse(responseCode = "200", description = "The discovery document")
  public ObjectNode discovery(
      @PathParam("instance") String instance, @jakarta.ws.rs.core.Context UriInfo uri) {
    UUID id = instanceId(instance);
    String base =
        config
            .publicUrl()
            .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
            .orElseGet(
                () -> {
                  String b = uri.getBaseUri().toString();
                  return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
                });
    return gate.discovery(id, base + "/api/v1/chat-sign-in/" + id + "/userinfo");
  }

  @GET
  @Path("/userinfo")
  @Authenticated
  @Operation(
      summary =
          "The signed-in user, for the instance's own token and a member of its organisation only"
              + " (the email only once verified)")
  @APIResponse(responseCode = "200", description = "The user's claims")
  @APIResponse(
      responseCode = "401",
      description = "No token, or a token not issued to this instance's client")
  @APIResponse(responseCode = "403", description = "The user is not a member of the organisation")
  public ObjectNode userinfo(
      @PathParam("instance") String instance,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    UUID id = instanceId(instance);
    String bearer =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).trim()
            : "";
    return gate.userinfo(id, token.getClaim("azp"), bearer);
  }

  private static UUID instanceId(String instance) {
    try {
      return UUID.fromString(instance);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No chat instance " + instance + " signs in here.");
    }
  }
}
