package coop.salons.provisioning.instance;

import coop.salons.common.api.ETags;
import coop.salons.common.api.Page;
import coop.salons.common.api.RateLimits;
import coop.salons.common.idempotency.Idempotency;
import coop.salons.common.security.Caller;
import coop.salons.membership.OrganizationAccess;
import coop.salons.provisioning.instance.InstanceDtos.CreateInstance;
import coop.salons.provisioning.instance.InstanceDtos.InstanceView;
import coop.salons.provisioning.instance.InstanceDtos.UpdateInstance;
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

/**
 * An organisation's chat instances. Members may read them (to find their chat); owners and admins
 * change them. Every change answers 202 Accepted with the instance's Location to poll: the
 * supervisor does the work.
 */
@Path("/api/v1/organizations/{org}/instances")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "instances")
public class InstanceResource {

  @Inject RateLimits rateLimits;
  @Inject io.vertx.core.http.HttpServerRequest httpRequest;
  @Inject InstanceService instances;
  @Inject OrganizationAccess access;
  @Inject Caller caller;
  @Inject Idempotency idempotency;
  @Inject coop.salons.common.security.Hoster hoster;

  @POST
  @Operation(summary = "Ask for a new chat instance (owners and admins; Idempotency-Key honoured)")
  @APIResponse(
      responseCode = "202",
      description = "Accepted: the instance is being set up (poll its Location)")
  public Response create(
      @PathParam("org") String org,
      @Valid @NotNull CreateInstance request,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    String userId = caller.id();
    access.require(org, userId, "admin");
    return idempotency.run(
        userId + " POST /api/v1/organizations/" + org + "/instances",
        idempotencyKey,
        request,
        () -> {
          rateLimits.check(RateLimits.Limit.INSTANCES, org, RateLimits.addressOf(httpRequest));
          InstanceView created = instances.create(org, request);
          return new Idempotency.Answer(202, location(org, created.slug()), created);
        },
        // A creation that died before its answer was stored: its instance, if it was written.
        () -> {
          try {
            InstanceView made = instances.get(org, request.slug());
            return java.util.Optional.of(
                new Idempotency.Answer(202, location(org, made.slug()), made));
          } catch (coop.salons.common.api.ProblemException notMade) {
            return java.util.Optional.empty();
          }
        });
  }

  @GET
  @Operation(summary = "The organisation's instances, a page at a time (members)")
  public Page<InstanceView> list(
      @PathParam("org") String org,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    access.require(org, caller.id(), "member");
    return instances.list(org, limit, cursor);
  }

  @GET
  @Path("/{instance}")
  @Operation(summary = "One instance: state, conditions, URL and the steps taken (members)")
  public Response get(@PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "member");
    return ok(instances.get(org, instance));
  }

  @PATCH
  @Path("/{instance}")
  @Operation(
      summary = "Change the version, plan, retention or federation (owners and admins; If-Match)")
  @APIResponse(responseCode = "202", description = "Accepted: the change is being applied")
  public Response update(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @HeaderParam("If-Match") String ifMatch,
      @Valid @NotNull UpdateInstance request) {
    access.require(org, caller.id(), "admin");
    return accepted(instances.update(org, instance, ETags.ifMatch(ifMatch), request));
  }

  @POST
  @Path("/{instance}/suspend")
  @Operation(summary = "Stop the chat server and keep its data (owners and admins)")
  @APIResponse(responseCode = "202", description = "Accepted: the server is stopping")
  public Response suspend(@PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "admin");
    return accepted(instances.suspend(org, instance));
  }

  @POST
  @Path("/{instance}/authentication-service")
  @Operation(
      summary =
          "Move a suspended Matrix instance over to the Matrix Authentication Service, for Element"
              + " X (the hoster's operators; docs/adr/0038). Its members are then carried over with"
              + " MAS's syn2mas before it is resumed (the operator guide's steps).")
  @APIResponse(
      responseCode = "202",
      description = "Accepted: MAS's database and configuration are being made (still suspended)")
  public Response moveToAuthService(
      @PathParam("org") String org, @PathParam("instance") String instance) {
    hoster.require("move an instance over to the Matrix Authentication Service");
    return accepted(instances.moveToAuthService(org, instance));
  }

  @POST
  @Path("/{instance}/resume")
  @Operation(summary = "Start a suspended (or failed) instance again (owners and admins)")
  @APIResponse(responseCode = "202", description = "Accepted: the server is starting")
  public Response resume(@PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "admin");
    return accepted(instances.resume(org, instance));
  }

  @POST
  @Path("/{instance}/domain-check")
  @Operation(
      summary =
          "Look the instance's custom domain up in DNS now (owners and admins): its DomainPointed"
              + " condition says whether the domain leads to the platform")
  public Response checkDomain(
      @PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "admin");
    return ok(instances.lookUpDomain(org, instance));
  }

  @DELETE
  @Path("/{instance}")
  @Operation(
      summary =
          "Schedule the deletion (owners): the server stops at once; after the grace period its"
              + " database is backed up and everything is removed")
  @APIResponse(responseCode = "202", description = "Deletion scheduled: the server stops at once")
  public Response delete(
      @PathParam("org") String org,
      @PathParam("instance") String instance,
      @HeaderParam("If-Match") String ifMatch) {
    access.require(org, caller.id(), "owner");
    return accepted(instances.scheduleDeletion(org, instance, ETags.ifMatch(ifMatch)));
  }

  @POST
  @Path("/{instance}/restore")
  @Operation(summary = "Cancel a scheduled deletion during its grace period (owners)")
  @APIResponse(responseCode = "202", description = "Accepted: the deletion is cancelled")
  public Response restore(@PathParam("org") String org, @PathParam("instance") String instance) {
    access.require(org, caller.id(), "owner");
    return accepted(instances.restore(org, instance));
  }

  private static Response ok(InstanceView view) {
    return Response.ok(view).tag(ETags.of(view.resourceVersion())).build();
  }

  private static Response accepted(InstanceView view) {
    return Response.accepted(view)
        .location(location(view.organization(), view.slug()))
        .tag(ETags.of(view.resourceVersion()))
        .build();
  }

  private static URI location(String org, String slug) {
    return URI.create("/api/v1/organizations/" + org + "/instances/" + slug);
  }
}
