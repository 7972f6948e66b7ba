package coop.salons.identity.member;

import coop.salons.common.api.Page;
import coop.salons.common.api.RateLimits;
import coop.salons.common.idempotency.Idempotency;
import coop.salons.common.security.Caller;
import coop.salons.identity.member.MemberDtos.AddMember;
import coop.salons.identity.member.MemberDtos.ChangeRole;
import coop.salons.identity.member.MemberDtos.InvitationView;
import coop.salons.identity.member.MemberDtos.MemberView;
import coop.salons.identity.model.Role;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Members of an organisation: list, add or invite by email, change a role, remove. */
@Path("/api/v1/organizations/{org}/members")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "members")
public class MemberResource {

  @Inject RateLimits rateLimits;
  @Inject io.vertx.core.http.HttpServerRequest httpRequest;
  @Inject MemberService members;
  @Inject Caller caller;
  @Inject Idempotency idempotency;

  @GET
  @Operation(summary = "The organisation's members, by username, a page at a time")
  public Page<MemberView> list(
      @PathParam("org") String org,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    return members.list(org, caller.id(), limit, cursor);
  }

  @POST
  @Operation(
      summary =
          "Add a member by email (admins; owners to add owners): a user of the platform whose email"
              + " is verified joins at once (201), anyone else is invited by email (202)")
  @APIResponse(responseCode = "201", description = "Added: the account joined at once")
  @APIResponse(responseCode = "202", description = "Invited by email")
  public Response add(
      @PathParam("org") String org,
      @Valid @NotNull AddMember request,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    String userId = caller.id();
    return idempotency.run(
        userId + " POST /api/v1/organizations/" + org + "/members",
        idempotencyKey,
        request,
        () -> {
          // Adding may mail an invitation: a ceiling per organisation.
          rateLimits.check(RateLimits.Limit.INVITATIONS, org, RateLimits.addressOf(httpRequest));
          MemberService.Added added =
              members.add(org, userId, request.email().strip(), request.roleOrDefault());
          if (added.member() == null) {
            return new Idempotency.Answer(
                202, null, new InvitationView(added.invitedEmail(), "invited"));
          }
          return new Idempotency.Answer(
              201,
              URI.create("/api/v1/organizations/" + org + "/members/" + added.member().userId()),
              added.member());
        });
  }

  @GET
  @Path("/{member}")
  @Operation(summary = "One member")
  public MemberView get(@PathParam("org") String org, @PathParam("member") String member) {
    return members.get(org, caller.id(), member);
  }

  @PUT
  @Path("/{member}/role")
  @Operation(summary = "Change a member's role (admins; owners for the owner role)")
  public MemberView changeRole(
      @PathParam("org") String org,
      @PathParam("member") String member,
      @Valid @NotNull ChangeRole request) {
    return members.changeRole(org, caller.id(), member, Role.parse(request.role()).orElseThrow());
  }

  @DELETE
  @Path("/{member}")
  @Operation(
      summary =
          "Remove a member (admins; anyone may leave); their sessions end at once. The last owner"
              + " cannot go.")
  @APIResponse(responseCode = "204", description = "Removed")
  public Response remove(@PathParam("org") String org, @PathParam("member") String member) {
    members.remove(org, caller.id(), member);
    return Response.noContent().build();
  }
}
