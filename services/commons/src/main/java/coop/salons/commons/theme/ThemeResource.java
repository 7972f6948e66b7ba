package coop.salons.commons.theme;

import coop.salons.common.api.ETags;
import coop.salons.common.api.Page;
import coop.salons.common.security.Hoster;
import coop.salons.commons.theme.ThemeDtos.CreateTheme;
import coop.salons.commons.theme.ThemeDtos.ThemeView;
import coop.salons.commons.theme.ThemeDtos.UpdateTheme;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The hoster's themes: anyone reads them; the hoster's operators add and rename them. */
@Path("/api/v1/commons/themes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "commons")
public class ThemeResource {

  private static final String PROBLEM = "application/problem+json";

  @Inject Themes themes;
  @Inject Hoster hoster;

  @GET
  @PermitAll
  @Transactional
  @Operation(summary = "The themes, in the hoster's order (public)")
  @APIResponse(responseCode = "200", description = "Every theme (one page)")
  public Page<ThemeView> list() {
    return new Page<>(themes.list().stream().map(ThemeView::of).toList(), null);
  }

  @GET
  @Path("/{slug}")
  @PermitAll
  @Transactional
  @Operation(summary = "One theme, with its ETag (public)")
  @APIResponse(
      responseCode = "200",
      description = "The theme",
      content = @Content(schema = @Schema(implementation = ThemeView.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such theme",
      content = @Content(mediaType = PROBLEM))
  public Response get(@PathParam("slug") String slug) {
    Theme t = themes.require(slug);
    return Response.ok(ThemeView.of(t)).tag(ETags.of(t.version)).build();
  }

  @POST
  @Authenticated
  @Operation(summary = "Add a theme; its room is made on the commons server (hoster)")
  @APIResponse(
      responseCode = "201",
      description = "The theme",
      content = @Content(schema = @Schema(implementation = ThemeView.class)))
  @APIResponse(
      responseCode = "400",
      description = "Invalid fields",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "Only the hoster's operators add themes",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "409",
      description = "There is a theme with this slug already",
      content = @Content(mediaType = PROBLEM))
  public Response create(@Valid @NotNull CreateTheme input) {
    hoster.require("add themes");
    Theme t = themes.create(input);
    return Response.created(URI.create("/api/v1/commons/themes/" + t.slug))
        .entity(ThemeView.of(t))
        .tag(ETags.of(t.version))
        .build();
  }

  @PATCH
  @Path("/{slug}")
  @Authenticated
  @Operation(
      summary = "Rename a theme or change its descriptions (hoster)",
      description = "Send If-Match with the ETag you read to be sure not to overwrite a change.")
  @APIResponse(
      responseCode = "200",
      description = "The theme",
      content = @Content(schema = @Schema(implementation = ThemeView.class)))
  @APIResponse(
      responseCode = "400",
      description = "Invalid fields",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "401",
      description = "Not signed in",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "403",
      description = "Only the hoster's operators change themes",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "404",
      description = "No such theme",
      content = @Content(mediaType = PROBLEM))
  @APIResponse(
      responseCode = "412",
      description = "The theme changed since it was read",
      content = @Content(mediaType = PROBLEM))
  public Response update(
      @PathParam("slug") String slug,
      @HeaderParam("If-Match") String ifMatch,
      @Valid @NotNull UpdateTheme input) {
    hoster.require("change themes");
    Theme t = themes.update(slug, input, ETags.ifMatch(ifMatch));
    return Response.ok(ThemeView.of(t)).tag(ETags.of(t.version)).build();
  }
}
