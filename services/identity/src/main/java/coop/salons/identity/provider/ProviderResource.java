package coop.salons.identity.provider;

import coop.salons.common.idempotency.Idempotency;
import coop.salons.common.security.Caller;
import coop.salons.identity.provider.ProviderDtos.AddProvider;
import coop.salons.identity.provider.ProviderDtos.ProviderView;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The organisation's own identity providers (OpenID Connect or SAML), so that members sign in with
 * the accounts they have: owners add and remove them, admins read them. Secrets never come back.
 */
@Path("/api/v1/organizations/{org}/identity-providers")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "identity providers")
public class ProviderResource {

  @Inject ProviderService providers;
  @Inject Caller caller;
  @Inject Idempotency idempotency;

  @GET
  @Operation(summary = "The organisation's identity providers (admins), without secrets")
  public List<ProviderView> list(@PathParam("org") String org) {
    return providers.list(org, caller.id());
  }

  @POST
  @Operation(
      summary =
          "Add an OpenID Connect or SAML provider for the organisation's email domain (owners)",
      description =
          "The provider is read first (discovery document or metadata); it must answer over https."
              + " The answer says what to register at the provider: redirectUri (OpenID Connect) or"
              + " serviceProviderMetadataUrl (SAML). The client secret is never answered.")
  @APIResponse(responseCode = "201", description = "Linked")
  public Response add(
      @PathParam("org") String org,
      @Valid @NotNull AddProvider request,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    String userId = caller.id();
    return idempotency.run(
        userId + " POST /api/v1/organizations/" + org + "/identity-providers",
        idempotencyKey,
        request.withoutSecret(),
        () -> {
          ProviderView added = providers.add(org, userId, request);
          return new Idempotency.Answer(
              201,
              URI.create("/api/v1/organizations/" + org + "/identity-providers/" + added.name()),
              added);
        });
  }

  @GET
  @Path("/{name}")
  @Operation(summary = "One identity provider (admins), without its secret")
  public ProviderView get(@PathParam("org") String org, @PathParam("name") String name) {
    return providers.get(org, caller.id(), name);
  }

  @POST
  @Path("/{name}/domain-check")
  @Operation(
      summary =
          "Look for the email domain's proof in DNS now (owners): once its TXT record holds the"
              + " value, members of the domain are sent to the provider")
  @APIResponse(responseCode = "200", description = "The provider, proven or still waiting")
  public ProviderView checkDomain(@PathParam("org") String org, @PathParam("name") String name) {
    return providers.checkDomain(org, caller.id(), name);
  }

  @DELETE
  @Path("/{name}")
  @Operation(
      summary =
          "Remove an identity provider (owners); members keep their accounts and sign in with a"
              + " password or another provider")
  @APIResponse(responseCode = "204", description = "Removed")
  public Response delete(@PathParam("org") String org, @PathParam("name") String name) {
    providers.delete(org, caller.id(), name);
    return Response.noContent().build();
  }
}
