package coop.salons.identity.organization;

import coop.salons.common.api.ETags;
import coop.salons.common.api.Page;
import coop.salons.common.api.RateLimits;
import coop.salons.common.idempotency.Idempotency;
import coop.salons.common.security.Caller;
import coop.salons.identity.organization.OrganizationDtos.CreateOrganization;
import coop.salons.identity.organization.OrganizationDtos.OrganizationView;
import coop.salons.identity.organization.OrganizationDtos.UpdateOrganization;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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

/** Organisations: create one (you become its owner), list yours, read, rename, delete, restore. */
@Path("/api/v1/organizations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "organizations")
public class OrganizationResource {

  @Inject RateLimits rateLimits;
  @Inject io.vertx.core.http.HttpServerRequest httpRequest;
  @Inject OrganizationService organizations;
  @Inject Caller caller;
  @Inject Idempotency idempotency;

  @POST
  @Operation(summary = "Create an organisation; the caller becomes its owner")
  @APIResponse(responseCode = "201", description = "Created")
  public Response create(
      @Valid @NotNull CreateOrganization request,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    String userId = caller.id();
    if (caller.automation()) {
      throw coop.salons.common.api.ProblemException.forbidden(
          "An automation client acts for its own organisation only; it creates none.");
    }
    return idempotency.run(
        userId + " POST /api/v1/organizations",
        idempotencyKey,
        request,
        () -> {
          rateLimits.check(
              RateLimits.Limit.ORGANIZATIONS, userId, RateLimits.addressOf(httpRequest));
          OrganizationView created =
              organizations.create(userId, caller.username(), caller.email(), request);
          return new Idempotency.Answer(
              201, URI.create("/api/v1/organizations/" + created.slug()), created);
        },
        // A creation that died before its answer was stored: its organisation, if it was made.
        () -> {
          try {
            OrganizationView made = organizations.get(request.slug(), userId);
            return "owner".equals(made.role())
                ? java.util.Optional.of(
                    new Idempotency.Answer(
                        201, URI.create("/api/v1/organizations/" + made.slug()), made))
                : java.util.Optional.empty();
          } catch (coop.salons.common.api.ProblemException notMade) {
            return java.util.Optional.empty();
          }
        });
  }

  @GET
  @Operation(
      summary =
          "The caller's organisations, a page at a time (the first page also records invitations"
              + " the caller accepted)")
  public Page<OrganizationView> mine(
      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
    if (cursor == null) {
      // The first page is where an accepted invitation shows up.
      organizations.adoptAcceptedInvitations(caller.id(), caller.username(), caller.email());
    }
    return organizations.mine(caller.id(), limit, cursor);
  }

  @GET
  @Path("/{org}")
  @Operation(summary = "One of the caller's organisations")
  public Response get(@PathParam("org") String org) {
    OrganizationView view = organizations.get(org, caller.id());
    return Response.ok(view).tag(ETags.of(view.version())).build();
  }

  @PATCH
  @Path("/{org}")
  @Operation(summary = "Rename an organisation (admins and owners; If-Match honoured)")
  public Response update(
      @PathParam("org") String org,
      @HeaderParam("If-Match") String ifMatch,
      @Valid @NotNull UpdateOrganization request) {
    OrganizationView view =
        organizations.update(org, caller.id(), ETags.ifMatch(ifMatch), request.name());
    return Response.ok(view).tag(ETags.of(view.version())).build();
  }

  @DELETE
  @Path("/{org}")
  @Operation(
      summary =
          "Schedule the deletion of an organisation (owners); it can be restored during the grace"
              + " period, then it is purged with a final backup")
  @APIResponse(
      responseCode = "202",
      description = "Deletion scheduled: erased after the grace period unless restored")
  public Response delete(@PathParam("org") String org, @HeaderParam("If-Match") String ifMatch) {
    OrganizationView view =
        organizations.scheduleDeletion(org, caller.id(), ETags.ifMatch(ifMatch));
    return Response.accepted(view)
        .location(URI.create("/api/v1/organizations/" + view.slug()))
        .tag(ETags.of(view.version()))
        .build();
  }

  @POST
  @Path("/{org}/restore")
  @Operation(summary = "Cancel a scheduled deletion (owners)")
  public Response restore(@PathParam("org") String org) {
    OrganizationView view = organizations.restore(org, caller.id());
    return Response.ok(view).tag(ETags.of(view.version())).build();
  }
}
