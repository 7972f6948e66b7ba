package coop.salons.portal.commons;

import coop.salons.portal.organization.PropagateAccessToken;
import jakarta.ws.rs.Consumes;
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
}
