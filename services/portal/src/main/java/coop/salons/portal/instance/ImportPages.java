package coop.salons.portal.instance;

import coop.salons.portal.PageContext;
import coop.salons.portal.PortalConfig;
import coop.salons.portal.Problems;
import coop.salons.portal.organization.IdentityClient;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Bringing an existing Matrix server in (docs/adr/0035): owners give an exit bundle's link and the
 * new instance's short name, then follow the import step by step (a Refresh button, no timed
 * refresh: WCAG 2.2.1).
 */
@Path("/app/organizations/{org}/imports")
@Produces(MediaType.TEXT_HTML)
public class ImportPages {

  /** The import's steps, in order, as the page shows them. */
  static final List<String> STEPS =
      List.of(
          "fetching",
          "checking",
          "creating",
          "secrets",
          "database",
          "media",
          "mapping",
          "starting",
          "done");

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance imports(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        String slug,
        List<String> errors);

    static native TemplateInstance progress(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        ImportClient.Import progress,
        List<BackupPages.StepLine> steps,
        int percent);
  }

  @Inject PortalConfig config;
  @Inject PageContext pages;
  @Inject @RestClient ImportClient imports;

  @GET
  @Operation(hidden = true)
  public Response page(
      @PathParam("org") String org, @QueryParam("lang") String lang, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    return Response.ok(render(organization, lang, headers, "", List.of())).build();
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response start(
      @PathParam("org") String org,
      @FormParam("slug") String slug,
      @FormParam("displayName") String displayName,
      @FormParam("bundleUrl") String bundleUrl,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    String name = Problems.trim(displayName);
    try {
      ImportClient.Import started =
          imports.start(
              org,
              new ImportClient.ImportRequest(
                  Problems.trim(slug), name.isEmpty() ? null : name, Problems.trim(bundleUrl)));
      return Response.seeOther(URI.create("/app/organizations/" + org + "/imports/" + started.id()))
          .build();
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, Problems.trim(slug), errors));
    }
  }

  @GET
  @Path("/{import}")
  @Operation(hidden = true)
  public Response progress(
      @PathParam("org") String org,
      @PathParam("import") String id,
      @QueryParam("lang") String lang,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    ImportClient.Import i;
    try {
      i = imports.get(org, id);
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      throw new WebApplicationException(status == 404 || status == 403 ? status : 502);
    }
    List<BackupPages.StepLine> steps = BackupPages.StepLine.of(STEPS, i.step(), i.state());
    int percent = BackupPages.StepLine.percent(STEPS, i.step(), i.state());
    String language = pages.language(lang, headers);
    return Response.ok(
            Templates.progress(language, config.hosterName(), organization, i, steps, percent)
                .setLocale(Locale.forLanguageTag(language)))
        .build();
  }

  private TemplateInstance render(
      IdentityClient.Organization organization,
      String lang,
      HttpHeaders headers,
      String slug,
      List<String> errors) {
    String language = pages.language(lang, headers);
    return Templates.imports(language, config.hosterName(), organization, slug, errors)
        .setLocale(Locale.forLanguageTag(language));
  }
}
