package coop.salons.commons.theme;

import coop.salons.common.security.Caller;
import coop.salons.commons.theme.ThemeDtos.OrganizationThemes;
import coop.salons.membership.OrganizationAccess;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The themes an organisation works on: its members read them, its owners and admins choose. */
@Path("/api/v1/organizations/{org}/themes")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "commons")
public class OrganizationThemeResource {

  private static final String PROBLEM = "application/problem+json";

  @Inject Themes themes;
  @Inject OrganizationAccess access;
  @Inject Caller caller;

  @GET
  @Operation(summary = "The themes the organisation works on (members)")
  @APIResponse(responseCode = "200", description = "The themes' slugs, in the hoster's order")
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "404",
      description = "No such organisation (or the caller is not a member)",
      content = @Content(mediaType = PROBLEM))
  public OrganizationThemes get(@PathParam("org") String org) {
    access.require(org, caller.id(), "member");
    return new OrganizationThemes(themes.ofOrganization(org).stream().map(t -> t.slug).toList());
  }

  @PUT
  @Operation(summary = "Choose the themes the organisation works on (owners and admins)")
  @APIResponse(responseCode = "200", description = "The themes now chosen")
  @APIResponse(
      responseCode = "400",
      description = "A theme that does not exist",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "The caller is a member, not an owner or admin",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "404",
      description = "No such organisation (or the caller is not a member)",
      content = @Content(mediaType = PROBLEM))
  public OrganizationThemes put(
      @PathParam("org") String org, @Valid @NotNull OrganizationThemes chosen) {
    access.require(org, caller.id(), "admin");
    return new OrganizationThemes(
        themes.setForOrganization(org, chosen.themes()).stream().map(t -> t.slug).toList());
  }
}
