package coop.salons.identity.keycloak;

import coop.salons.identity.IdentityConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * The realm settings this service depends on, set at start-up if someone changed them: the realm
 * file ({@code salons-realm.json}) is imported once, and an operator may have edited the realm
 * since. Idempotent: nothing is written when the settings are right.
 */
@Singleton
public class RealmSettings {

  private static final Logger LOG = Logger.getLogger(RealmSettings.class);

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
    if (changed) {
      RealmRepresentation update = new RealmRepresentation();
      update.setOrganizationsEnabled(rep.isOrganizationsEnabled());
      update.setBruteForceProtected(rep.isBruteForceProtected());
      realm.update(update);
      LOG.infof(
          "Realm %s: Organizations and brute-force protection turned back on", config.realm());
    }
    return changed;
  }
}
