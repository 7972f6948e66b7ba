package coop.salons.portal.provider;

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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * How an organisation's members sign in: admins see the providers linked to the organisation and
 * what to register at each; owners link an OpenID Connect or SAML provider to their email domain,
 * or unlink it. Identity checks everything; its refusals are shown as they are.
 */
@Path("/app/organizations/{org}/sign-in")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ProviderPages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance providers(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        List<IdentityClient.Provider> providers,
        String notice,
        List<String> errors,
        Map<String, String> form);
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
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    if ("member".equals(organization.role())) {
      throw new WebApplicationException(403);
    }
    return Response.ok(
            render(organization, lang, headers, added == null ? "" : added, List.of(), Map.of()))
        .build();
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response add(
      @PathParam("org") String org,
      @FormParam("name") String name,
      @FormParam("kind") String kind,
      @FormParam("displayName") String displayName,
      @FormParam("domain") String domain,
      @FormParam("url") String url,
      @FormParam("clientId") String clientId,
      @FormParam("clientSecret") String clientSecret,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    boolean saml = "saml".equals(kind);
    IdentityClient.AddProvider request =
        new IdentityClient.AddProvider(
            Problems.trim(name),
            saml ? "saml" : "oidc",
            Problems.trim(displayName),
            Problems.trim(domain).toLowerCase(Locale.ROOT),
            saml ? null : blankToNull(url),
            saml ? blankToNull(url) : null,
            saml ? null : blankToNull(clientId),
            saml ? null : blankToNull(clientSecret));
    try {
      IdentityClient.Provider added = identity.addProvider(org, request);
      return Response.seeOther(
              URI.create(
                  "/app/organizations/"
                      + org
                      + "/sign-in?added="
                      + URLEncoder.encode(added.displayName(), StandardCharsets.UTF_8)))
          .build();
    } catch (WebApplicationException e) {
      // The form comes back as it was, without the secret.
      Map<String, String> form =
          Map.of(
              "name", Problems.trim(name),
              "kind", saml ? "saml" : "oidc",
              "displayName", Problems.trim(displayName),
              "domain", Problems.trim(domain),
              "url", Problems.trim(url),
              "clientId", Problems.trim(clientId));
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, "", errors, form));
    }
  }

  @POST
  @Path("/{name}/remove")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response remove(
      @PathParam("org") String org, @PathParam("name") String name, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    try {
      identity.removeProvider(org, name);
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, "", errors, Map.of()));
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/sign-in")).build();
  }

  @POST
  @Path("/{name}/check")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response check(
      @PathParam("org") String org, @PathParam("name") String name, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    try {
      identity.checkProviderDomain(org, name);
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> render(organization, null, headers, "", errors, Map.of()));
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/sign-in")).build();
  }

  private static String blankToNull(String s) {
    String t = Problems.trim(s);
    return t.isEmpty() ? null : t;
  }

  private TemplateInstance render(
      IdentityClient.Organization organization,
      String lang,
      HttpHeaders headers,
      String notice,
      List<String> errors,
      Map<String, String> form) {
    List<IdentityClient.Provider> providers = identity.providers(organization.slug());
    String language = pages.language(lang, headers);
    return Templates.providers(
            language, config.hosterName(), organization, providers, notice, errors, form)
        .setLocale(Locale.forLanguageTag(language));
  }
}
