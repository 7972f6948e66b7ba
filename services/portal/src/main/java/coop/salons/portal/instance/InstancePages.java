package coop.salons.portal.instance;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * An organisation's page (its chat instances and a form to ask for one) and an instance's page,
 * which follows the instance coming up step by step and refreshes itself until it is ready (no
 * JavaScript needed).
 */
@Path("/app/organizations/{org}")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class InstancePages {

  private static final Logger LOG = Logger.getLogger(InstancePages.class);

  /** The steps of an instance coming up, in order, as the supervisor names them. */
  static final List<String> STEPS =
      List.of("secrets", "database", "oidc-client", "apply", "readiness");

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance organization(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        List<ProvisioningClient.Instance> instances,
        boolean unavailable,
        List<String> errors,
        String slug,
        String displayName,
        List<OrganizationThemes.Choice> themes);

    static native TemplateInstance instance(
        String lang,
        String hoster,
        IdentityClient.Organization organization,
        ProvisioningClient.Instance instance,
        List<StepLine> steps,
        int percent);
  }

  /** One line of the progress list. */
  public record StepLine(String name, boolean done, boolean failed) {}

  @Inject PortalConfig config;
  @Inject PageContext pages;
  @Inject @RestClient ProvisioningClient provisioning;
  @Inject OrganizationThemes themes;

  @GET
  @Operation(hidden = true)
  public Response organization(
      @PathParam("org") String org, @QueryParam("lang") String lang, @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    return Response.ok(orgPage(organization, lang, headers, List.of(), "", "")).build();
  }

  @POST
  @Path("/instances")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response create(
      @PathParam("org") String org,
      @FormParam("slug") String slug,
      @FormParam("flavour") String flavour,
      @FormParam("displayName") String displayName,
      @FormParam("federation") String federation,
      @FormParam("customDomain") String customDomain,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    String name = Problems.trim(displayName);
    try {
      ProvisioningClient.Instance created =
          provisioning.create(
              org,
              new ProvisioningClient.Create(
                  Problems.trim(slug),
                  Problems.trim(flavour),
                  name.isEmpty() ? null : name,
                  Problems.trim(federation).isEmpty() ? null : Problems.trim(federation),
                  Problems.trim(customDomain).isEmpty() ? null : Problems.trim(customDomain)));
      return Response.seeOther(
              URI.create("/app/organizations/" + org + "/instances/" + created.slug()))
          .build();
    } catch (WebApplicationException e) {
      return Problems.shownAgain(
          e, errors -> orgPage(organization, null, headers, errors, Problems.trim(slug), name));
    }
  }

  @GET
  @Path("/instances/{slug}")
  @Operation(hidden = true)
  public Response instance(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @QueryParam("lang") String lang,
      @Context HttpHeaders headers) {
    IdentityClient.Organization organization = pages.organizationOr404(org);
    ProvisioningClient.Instance instance;
    try {
      instance = provisioning.get(org, slug);
    } catch (WebApplicationException e) {
      throw new WebApplicationException(e.getResponse().getStatus() == 404 ? 404 : 502);
    }
    // The steps of the change under way (the latest generation).
    List<ProvisioningClient.Step> current =
        instance.steps().stream().filter(s -> s.generation() == instance.generation()).toList();
    List<StepLine> steps =
        STEPS.stream()
            .map(
                name -> {
                  boolean done =
                      current.stream()
                          .anyMatch(s -> s.name().equals(name) && !s.outcome().equals("failed"));
                  boolean failed =
                      !done
                          && current.stream()
                              .anyMatch(s -> s.name().equals(name) && s.outcome().equals("failed"));
                  return new StepLine(name, done, failed);
                })
            .toList();
    int percent =
        instance.ready()
            ? 100
            : (int) (100 * steps.stream().filter(StepLine::done).count() / STEPS.size());
    String language = pages.language(lang, headers);
    return Response.ok(
            Templates.instance(
                    language, config.hosterName(), organization, instance, steps, percent)
                .setLocale(Locale.forLanguageTag(language)))
        .build();
  }

  @POST
  @Path("/instances/{slug}/{action:suspend|resume|delete|restore|domain-check}")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(hidden = true)
  public Response change(
      @PathParam("org") String org,
      @PathParam("slug") String slug,
      @PathParam("action") String action) {
    pages.organizationOr404(org);
    try {
      switch (action) {
        case "suspend" -> provisioning.suspend(org, slug);
        case "resume" -> provisioning.resume(org, slug);
        case "delete" -> provisioning.delete(org, slug);
        case "domain-check" -> provisioning.checkDomain(org, slug);
        default -> provisioning.restore(org, slug);
      }
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      throw new WebApplicationException(status == 403 || status == 404 ? status : 502);
    }
    return Response.seeOther(URI.create("/app/organizations/" + org + "/instances/" + slug))
        .build();
  }

  private TemplateInstance orgPage(
      IdentityClient.Organization organization,
      String lang,
      HttpHeaders headers,
      List<String> errors,
      String slug,
      String displayName) {
    List<ProvisioningClient.Instance> instances = List.of();
    boolean unavailable = false;
    try {
      instances = provisioning.list(organization.slug(), 100).items();
    } catch (RuntimeException e) {
      LOG.warnf("The provisioning service did not answer: %s", e.toString());
      unavailable = true;
    }
    String language = pages.language(lang, headers);
    return Templates.organization(
            language,
            config.hosterName(),
            organization,
            instances,
            unavailable,
            errors,
            slug,
            displayName,
            themes.choices(organization.slug(), language))
        .setLocale(Locale.forLanguageTag(language));
  }
}
