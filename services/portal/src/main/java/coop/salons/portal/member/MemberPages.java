package coop.salons.portal.member;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * An organisation's members: everyone sees who is in it; admins add people by email (an account
 * joins at once, anyone else is invited), change their roles and remove them. The walls and the
 * plan's quota are identity's and billing's: their refusals are shown as they are.
 */
@Path("/app/organizations/{org}/members")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class MemberPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance members(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        List<IdentityClient.Member> members,
        String notice,
        List<String> errors,
        String email);
  }

  @Inject PortalConfig config;
  @Inject PageContext pages;
  @Inject @RestClient IdentityClient identity;

  @GET
  @Operation(hidden = true)
  public Response page(
      @PathParam("org") String org,
      @QueryParam("lang") String lang,
      @QueryParam("added") String added,
      @QueryParam("invited") String invited,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    String notice = invited != null ? "invited:" + invited : added != null ? "added:" + added : "";
    return Response.ok(render(organization, lang, headers, notice, List.of(), "")).build();
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response add(
      @PathParam("org") String org,
      @FormParam("email") String email,
      @FormParam("role") String role,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    String address = Problems.trim(email);
    try (Response r =
        identity.addMember(
            org,
            new IdentityClient.AddMember(address, Problems.trim(role).isEmpty() ? null : role))) {
      String which = r.getStatus() == 202 ? "invited" : "added";
      return Response.seeOther(
              URI.create(
                  "/app/organizations/"
                      + org
                      + "/members?"
                      + which
                      + "="
                      + URLEncoder.encode(address, StandardCharsets.UTF_8)))
          .build();
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, "", errors, address));
    }
  }

  @POST
  @Path("/{member}/{action:remove|role}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response change(
      @PathParam("org") String org,
      @PathParam("member") String member,
      @PathParam("action") String action,
      @FormParam("role") String role,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    try {
      if (action.equals("remove")) {
        identity.removeMember(org, member);
      } else {
        identity.changeRole(org, member, new IdentityClient.ChangeRole(Problems.trim(role)));
      }
    } catch (WebApplicationException e) {
      return Problems.shownAgain(e, errors -> render(organization, null, headers, "", errors, ""));
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/members")).build();
  }

  private TemplateInstance render(
      IdentityClient.Organization organization,
      String lang,
      HttpHeaders headers,
      String notice,
      List<String> errors,
      String email) {
    List<IdentityClient.Member> members = identity.members(organization.slug(), 100).items();
    String language = pages.language(lang, headers);
    return Templates.members(
            language, config.hosterName(), organization, members, notice, errors, email)
        .setLocale(Locale.forLanguageTag(language));
  }
}
