package coop.salons.portal.organization;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The identity service's organisations API, called with the signed-in user's own token. */
@RegisterRestClient(configKey = "identity")
@RegisterProvider(PropagateAccessToken.class)
@Path("/api/v1/organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface IdentityClient {

  /** An organisation as the list shows it. */
  record Organization(String slug, String name, String role, long memberCount) {}

  record Page(List<Organization> items, String nextCursor) {}

  record Create(String slug, String name) {}

  @GET
  Page mine(@QueryParam("limit") int limit);

  @POST
  Organization create(Create request);

  @GET
  @Path("/{org}")
  Organization get(@PathParam("org") String org);

  /** A member as the members list shows them. */
  record Member(String userId, String username, String email, String role) {}

  record Members(List<Member> items, String nextCursor) {}

  record AddMember(String email, String role) {}

  @GET
  @Path("/{org}/members")
  Members members(@PathParam("org") String org, @QueryParam("limit") int limit);

  /** 201 when the person has an account and joins at once, 202 when they are invited by email. */
  @POST
  @Path("/{org}/members")
  jakarta.ws.rs.core.Response addMember(@PathParam("org") String org, AddMember member);

  record ChangeRole(String role) {}

  @jakarta.ws.rs.PUT
  @Path("/{org}/members/{member}/role")
  Member changeRole(
      @PathParam("org") String org, @PathParam("member") String member, ChangeRole role);

  @jakarta.ws.rs.DELETE
  @Path("/{org}/members/{member}")
  void removeMember(@PathParam("org") String org, @PathParam("member") String member);

  /** An organisation's own identity provider, as identity answers it (never its secret). */
  record Provider(
      String name,
      String kind,
      String displayName,
      String domain,
      String discoveryUrl,
      String metadataUrl,
      String clientId,
      String redirectUri,
      String serviceProviderMetadataUrl,
      boolean domainProven,
      DomainProof domainProof) {}

  /** The DNS record proving the email domain, while it is not seen yet. */
  record DomainProof(String name, String type, String value) {}

  record AddProvider(
      String name,
      String kind,
      String displayName,
      String domain,
      String discoveryUrl,
      String metadataUrl,
      String clientId,
      String clientSecret) {}

  @GET
  @Path("/{org}/identity-providers")
  List<Provider> providers(@PathParam("org") String org);

  @POST
  @Path("/{org}/identity-providers")
  Provider addProvider(@PathParam("org") String org, AddProvider provider);

  @POST
  @Path("/{org}/identity-providers/{name}/domain-check")
  Provider checkProviderDomain(@PathParam("org") String org, @PathParam("name") String name);

  @jakarta.ws.rs.DELETE
  @Path("/{org}/identity-providers/{name}")
  void removeProvider(@PathParam("org") String org, @PathParam("name") String name);

  /** An automation client as identity lists it (never its secret). */
  record AutomationClient(
      String id,
      String name,
      String role,
      String clientId,
      java.time.OffsetDateTime createdAt,
      java.time.OffsetDateTime lastUsedAt) {}

  /** The answer carrying a secret: at creation and rotation only. */
  record ClientSecret(String id, String clientId, String secret, String tokenUrl) {}

  record CreateAutomationClient(String name, String role) {}

  @GET
  @Path("/{org}/automation-clients")
  List<AutomationClient> automationClients(@PathParam("org") String org);

  @POST
  @Path("/{org}/automation-clients")
  ClientSecret createAutomationClient(@PathParam("org") String org, CreateAutomationClient c);

  @POST
  @Path("/{org}/automation-clients/{id}/secret")
  ClientSecret rotateAutomationClient(@PathParam("org") String org, @PathParam("id") String id);

  @jakarta.ws.rs.DELETE
  @Path("/{org}/automation-clients/{id}")
  void revokeAutomationClient(@PathParam("org") String org, @PathParam("id") String id);
}
