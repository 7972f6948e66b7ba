package coop.salons.commons.room;

import coop.salons.common.api.Page;
import coop.salons.common.idempotency.Idempotency;
import coop.salons.common.security.Caller;
import coop.salons.common.security.Hoster;
import coop.salons.commons.room.RoomDtos.OpenRoom;
import coop.salons.commons.room.RoomDtos.RoomView;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The rooms of the commons server: anyone reads them (they are public rooms); a member of a hosted
 * association opens one (a few a day); the hoster's operators archive one.
 */
@Path("/api/v1/commons/rooms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "commons")
public class RoomResource {

  private static final String PROBLEM = "application/problem+json";

  @Inject Rooms rooms;
  @Inject Caller caller;
  @Inject Hoster hoster;
  @Inject Idempotency idempotency;

  @GET
  @PermitAll
  @Operation(summary = "The commons server's rooms, a theme's own first, a page at a time (public)")
  @APIResponse(responseCode = "200", description = "A page of rooms")
  @APIResponse(
      responseCode = "400",
      description = "Unknown theme, bad limit or cursor",
      content = @Content(mediaType = PROBLEM))
  public Page<RoomView> list(
      @QueryParam("theme") String theme,
      @QueryParam("archived") boolean archived,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    return rooms.list(theme, archived, limit, cursor);
  }

  @GET
  @Path("/abilities")
  @Authenticated
  @Operation(summary = "What the caller may do in the commons: open rooms (and how many), archive")
  @APIResponse(
      responseCode = "200",
      description = "The caller's abilities",
      content = @Content(schema = @Schema(implementation = RoomDtos.Abilities.class)))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  public RoomDtos.Abilities abilities() {
    return rooms.abilities(caller.id(), hoster.is());
  }

  @GET
  @Path("/{id}")
  @PermitAll
  @Operation(summary = "One room of the commons server, with the ways in (public)")
  @APIResponse(
      responseCode = "200",
      description = "The room",
      content = @Content(schema = @Schema(implementation = RoomView.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such room",
      content = @Content(mediaType = PROBLEM))
  public RoomView get(@PathParam("id") UUID id) {
    return rooms.get(id);
  }

  @POST
  @Authenticated
  @Operation(
      summary =
          "Open a room under a theme (members of a hosted association, a few a day;"
              + " Idempotency-Key honoured)")
  @APIResponse(
      responseCode = "202",
      description = "Asked for: the platform makes it on the commons server (poll Location)",
      content = @Content(schema = @Schema(implementation = RoomView.class)))
  @APIResponse(
      responseCode = "400",
      description = "Invalid fields or unknown theme",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "The caller belongs to no association of the platform",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "409",
      description = "The alias is taken, or the Idempotency-Key was used for another request",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "429",
      description = "The caller opened their day's share of rooms",
      content = @Content(mediaType = PROBLEM))
  public Response open(
      @Valid @NotNull OpenRoom request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    String userId = caller.id();
    return idempotency.run(
        userId + " POST /api/v1/commons/rooms",
        idempotencyKey,
        request,
        () -> {
          RoomView opened = rooms.open(userId, request);
          return new Idempotency.Answer(
              202, URI.create("/api/v1/commons/rooms/" + opened.id()), opened);
        });
  }

  @POST
  @Path("/{id}/archive")
  @Authenticated
  @Operation(summary = "Archive a room: readable, closed to writing, out of the lists (hoster)")
  @APIResponse(
      responseCode = "202",
      description = "Asked for: the platform closes it on the commons server",
      content = @Content(schema = @Schema(implementation = RoomView.class)))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "Only the hoster's operators archive rooms",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "404",
      description = "No such room",
      content = @Content(mediaType = PROBLEM))
  public Response archive(@PathParam("id") UUID id) {
    hoster.require("archive rooms of the commons");
    RoomView archived = rooms.archive(id);
    return Response.accepted(archived)
        .location(URI.create("/api/v1/commons/rooms/" + archived.id()))
        .build();
  }
}
