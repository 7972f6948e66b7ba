package coop.salons.commons.directory;

import coop.salons.common.api.Page;
import coop.salons.common.security.Caller;
import coop.salons.common.security.Hoster;
import coop.salons.commons.directory.DirectoryDtos.ListingView;
import coop.salons.commons.directory.DirectoryDtos.Reason;
import coop.salons.commons.directory.DirectoryDtos.ReportView;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The directory of the commons: anyone searches it (its JSON is the public feed other hosters and
 * room search engines read, its Atom feed the newest rooms per theme); signed-in people report a
 * listing; the hoster reads the reports and hides listings.
 */
@Path("/api/v1/commons/directory")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "directory")
public class DirectoryResource {

  private static final String PROBLEM = "application/problem+json";
  private static final int FEED_SIZE = 50;

  @Inject Directory directory;
  @Inject Moderation moderation;
  @Inject Caller caller;
  @Inject Hoster hoster;
  @Inject SearchCache cache;

  @GET
  @PermitAll
  @Operation(
      summary =
          "Search the rooms of every association and of the commons server (public; the"
              + " directory's JSON feed)",
      description =
          "French and English stemming, accents ignored, small typos forgiven; ranked by"
              + " relevance, then joined members, then growth over 7 days. sort=new and"
              + " sort=growing give the rooms new this week and growing this week first.")
  @APIResponse(responseCode = "200", description = "A page of rooms")
  @APIResponse(
      responseCode = "400",
      description = "Unknown theme or sort, bad language, limit or cursor, over-long query",
      content = @Content(mediaType = PROBLEM))
  public Page<ListingView> search(
      @QueryParam("q") String q,
      @QueryParam("theme") String theme,
      @QueryParam("language") String language,
      @QueryParam("sort") String sort,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    return directory.search(q, theme, language, sort, limit, cursor);
  }

  @GET
  @Path("/feed.atom")
  @PermitAll
  @Produces("application/atom+xml")
  @Operation(summary = "The newest rooms of the directory (of a theme), as an Atom feed (public)")
  @APIResponse(responseCode = "200", description = "An Atom feed of the 50 newest rooms")
  @APIResponse(
      responseCode = "400",
      description = "Unknown theme",
      content = @Content(mediaType = PROBLEM))
  public Response atom(@QueryParam("theme") String theme, @Context UriInfo uri) {
    List<ListingView> rooms = directory.newest(theme, FEED_SIZE);
    String self = uri.getRequestUri().toString();
    String title =
        "Salons — "
            + (theme == null ? "nouveaux salons des communs" : "nouveaux salons : " + theme);
    return Response.ok(
            AtomFeed.write(
                "urn:salons:directory" + (theme == null ? "" : ":" + theme), title, self, rooms))
        .type("application/atom+xml; charset=utf-8")
        .build();
  }

  @GET
  @Path("/organizations")
  @PermitAll
  @Operation(
      summary =
          "Who else works on a theme: the associations with rooms in the directory on it"
              + " (public)")
  @APIResponse(responseCode = "200", description = "Organisations and how many rooms they list")
  @APIResponse(
      responseCode = "400",
      description = "Missing or unknown theme",
      content = @Content(mediaType = PROBLEM))
  public List<Map<String, Object>> organizations(@QueryParam("theme") String theme) {
    return directory.organizationsOn(theme);
  }

  @GET
  @Path("/stats")
  @PermitAll
  @Operation(
      summary =
          "The commons in figures: rooms, organisations and members per theme, rooms listed week"
              + " by week (public)")
  @APIResponse(
      responseCode = "200",
      description = "The figures",
      content = @Content(schema = @Schema(implementation = DirectoryDtos.Stats.class)))
  public DirectoryDtos.Stats stats() {
    return directory.stats();
  }

  @GET
  @Path("/reports")
  @Authenticated
  @Operation(summary = "The reports not resolved yet, oldest first (hoster)")
  @APIResponse(responseCode = "200", description = "The hoster's queue")
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "Only the hoster's operators read the reports",
      content = @Content(mediaType = PROBLEM))
  public List<ReportView> reports() {
    hoster.require("read the directory's reports");
    return moderation.open();
  }

  @GET
  @Path("/{id}")
  @PermitAll
  @Operation(summary = "One room of the directory, with the ways in (public)")
  @APIResponse(
      responseCode = "200",
      description = "The room",
      content = @Content(schema = @Schema(implementation = ListingView.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such room in the directory",
      content = @Content(mediaType = PROBLEM))
  public ListingView get(@PathParam("id") UUID id) {
    return directory.get(id, hoster.is());
  }

  @POST
  @Path("/{id}/reports")
  @Authenticated
  @Operation(summary = "Report a room of the directory to the hoster (signed-in people)")
  @APIResponse(responseCode = "201", description = "Reported")
  @APIResponse(
      responseCode = "400",
      description = "Missing, over-long or invalid reason",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "404",
      description = "No such room in the directory",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "429",
      description = "The caller filed their day's share of reports",
      content = @Content(mediaType = PROBLEM))
  public Response report(@PathParam("id") UUID id, @Valid @NotNull Reason reason) {
    UUID report = moderation.report(id, caller.id(), reason.reason());
    return Response.created(URI.create("/api/v1/commons/directory/reports/" + report))
        .entity(Map.of("id", report))
        .build();
  }

  @POST
  @Path("/{id}/hide")
  @Authenticated
  @Operation(summary = "Take a room out of the directory for good (hoster)")
  @APIResponse(
      responseCode = "200",
      description = "Hidden",
      content = @Content(schema = @Schema(implementation = ListingView.class)))
  @APIResponse(
      responseCode = "400",
      description = "Missing, over-long or invalid reason",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "Only the hoster's operators hide rooms",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "404",
      description = "No such room in the directory",
      content = @Content(mediaType = PROBLEM))
  public ListingView hide(@PathParam("id") UUID id, @Valid @NotNull Reason reason) {
    hoster.require("hide rooms of the directory");
    ListingView hidden = moderation.hide(id, reason.reason());
    cache.forget(); // once the hiding is committed
    return hidden;
  }
}
