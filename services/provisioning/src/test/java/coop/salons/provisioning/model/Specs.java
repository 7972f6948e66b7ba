package coop.salons.provisioning.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Fixed specs and secrets for the renderers' tests: the same input gives the same files. */
final class Specs {

  static final UUID ID = UUID.fromString("6f1c2b8e-4d0a-4c3e-9a57-0b8e2f4d1c9a");
  static final PlanLimits SMALL = new PlanLimits("small", 50, 10, 500, 1024, LoginMode.ACCOUNTS);

  private Specs() {}

  static InstanceSpec matrix(Federation federation, int retentionDays) {
    return new InstanceSpec(
        ID,
        "amis-terre",
        "chat",
        "Les amis de la Terre",
        Flavour.MATRIX,
        "ghcr.io/element-hq/synapse",
        "1.163.2",
        "chat.amis-terre.chat.example.org",
        SMALL,
        federation,
        retentionDays,
        0,
        "12h",
        List.of("salon.jardins.chat.example.org", "chat.velo.chat.example.org"),
        false,
        new InstanceSpec.Database(
            "pg.tenants.svc", 5432, InstanceSpec.databaseName(ID), InstanceSpec.databaseName(ID)),
        "https://login.example.org/realms/salons",
        "https://salons.example.org/services/identity",
        3,
        false,
        true,
        false);
  }

  /** The platform's commons server. */
  static InstanceSpec commons() {
    return new InstanceSpec(
        ID,
        Commons.ORGANIZATION,
        Commons.SLUG,
        "Salons commons",
        Flavour.MATRIX,
        "ghcr.io/element-hq/synapse",
        "1.163.2",
        Commons.host("chat.example.org"),
        new PlanLimits("commons", 100000, 100, 2000, 4096, LoginMode.ACCOUNTS),
        Federation.PLATFORM_ONLY,
        90,
        0,
        "12h",
        List.of("chat.amis-terre.chat.example.org", "salon.jardins.chat.example.org"),
        false,
        new InstanceSpec.Database(
            "pg.tenants.svc", 5432, InstanceSpec.databaseName(ID), InstanceSpec.databaseName(ID)),
        "https://login.example.org/realms/salons",
        "https://salons.example.org/services/identity",
        1,
        true,
        true,
        false);
  }

  static InstanceSpec mattermost(LoginMode login, String displayName) {
    return new InstanceSpec(
        ID,
        "amis-terre",
        "equipe",
        displayName,
        Flavour.MATTERMOST,
        "mattermost/mattermost-team-edition",
        login == LoginMode.GITLAB ? "10.11.4" : "11.1.0",
        "equipe.amis-terre.chat.example.org",
        new PlanLimits("small", 50, 10, 500, 1024, login),
        Federation.OFF,
        90,
        0,
        "12h",
        List.of(),
        false,
        new InstanceSpec.Database(
            "pg.tenants.svc", 5432, InstanceSpec.databaseName(ID), InstanceSpec.databaseName(ID)),
        "https://login.example.org/realms/salons",
        "https://salons.example.org/services/identity",
        1,
        false,
        true,
        false);
  }

  /** The same spec with another display name, list of the commons' servers, or suspension. */
  static InstanceSpec with(
      InstanceSpec s, String displayName, List<String> platformServers, boolean suspended) {
    return copy(s, displayName, platformServers, suspended, s.routed(), s.authService());
  }

  /** The same spec whose custom domain is not proven yet: in no route. */
  static InstanceSpec unrouted(InstanceSpec s) {
    return copy(s, s.displayName(), s.platformServers(), s.suspended(), false, s.authService());
  }

  /** The same Matrix spec signing in through the Matrix Authentication Service. */
  static InstanceSpec withAuthService(InstanceSpec s) {
    return copy(s, s.displayName(), s.platformServers(), s.suspended(), s.routed(), true);
  }

  private static InstanceSpec copy(
      InstanceSpec s,
      String displayName,
      List<String> platformServers,
      boolean suspended,
      boolean routed,
      boolean authService) {
    return new InstanceSpec(
        s.id(),
        s.organization(),
        s.slug(),
        displayName,
        s.flavour(),
        s.image(),
        s.version(),
        s.host(),
        s.plan(),
        s.federation(),
        s.retentionDays(),
        s.mediaRetentionDays(),
        s.purgeEvery(),
        platformServers,
        suspended,
        s.database(),
        s.issuer(),
        s.signInGate(),
        s.generation(),
        s.commons(),
        routed,
        authService);
  }

  static Map<String, String> secrets(Flavour flavour) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(InstanceSecrets.DB_PASSWORD, "dbPASSWORD0123456789");
    if (flavour == Flavour.MATRIX) {
      s.put(
          InstanceSecrets.SIGNING_KEY,
          "ed25519 a_test AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
      s.put(InstanceSecrets.MACAROON, "macaroonSECRET");
      s.put(InstanceSecrets.FORM, "formSECRET");
      s.put(InstanceSecrets.REGISTRATION, "registrationSECRET");
      s.put(InstanceSecrets.APPSERVICE_TOKEN, "appserviceTOKEN");
      s.put(InstanceSecrets.APPSERVICE_HS_TOKEN, "homeserverTOKEN");
    } else {
      s.put(InstanceSecrets.AT_REST_KEY, "atRestKEY");
      s.put(InstanceSecrets.MATTERMOST_ADMIN_PASSWORD, "adminPASSWORD");
    }
    s.put(InstanceSecrets.OIDC_CLIENT_SECRET, "oidcCLIENTsecret");
    return s;
  }

  /** A Matrix instance's secrets, with those of the Matrix Authentication Service beside it. */
  static Map<String, String> secretsWithAuthService() {
    Map<String, String> s = secrets(Flavour.MATRIX);
    s.put(InstanceSecrets.MAS_SHARED_SECRET, "masSHAREDsecret");
    s.put(
        InstanceSecrets.MAS_ENCRYPTION,
        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    s.put(
        InstanceSecrets.MAS_SIGNING_KEY,
        "-----BEGIN PRIVATE KEY-----\nTEST\n-----END PRIVATE KEY-----\n");
    return s;
  }

  static KubernetesManifests.Cluster cluster() {
    return new KubernetesManifests.Cluster(
        "nginx",
        "letsencrypt",
        "ingress-nginx",
        "10.0.0.0/16",
        Optional.of("fast"),
        Optional.of("salons-element-web.salons.svc.cluster.local"),
        "ghcr.io/element-hq/matrix-authentication-service:1.22.0");
  }
}
