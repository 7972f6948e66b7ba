package coop.salons.portal.commons;

import coop.salons.portal.organization.PropagateAccessToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The commons service's API, called with the signed-in user's own token (if any). */
@RegisterRestClient(configKey = "commons")
@RegisterProvider(PropagateAccessToken.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface CommonsClient {

  record Theme(
      String slug,
      String nameFr,
      String nameEn,
      String descriptionFr,
      String descriptionEn,
      int position) {

    public String name(String lang) {
      return "fr".equals(lang) ? nameFr : nameEn;
    }

    public String description(String lang) {
      String d = "fr".equals(lang) ? descriptionFr : descriptionEn;
      return d != null ? d : "fr".equals(lang) ? descriptionEn : descriptionFr;
    }
  }

  record Room(
      String id,
      String theme,
      String alias,
      String address,
      String name,
      String topic,
      boolean main,
      String state,
      int members,
      String matrixTo) {}

  record Page<T>(List<T> items, String nextCursor) {}

  record Server(String serverName, String homeserverUrl, boolean ready, String space) {}

  record Abilities(
      boolean canOpenRoom, boolean member, boolean hoster, int roomsOpenedToday, int roomsPerDay) {}

  record OpenRoom(String theme, String alias, String name, String topic) {}

  record OrganizationThemes(List<String> themes) {}

  /** A room of the directory of the commons. */
  record Listing(
      String id,
      String organization,
      String serverName,
      String address,
      String matrixTo,
      String name,
      String topic,
      List<String> themes,
      List<String> tags,
      String descriptionFr,
      String descriptionEn,
      String language,
      int members,
      int growth,
      boolean stale) {

    /** The description in the page's language, or the other one. */
    public String description(String lang) {
      String d = "fr".equals(lang) ? descriptionFr : descriptionEn;
      return d != null ? d : "fr".equals(lang) ? descriptionEn : descriptionFr;
    }
  }

  @GET
  @Path("/commons/directory")
  Page<Listing> search(
      @QueryParam("q") String q,
      @QueryParam("theme") String theme,
      @QueryParam("language") String language,
      @QueryParam("sort") String sort,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor);

  @GET
  @Path("/commons")
  Server server();

  @GET
  @Path("/commons/themes")
  Page<Theme> themes();

  @GET
  @Path("/commons/rooms")
  Page<Room> rooms(@QueryParam("limit") int limit, @QueryParam("cursor") String cursor);

  @GET
  @Path("/commons/rooms/abilities")
  Abilities abilities();

  @POST
  @Path("/commons/rooms")
  Room open(OpenRoom room);

  @POST
  @Path("/commons/rooms/{id}/archive")
  Room archive(@PathParam("id") String id);

  @GET
  @Path("/organizations/{org}/themes")
  OrganizationThemes organizationThemes(@PathParam("org") String org);

  @PUT
  @Path("/organizations/{org}/themes")
  OrganizationThemes chooseThemes(@PathParam("org") String org, OrganizationThemes themes);

  /** What an admin publishes. */
  record Publish(
      String room,
      List<String> themes,
      List<String> tags,
      String descriptionFr,
      String descriptionEn,
      String language) {}

  /** A room of the organisation's server's public room list. */
  record Candidate(
      String serverName,
      String roomId,
      String alias,
      String name,
      String topic,
      int members,
      boolean noindex,
      String listed) {

    /** How the room is named in a list: its name, else its alias, else its id. */
    public String label() {
      return name != null ? name : alias != null ? alias : roomId;
    }
  }

  /** An organisation working on some of the same themes. */
  record Neighbour(String organization, List<String> sharedThemes, int listedRooms) {}

  /** A reason given to report or hide a listing. */
  record Reason(String reason) {}

  /** A report in the hoster's queue. */
  record Report(String id, Listing listing, String reason) {}

  @GET
  @Path("/organizations/{org}/listings")
  List<OrgListing> listings(@PathParam("org") String org);

  /** One of the organisation's listings, with its state. */
  record OrgListing(
      String id,
      String name,
      String address,
      List<String> themes,
      String state,
      String reason,
      int members) {}

  @GET
  @Path("/organizations/{org}/listings/candidates")
  List<Candidate> candidates(@PathParam("org") String org);

  @POST
  @Path("/organizations/{org}/listings")
  Listing publish(@PathParam("org") String org, Publish publish);

  @DELETE
  @Path("/organizations/{org}/listings/{id}")
  Listing unpublish(@PathParam("org") String org, @PathParam("id") String id);

  @POST
  @Path("/organizations/{org}/listings/refresh")
  List<OrgListing> refreshListings(@PathParam("org") String org);

  @GET
  @Path("/organizations/{org}/neighbours")
  List<Neighbour> neighbours(@PathParam("org") String org);

  @POST
  @Path("/commons/directory/{id}/reports")
  jakarta.ws.rs.core.Response report(@PathParam("id") String id, Reason reason);

  @POST
  @Path("/commons/directory/{id}/hide")
  Listing hide(@PathParam("id") String id, Reason reason);

  @GET
  @Path("/commons/directory/reports")
  List<Report> reports();

  /** The commons in figures. */
  record Stats(List<ThemeFigures> themes, List<WeekFigures> weeks) {}

  record ThemeFigures(String theme, int rooms, int organizations, long members) {}

  record WeekFigures(String week, int rooms) {}

  @GET
  @Path("/commons/directory/stats")
  Stats stats();

  /** Whether a person receives the weekly digest. */
  record Digest(boolean subscribed, String language, String email) {}

  record DigestChoice(boolean subscribed, String language) {}

  @GET
  @Path("/commons/digest")
  Digest digest();

  @PUT
  @Path("/commons/digest")
  Digest chooseDigest(DigestChoice choice);
}
