package coop.salons.portal.automation;

import coop.salons.portal.PageContext;
import coop.salons.portal.PortalConfig;
import coop.salons.portal.Problems;
import coop.salons.portal.organization.IdentityClient;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * An organisation's automation clients, for its owners (docs/adr/0029): make one for a script with
 * a role, see when each was last used, give one a new secret, revoke one. A secret is shown once,
 * on the page that answers its creation or rotation, never stored by the portal nor put in a URL.
 */
@Path("/app/organizations/{org}/automation")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AutomationPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance automation(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        List<IdentityClient.AutomationClient> clients,
        IdentityClient.ClientSecret secret,
        List<String> errors,
        Map<String, String> form);
  }

  @Inject PortalConfig config;
  @Inject PageContext pages;
  @Inject @RestClient IdentityClient identity;

  @GET
  @Operation(hidden = true)
  public Response page(
      @PathParam("org") String org, @QueryParam("lang") String lang, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = owned(org);
    return Response.ok(render(organization, lang, headers, null, List.of(), Map.of())).build();
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response create(
      @PathParam("org") String org,
      @FormParam("name") String name,
      @FormParam("role") String role,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = owned(org);
    String r = "admin".equals(role) ? "admin" : "member";
    try {
      IdentityClient.ClientSecret made =
          identity.createAutomationClient(
              org, new IdentityClient.CreateAutomationClient(Problems.trim(name), r));
      return secretShown(render(organization, null, headers, made, List.of(), Map.of()));
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e,
          errors ->
              render(
                  organization,
                  null,
                  headers,
                  null,
                  errors,
                  Map.of("name", Problems.trim(name), "role", r)));
    }
  }

  @POST
  @Path("/{id}/secret")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response rotate(
      @PathParam("org") String org, @PathParam("id") String id, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = owned(org);
    try {
      IdentityClient.ClientSecret rotated = identity.rotateAutomationClient(org, id);
      return secretShown(render(organization, null, headers, rotated, List.of(), Map.of()));
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, null, errors, Map.of()));
    }
  }

  @POST
  @Path("/{id}/revoke")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response revoke(
      @PathParam("org") String org, @PathParam("id") String id, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = owned(org);
    try {
      identity.revokeAutomationClient(org, id);
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, null, errors, Map.of()));
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/automation")).build();
  }

  /** Owners only: anyone else of the organisation is refused (403), an outsider learns nothing. */
  private IdentityClient.Organization owned(String org) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    if (!"owner".equals(organization.role())) {
      throw new WebApplicationException(403);
    }
    return organization;
  }

  /** A page carrying a secret is kept by no cache and no history. */
  private static Response secretShown(TemplateInstance page) {
    return Response.ok(page).header("Cache-Control", "no-store").build();
  }

  private TemplateInstance render(
      IdentityClient.Organization organization,
      String lang,
      HttpHeaders headers,
      IdentityClient.ClientSecret secret,
      List<String> errors,
      Map<String, String> form) {
    List<IdentityClient.AutomationClient> clients = identity.automationClients(organization.slug());
    String language = pages.language(lang, headers);
    return Templates.automation(
            language, config.hosterName(), organization, clients, secret, errors, form)
        .setLocale(Locale.forLanguageTag(language));
  }
}
