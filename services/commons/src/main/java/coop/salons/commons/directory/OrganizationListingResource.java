package coop.salons.commons.directory;

import coop.salons.common.security.Caller;
import coop.salons.commons.directory.DirectoryDtos.Candidate;
import coop.salons.commons.directory.DirectoryDtos.ListingView;
import coop.salons.commons.directory.DirectoryDtos.Neighbour;
import coop.salons.commons.directory.DirectoryDtos.Publish;
import coop.salons.membership.OrganizationAccess;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An organisation's rooms in the directory of the commons: its members read them and its
 * neighbours; its owners and admins publish rooms of its own servers, take them out, and ask for a
 * refresh.
 */
@Path("/api/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "directory")
@APIResponse(
    responseCode = "401",
    description = "Not signed in",
    content = @Content(mediaType = "application/problem+json"))
@APIResponse(
    responseCode = "404",
    description = "No such organisation (or the caller is not a member)",
    content = @Content(mediaType = "application/problem+json"))
public class OrganizationListingResource {

  private static final String PROBLEM = "application/problem+json";

  @Inject Directory directory;
  @Inject DirectoryRefresh refresh;
  @Inject MatrixServers servers;
  @Inject OrganizationAccess access;
  @Inject Caller caller;

  @GET
  @Path("/listings")
  @Operation(summary = "The rooms the organisation published, whatever their state (members)")
  @APIResponse(responseCode = "200", description = "The organisation's listings, newest first")
  public List<ListingView> list(@PathParam("org") String org) {
    access.require(org, caller.id(), "member");
    return directory.ofOrganization(org);
  }

  @GET
  @Path("/listings/candidates")
  @Operation(
      summary =
          "The rooms of the organisation's servers' public room lists, read now (owners and"
              + " admins)")
  @APIResponse(responseCode = "200", description = "The rooms an admin may publish")
  @APIResponse(
      responseCode = "403",
      description = "The caller is a member, not an owner or admin",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "503",
      description = "The organisation's server did not answer",
      content = @Content(mediaType = PROBLEM))
  public List<Candidate> candidates(@PathParam("org") String org) {
    access.require(org, caller.id(), "admin");
    return directory.candidates(org);
  }

  @POST
  @Path("/listings")
  @Operation(
      summary =
          "Publish a room of the organisation's server in the directory of the commons (owners"
              + " and admins, a few a day)")
  @APIResponse(
      responseCode = "201",
      description = "Listed",
      content = @Content(schema = @Schema(implementation = ListingView.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "Invalid fields, an unknown theme, a room of another server, or one its server does"
              + " not list publicly (or whose topic says noindex)",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "The caller is a member, not an owner or admin; or the hoster hid the room",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "429",
      description = "The organisation published its day's share of rooms",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "503",
      description = "The organisation's server did not answer",
      content = @Content(mediaType = PROBLEM))
  public Response publish(@PathParam("org") String org, @Valid @NotNull Publish request) {
    access.require(org, caller.id(), "admin");
    ListingView listed = directory.publish(org, caller.id(), request);
    return Response.created(URI.create("/api/v1/commons/directory/" + listed.id()))
        .entity(listed)
        .build();
  }

  @DELETE
  @Path("/listings/{id}")
  @Operation(summary = "Take a room out of the directory (owners and admins)")
  @APIResponse(
      responseCode = "200",
      description = "Unpublished",
      content = @Content(schema = @Schema(implementation = ListingView.class)))
  @APIResponse(
      responseCode = "403",
      description = "The caller is a member, not an owner or admin",
      content = @Content(mediaType = PROBLEM))
  public ListingView unpublish(@PathParam("org") String org, @PathParam("id") UUID id) {
    access.require(org, caller.id(), "admin");
    return directory.unpublish(org, id);
  }

  @POST
  @Path("/listings/refresh")
  @Operation(
      summary =
          "Read the organisation's servers' public room lists now and bring its listings up to"
              + " date (owners and admins)")
  @APIResponse(responseCode = "200", description = "The organisation's listings after the refresh")
  @APIResponse(
      responseCode = "403",
      description = "The caller is a member, not an owner or admin",
      content = @Content(mediaType = PROBLEM))
  public List<ListingView> refresh(@PathParam("org") String org) {
    access.require(org, caller.id(), "admin");
    refresh.refresh(servers.of(org));
    return directory.ofOrganization(org);
  }

  @GET
  @Path("/neighbours")
  @Operation(
      summary = "Associations with rooms in the directory on the organisation's themes (members)")
  @APIResponse(responseCode = "200", description = "The neighbours, most themes shared first")
  public List<Neighbour> neighbours(@PathParam("org") String org) {
    access.require(org, caller.id(), "member");
    return directory.neighbours(org);
  }
}
