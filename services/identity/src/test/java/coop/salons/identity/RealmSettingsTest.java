package coop.salons.identity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.identity.keycloak.RealmSettings;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.RealmRepresentation;

/** The service puts back the realm settings it depends on, and leaves right ones alone. */
@QuarkusTest
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "identity"))
class RealmSettingsTest {

  @Inject RealmSettings settings;
  @Inject Keycloak keycloak;

  @Test
  void organizationsAreTurnedBackOn() {
    assertFalse(settings.reconcile(), "the imported realm is already right");
    RealmRepresentation off = new RealmRepresentation();
    off.setOrganizationsEnabled(false);
    keycloak.realm("salons").update(off);
    try {
      assertTrue(settings.reconcile());
      assertTrue(keycloak.realm("salons").toRepresentation().isOrganizationsEnabled());
      assertFalse(settings.reconcile());
    } finally {
      RealmRepresentation on = new RealmRepresentation();
      on.setOrganizationsEnabled(true);
      keycloak.realm("salons").update(on);
    }
  }

  @Test
  void theMemberNumberIsDeclaredInTheUserProfile() {
    var profile = keycloak.realm("salons").users().userProfile();
    assertTrue(profile.getConfiguration().getAttribute(RealmSettings.MEMBER_NUMBER) != null);
    var config = profile.getConfiguration();
    config.removeAttribute(RealmSettings.MEMBER_NUMBER);
    profile.update(config);
    assertTrue(settings.reconcile());
    var number = profile.getConfiguration().getAttribute(RealmSettings.MEMBER_NUMBER);
    assertTrue(number.getPermissions().getView().equals(java.util.Set.of("admin")));
    assertFalse(settings.reconcile());
  }

  @Test
  void aPlatformClientLackingTheApiAudienceGetsItBack() {
    var clients = keycloak.realm("salons").clients();
    var cli = clients.get(clients.findByClientId("salons-cli").get(0).getId());
    var mapper =
        cli.getProtocolMappers().getMappers().stream()
            .filter(m -> "oidc-audience-mapper".equals(m.getProtocolMapper()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the realm file gives salons-cli the audience"));
    cli.getProtocolMappers().delete(mapper.getId());
    assertTrue(settings.reconcile());
    assertTrue(
        cli.getProtocolMappers().getMappers().stream()
            .anyMatch(
                m ->
                    RealmSettings.API_AUDIENCE.equals(
                        m.getConfig().get("included.custom.audience"))));
    assertFalse(settings.reconcile());
  }
}
