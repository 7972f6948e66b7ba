package coop.salons.commons.digest;

import coop.salons.common.security.Caller;
import coop.salons.common.security.Hoster;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The weekly digest of the commons: each person asks for it (to their account's verified email) or
 * stops it; the hoster may send this week's now.
 */
@Path("/api/v1/commons/digest")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "directory")
@APIResponse(
    responseCode = "401",
    description = "Not signed in",
    content = @Content(mediaType = "application/problem+json"))
public class DigestResource {

  private static final String PROBLEM = "application/problem+json";

  @Inject Digest digest;
  @Inject Caller caller;
  @Inject Hoster hoster;
  @Inject JsonWebToken token;

  /** Whether to receive the digest, and in which language. */
  public record Choice(
      @NotNull Boolean subscribed,
      @Pattern(regexp = "^(fr|en)$", message = "must be fr or en") String language) {}

  @GET
  @Operation(summary = "Whether the caller receives the weekly digest")
  @APIResponse(responseCode = "200", description = "The caller's choice")
  public Digest.Subscription get() {
    return digest.get(caller.id());
  }

  @PUT
  @Operation(
      summary =
          "Receive the weekly digest of the commons by email (new rooms and new associations on"
              + " your associations' themes), or stop it")
  @APIResponse(responseCode = "200", description = "The caller's choice")
  @APIResponse(
      responseCode = "400",
      description = "A bad language, or an account without a verified email",
      content = @Content(mediaType = PROBLEM))
  public Digest.Subscription put(@Valid @NotNull Choice choice) {
    Boolean verified = token.getClaim("email_verified");
    String email = Boolean.TRUE.equals(verified) ? token.getClaim("email") : null;
    return digest.set(
        caller.id(),
        email,
        choice.subscribed(),
        choice.language() == null ? "fr" : choice.language());
  }

  @POST
  @Path("/send")
  @Operation(summary = "Send this week's digest to every subscriber now (hoster)")
  @APIResponse(responseCode = "200", description = "How many digests were sent")
  @APIResponse(
      responseCode = "403",
      description = "Only the hoster's operators send the digest",
      content = @Content(mediaType = PROBLEM))
  public Map<String, Integer> send() {
    hoster.require("send the digest");
    return Map.of("sent", digest.sendAll());
  }
}
