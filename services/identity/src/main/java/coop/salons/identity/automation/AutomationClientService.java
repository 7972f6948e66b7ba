package coop.salons.identity.automation;

import coop.salons.common.api.ProblemException;
import coop.salons.identity.access.OrganizationAccess;
import coop.salons.identity.automation.AutomationDtos.ClientSecret;
import coop.salons.identity.automation.AutomationDtos.ClientView;
import coop.salons.identity.automation.AutomationDtos.CreateClient;
import coop.salons.identity.keycloak.KeycloakDirectory;
import coop.salons.identity.member.MembershipEvent;
import coop.salons.identity.model.AutomationClient;
import coop.salons.identity.model.Membership;
import coop.salons.identity.model.Organization;
import coop.salons.identity.model.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * An organisation's automation clients (docs/adr/0029): a confidential client of the realm whose
 * service account is a member of the organisation with the role chosen, so that every service lets
 * it do what that role may, in that organisation only. Owners make, rotate and revoke them.
 */
@ApplicationScoped
public class AutomationClientService {

  /** The most automation clients an organisation keeps. */
  static final int MAX_PER_ORGANIZATION = 20;

  @Inject OrganizationAccess access;
  @Inject KeycloakDirectory keycloak;

  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.oidc.auth-server-url")
  String realmUrl;

  private static final java.security.SecureRandom IDS = new java.security.SecureRandom();

  public List<ClientView> list(String slug, String userId) {
    List<AutomationClient> clients =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Organization o = access.require(slug, userId, Role.OWNER).organization();
                  return AutomationClient.<AutomationClient>list(
                      "organizationId = ?1 order by name", o.id);
                });
    return clients.stream().map(this::view).toList();
  }

  public ClientSecret create(String slug, String userId, CreateClient request) {
    Organization org =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Organization o = access.require(slug, userId, Role.OWNER).organization();
                  if (o.deletionScheduledAt != null || o.keycloakId == null) {
                    throw ProblemException.conflict(
                        "'" + slug + "' is being set up or deleted: no automation client now.");
                  }
                  if (AutomationClient.count(
                          "organizationId = ?1 and name = ?2", o.id, request.name())
                      > 0) {
                    throw ProblemException.conflict(
                        "An automation client named '" + request.name() + "' exists already.");
                  }
                  if (AutomationClient.count("organizationId", o.id) >= MAX_PER_ORGANIZATION) {
                    throw ProblemException.conflict(
                        "At most " + MAX_PER_ORGANIZATION + " automation clients an organisation.");
                  }
                  return o;
                });
    byte[] random = new byte[6];
    IDS.nextBytes(random);
    String clientId =
        coop.salons.common.security.Caller.AUTOMATION_PREFIX
            + slug
            + "-"
            + HexFormat.of().formatHex(random);
    KeycloakDirectory.MadeClient made =
        keycloak.createAutomationClient(clientId, "Automation of " + slug + ": " + request.name());
    Role role = Role.parse(request.roleOrDefault()).orElseThrow();
    try {
      AutomationClient saved =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    OffsetDateTime now = OffsetDateTime.now();
                    AutomationClient c = new AutomationClient();
                    c.id = UUID.randomUUID();
                    c.organizationId = org.id;
                    c.name = request.name();
                    c.clientId = clientId;
                    c.keycloakId = made.keycloakId();
                    c.userId = made.userId();
                    c.role = role.id();
                    c.createdBy = userId;
                    c.createdAt = now;
                    c.persist();
                    Membership m = new Membership();
                    m.id = new Membership.Key(org.id, made.userId());
                    m.username = made.username();
                    m.role = role.id();
                    m.joinedAt = now;
                    m.automation = true;
                    m.persist();
                    MembershipEvent.record(slug, made.userId(), "added", role);
                    return c;
                  });
      return new ClientSecret(saved.id, clientId, made.secret(), tokenUrl());
    } catch (RuntimeException e) {
      keycloak.deleteClient(made.keycloakId()); // nothing left behind
      throw e;
    }
  }

  public ClientSecret rotate(String slug, String userId, UUID id) {
    AutomationClient c = QuarkusTransaction.requiringNew().call(() -> find(slug, userId, id));
    return new ClientSecret(c.id, c.clientId, keycloak.rotateSecret(c.keycloakId), tokenUrl());
  }

  /** Revoked: no longer a member (every service refuses it within seconds), then deleted. */
  public void revoke(String slug, String userId, UUID id) {
    AutomationClient c =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  AutomationClient found = find(slug, userId, id);
                  Membership.deleteById(new Membership.Key(found.organizationId, found.userId));
                  MembershipEvent.record(slug, found.userId, "removed", null);
                  found.delete();
                  return found;
                });
    keycloak.deleteClient(c.keycloakId);
  }

  private AutomationClient find(String slug, String userId, UUID id) {
    Organization o = access.require(slug, userId, Role.OWNER).organization();
    AutomationClient c = AutomationClient.findById(id);
    if (c == null || !c.organizationId.equals(o.id)) {
      throw ProblemException.notFound("No automation client " + id + " in '" + slug + "'.");
    }
    return c;
  }

  private ClientView view(AutomationClient c) {
    OffsetDateTime last;
    try {
      last = keycloak.lastTokenOf(c.clientId).orElse(null);
    } catch (RuntimeException e) {
      last = null; // the realm's events unreadable: not known
    }
    return new ClientView(c.id, c.name, c.role, c.clientId, c.createdAt, last);
  }

  private String tokenUrl() {
    return realmUrl + "/protocol/openid-connect/token";
  }
}
