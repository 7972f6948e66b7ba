package coop.salons.identity.keycloak;

import coop.salons.identity.IdentityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;
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
