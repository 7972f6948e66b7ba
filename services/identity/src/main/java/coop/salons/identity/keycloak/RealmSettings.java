package coop.salons.identity.keycloak;

import coop.salons.identity.IdentityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;

/**
 * The realm settings this service depends on, set at start-up if someone changed them: the realm
 * file ({@code salons-realm.json}) is imported once, and an operator may have edited the realm
 * since. Idempotent: nothing is written when the settings are right.
 */
@Singleton
public class RealmSettings {

  private static final Logger LOG = Logger.getLogger(RealmSettings.class);

  /** The audience of every token meant for the platform's API (docs/adr/0027). */
  public static final String API_AUDIENCE = "salons-api";

  /** The platform's own clients, whose access tokens carry {@link #API_AUDIENCE}. */
  static final List<String> API_CLIENTS =
      List.of(
          "salons-portal",
          "salons-cli",
          "salons-identity",
          "salons-provisioning",
          "salons-billing",
          "salons-commons");

  /** The user attribute holding a member's number (GitLab-shaped login). */
  public static final String MEMBER_NUMBER = "salonsNumber";

  @Inject Keycloak keycloak;
  @Inject IdentityConfig config;

  void onStart(@Observes @Priority(10) StartupEvent event) {
    reconcile();
  }

  /** Answers whether anything had to be changed. */
  public boolean reconcile() {
    var realm = keycloak.realm(config.realm());
    RealmRepresentation rep = realm.toRepresentation();
    boolean changed = false;
    if (!Boolean.TRUE.equals(rep.isOrganizationsEnabled())) {
      rep.setOrganizationsEnabled(true);
      changed = true;
    }
    if (!Boolean.TRUE.equals(rep.isBruteForceProtected())) {
      rep.setBruteForceProtected(true);
      changed = true;
    }
    boolean profileChanged = declareMemberNumber(realm);
    profileChanged |= recordClientLogins(realm);
    for (String clientId : API_CLIENTS) {
      for (ClientRepresentation client : realm.clients().findByClientId(clientId)) {
        profileChanged |= ensureApiAudience(realm.clients().get(client.getId()), clientId);
      }
    }
    if (changed) {
      RealmRepresentation update = new RealmRepresentation();
      update.setOrganizationsEnabled(rep.isOrganizationsEnabled());
      update.setBruteForceProtected(rep.isBruteForceProtected());
      realm.update(update);
      LOG.infof(
          "Realm %s: Organizations and brute-force protection turned back on", config.realm());
    }
    return changed || profileChanged;
  }

  /**
   * Keeps the realm's record of tokens given to clients ({@code CLIENT_LOGIN} events, 90 days by
   * default), from which an automation client's last use is read; an operator's own list of event
   * types is kept, the type added to it.
   */
  private boolean recordClientLogins(org.keycloak.admin.client.resource.RealmResource realm) {
    org.keycloak.representations.idm.RealmEventsConfigRepresentation events;
    try {
      events = realm.getRealmEventsConfig();
    } catch (jakarta.ws.rs.WebApplicationException e) {
      LOG.warnf(
          "Realm %s: the events settings are not readable (HTTP %d): give the identity service's"
              + " account the realm-management roles view-events and manage-events, or automation"
              + " clients' last use stays unknown",
          config.realm(), e.getResponse() == null ? 0 : e.getResponse().getStatus());
      return false;
    }
    List<String> types =
        events.getEnabledEventTypes() == null
            ? new java.util.ArrayList<>()
            : new java.util.ArrayList<>(events.getEnabledEventTypes());
    boolean on = Boolean.TRUE.equals(events.isEventsEnabled());
    if (on && (types.isEmpty() || types.contains("CLIENT_LOGIN"))) {
      return false; // every type is recorded (an empty list), or this one is
    }
    if (!on) {
      types = new java.util.ArrayList<>(List.of("CLIENT_LOGIN"));
      if (events.getEventsExpiration() == null) {
        events.setEventsExpiration(90L * 24 * 3600);
      }
    } else {
      types.add("CLIENT_LOGIN");
    }
    events.setEventsEnabled(true);
    events.setEnabledEventTypes(types);
    realm.updateRealmEventsConfig(events);
    LOG.infof("Realm %s: tokens given to clients are recorded (CLIENT_LOGIN)", config.realm());
    return true;
  }

  /**
   * Gives a platform client's access tokens the API's audience (a realm imported before the
   * services checked audiences lacks it); answers whether it had to be added.
   */
  public static boolean ensureApiAudience(ClientResource client, String clientId) {
    boolean present =
        client.getProtocolMappers().getMappers().stream()
            .anyMatch(
                m ->
                    "oidc-audience-mapper".equals(m.getProtocolMapper())
                        && API_AUDIENCE.equals(m.getConfig().get("included.custom.audience")));
    if (present) {
      return false;
    }
    ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
    mapper.setName(API_AUDIENCE + " audience");
    mapper.setProtocol("openid-connect");
    mapper.setProtocolMapper("oidc-audience-mapper");
    mapper.setConfig(
        Map.of(
            "included.custom.audience", API_AUDIENCE,
            "access.token.claim", "true",
            "id.token.claim", "false",
            "introspection.token.claim", "true"));
    try (var created = client.getProtocolMappers().createMapper(mapper)) {
      LOG.infof("Client %s: its tokens now carry the audience %s", clientId, API_AUDIENCE);
    }
    return true;
  }

  /**
   * Declares the user attribute that carries a member's number (read by Mattermost's GitLab login,
   * see {@code GitLabShape}) in the realm's user profile, visible and editable by admins only:
   * Keycloak drops attributes its user profile does not declare.
   */
  private boolean declareMemberNumber(org.keycloak.admin.client.resource.RealmResource realm) {
    UPConfig profile = realm.users().userProfile().getConfiguration();
    if (profile.getAttribute(MEMBER_NUMBER) != null) {
      return false;
    }
    UPAttribute number =
        new UPAttribute(
            MEMBER_NUMBER, new UPAttributePermissions(Set.of("admin"), Set.of("admin")));
    number.setDisplayName("Salons member number");
    profile.addOrReplaceAttribute(number);
    realm.users().userProfile().update(profile);
    LOG.infof("Realm %s: user attribute %s declared", config.realm(), MEMBER_NUMBER);
    return true;
  }
}
