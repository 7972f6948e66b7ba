package coop.salons.identity.keycloak;

import coop.salons.common.api.ProblemException;
import coop.salons.identity.IdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The Keycloak side of organisations and members, through the admin API as this service's own
 * service account. Every call is idempotent: creating what exists or removing what is gone is not
 * an error, so that a retried or resumed operation converges.
 */
@ApplicationScoped
public class KeycloakDirectory {

  @Inject Keycloak keycloak;
  @Inject IdentityConfig config;

  private RealmResource realm() {
    return keycloak.realm(config.realm());
  }

  /**
   * Creates the Keycloak organisation of a slug (its alias and its name, both unique in the realm),
   * or finds the one a previous attempt created; answers its id.
   */
  public String ensureOrganization(String slug, String displayName) {
    // Create first and search only on a conflict: one call in the usual case.
    OrganizationRepresentation rep = new OrganizationRepresentation();
    rep.setAlias(slug);
    rep.setName(slug);
    rep.setDescription(displayName);
    rep.setEnabled(true);
    try (Response r = realm().organizations().create(rep)) {
      if (r.getStatus() == 201) {
        String location = r.getLocation().getPath();
        return location.substring(location.lastIndexOf('/') + 1);
      }
      if (r.getStatus() == 409) {
        return findOrganization(slug)
            .orElseThrow(
                () -> new IllegalStateException("Keycloak reports a conflict for " + slug));
      }
      throw new IllegalStateException("Keycloak refused the organisation: HTTP " + r.getStatus());
    }
  }

  public Optional<String> findOrganization(String slug) {
    return realm().organizations().search(slug, true, 0, 2).stream()
        .filter(o -> slug.equals(o.getAlias()))
        .map(OrganizationRepresentation::getId)
        .findFirst();
  }

  public void describeOrganization(String organizationId, String displayName) {
    OrganizationRepresentation rep = realm().organizations().get(organizationId).toRepresentation();
    rep.setDescription(displayName);
    try (Response r = realm().organizations().get(organizationId).update(rep)) {
      if (r.getStatus() >= 300) {
        throw new IllegalStateException("Keycloak refused the update: HTTP " + r.getStatus());
      }
    }
  }

  public void deleteOrganization(String organizationId) {
    try (Response r = realm().organizations().get(organizationId).delete()) {
      if (r.getStatus() >= 300 && r.getStatus() != 404) {
        throw new IllegalStateException("Keycloak refused the deletion: HTTP " + r.getStatus());
      }
    } catch (WebApplicationException gone) {
      rethrowUnlessNotFound(gone);
      // already deleted
    }
  }

  public void addMember(String organizationId, String userId) {
    try (Response r = realm().organizations().get(organizationId).members().addMember(userId)) {
      if (r.getStatus() >= 300 && r.getStatus() != 409) {
        throw new IllegalStateException("Keycloak refused the member: HTTP " + r.getStatus());
      }
    }
  }

  public void removeMember(String organizationId, String userId) {
    try (Response r =
        realm().organizations().get(organizationId).members().member(userId).delete()) {
      if (r.getStatus() >= 300 && r.getStatus() != 404) {
        throw new IllegalStateException("Keycloak refused the removal: HTTP " + r.getStatus());
      }
    } catch (WebApplicationException gone) {
      rethrowUnlessNotFound(gone);
      // not a member any more
    }
  }

  /** The realm's user with this email, if any. */
  public Optional<UserRepresentation> userByEmail(String email) {
    List<UserRepresentation> found = realm().users().searchByEmail(email, true);
    return found.stream().findFirst();
  }

  public Optional<UserRepresentation> user(String userId) {
    try {
      return Optional.of(realm().users().get(userId).toRepresentation());
    } catch (WebApplicationException e) {
      rethrowUnlessNotFound(e);
      return Optional.empty();
    }
  }

  /**
   * Sends Keycloak's invitation email to join the organisation (registration if need be); an
   * address already invited gets its invitation sent again (Keycloak keeps one per address).
   */
  public void invite(String organizationId, String email) {
    var organization = realm().organizations().get(organizationId);
    try (Response r = organization.members().inviteUser(email, null, null)) {
      if (r.getStatus() == 409) {
        var pending =
            organization.invitations().list().stream()
                .filter(i -> email.equalsIgnoreCase(i.getEmail()))
                .findFirst()
                .orElseThrow(() -> ProblemException.conflict(email + " is already a member."));
        try (Response again = organization.invitations().resend(pending.getId())) {
          if (again.getStatus() < 300) {
            return;
          }
        }
      }
      if (r.getStatus() >= 300) {
        throw new ProblemException(
            503,
            "email-unavailable",
            "Email unavailable",
            "The platform could not send the invitation email (HTTP "
                + r.getStatus()
                + " from Keycloak): the operator must configure the realm's SMTP server. Members"
                + " who already have an account can be added directly.",
            List.of());
      }
    }
  }

  /** The addresses of the organisation's invitations still pending (not accepted, not expired). */
  public java.util.Set<String> pendingInvitations(String organizationId) {
    long now = java.time.Instant.now().getEpochSecond();
    return realm().organizations().get(organizationId).invitations().list().stream()
        .filter(
            i ->
                i.getStatus()
                        == org.keycloak.representations.idm.OrganizationInvitationRepresentation
                            .Status.PENDING
                    && i.getExpiresAt() > now)
        .map(i -> i.getEmail().toLowerCase(java.util.Locale.ROOT))
        .collect(java.util.stream.Collectors.toSet());
  }

  /** An automation client made in the realm: its ids and its first secret. */
  public record MadeClient(String keycloakId, String userId, String username, String secret) {}

  /**
   * Makes a confidential client that signs in with client credentials only, its tokens meant for
   * the API (docs/adr/0027, 0029).
   */
  public MadeClient createAutomationClient(String clientId, String description) {
    org.keycloak.representations.idm.ClientRepresentation c =
        new org.keycloak.representations.idm.ClientRepresentation();
    c.setClientId(clientId);
    c.setName(description);
    c.setEnabled(true);
    c.setProtocol("openid-connect");
    c.setPublicClient(false);
    c.setClientAuthenticatorType("client-secret");
    c.setServiceAccountsEnabled(true);
    c.setStandardFlowEnabled(false);
    c.setImplicitFlowEnabled(false);
    c.setDirectAccessGrantsEnabled(false);
    String id;
    try (Response r = realm().clients().create(c)) {
      id = org.keycloak.admin.client.CreatedResponseUtil.getCreatedId(r);
    }
    var client = realm().clients().get(id);
    RealmSettings.ensureApiAudience(client, clientId);
    UserRepresentation account = client.getServiceAccountUser();
    return new MadeClient(
        id, account.getId(), account.getUsername(), client.getSecret().getValue());
  }

  /** A new secret for the client; the old one stops working at once. */
  public String rotateSecret(String keycloakId) {
    return realm().clients().get(keycloakId).generateNewSecret().getValue();
  }

  /** Deletes a client of the realm (its service account with it); one already gone is fine. */
  public void deleteClient(String keycloakId) {
    try {
      realm().clients().get(keycloakId).remove();
    } catch (WebApplicationException e) {
      rethrowUnlessNotFound(e);
    }
  }

  /** When the client last obtained a token (the realm's CLIENT_LOGIN events), if it did. */
  public java.util.Optional<java.time.OffsetDateTime> lastTokenOf(String clientId) {
    return realm()
        .getEvents(List.of("CLIENT_LOGIN"), clientId, null, null, null, null, 0, 1)
        .stream()
        .findFirst()
        .map(
            e ->
                java.time.OffsetDateTime.ofInstant(
                    java.time.Instant.ofEpochMilli(e.getTime()), java.time.ZoneOffset.UTC));
  }

  /** Ends every session of a user, so that a removed member loses access at once. */
  public void endSessions(String userId) {
    try {
      realm().users().get(userId).logout();
    } catch (WebApplicationException gone) {
      rethrowUnlessNotFound(gone);
      // the user no longer exists
    }
  }

  /** The organisations Keycloak says the user belongs to (aliases). */
  public List<String> organizationsOf(String userId) {
    return realm().organizations().members().getOrganizations(userId, true).stream()
        .map(OrganizationRepresentation::getAlias)
        .toList();
  }

  /**
   * Keycloak's admin client reports a missing object as a {@link WebApplicationException} with
   * status 404; anything else is passed on.
   */
  public static void rethrowUnlessNotFound(WebApplicationException e) {
    if (e.getResponse() == null || e.getResponse().getStatus() != 404) {
      throw e;
    }
  }
}
