package coop.salons.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * PostgreSQL and Keycloak, started together: a database per service plus one for Keycloak, and the
 * salons realm imported with the generated client secrets; for the tests, a Kubernetes control
 * plane beside them ({@link ControlPlane}). The local platform and the test suite start them
 * through this one class.
 */
public final class LocalServers implements AutoCloseable {

  /** The names of every secret the local servers need. */
  public static final List<String> SECRET_NAMES = secretNames();

  /** The role provisioning creates chat instances' databases with. */
  public static final String TENANT_ADMIN = "salons_tenants";

  /**
   * The token the commons service acts with on the commons server: given to provisioning (which
   * renders it into the commons server's configuration) and to the commons service.
   */
  public static final String COMMONS_TOKEN = "SALONS_COMMONS_APPSERVICE_TOKEN";

  /** The secret the local platform's key for encrypting backups is made from. */
  public static final String BACKUPS_SECRET = "SALONS_BACKUPS_SECRET";

  /** A 32-byte key for encrypting backups (base64), derived from a generated secret. */
  public static String backupKey(String secret) {
    try {
      return java.util.Base64.getEncoder()
          .encodeToString(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(
                      ("salons backups:" + secret)
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public client the tests use to sign users in with a password (tests only). */
  public static final String TEST_CLIENT = "salons-test";

  /**
   * A public client of the realm whose tokens are not meant for the platform's API (no {@link
   * #API_AUDIENCE} audience), as a chat instance's client is not: the APIs must refuse them.
   */
  public static final String OTHER_AUDIENCE_CLIENT = "salons-test-elsewhere";

  /** The audience every token meant for the platform's API carries (docs/adr/0027). */
  public static final String API_AUDIENCE = "salons-api";

  /** The realm mapper that puts {@link #API_AUDIENCE} in a platform client's access tokens. */
  public static Map<String, Object> apiAudienceMapper() {
    return Map.of(
        "name",
        API_AUDIENCE + " audience",
        "protocol",
        "openid-connect",
        "protocolMapper",
        "oidc-audience-mapper",
        "config",
        Map.of(
            "included.custom.audience", API_AUDIENCE,
            "access.token.claim", "true",
            "id.token.claim", "false",
            "introspection.token.claim", "true"));
  }

  private final PostgresServer postgres;
  private final KeycloakServer keycloak;
  private final MailCatcher mail;
  private final Secrets secrets;
  private final String portalUrl;
  private final ControlPlane controlPlane;

  private LocalServers(
      PostgresServer postgres,
      KeycloakServer keycloak,
      MailCatcher mail,
      Secrets secrets,
      String portalUrl,
      ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.postgres = postgres;
    this.keycloak = keycloak;
    this.mail = mail;
    this.secrets = secrets;
    this.portalUrl = portalUrl;
  }

  /** Where and how to start the servers. */
  public record Options(
      Path workDir,
      boolean cleanData,
      int postgresPort,
      int keycloakPort,
      int keycloakManagementPort,
      String portalUrl,
      int smtpPort,
      boolean forTests) {}

  public static LocalServers start(Options o, Secrets secrets) throws Exception {
    // The tests' Kubernetes control plane starts meanwhile (the other core is mostly idle).
    CompletableFuture<ControlPlane> kubernetes =
        o.forTests()
            ? CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return ControlPlane.start(o.workDir().resolve("kubernetes"));
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                })
            : CompletableFuture.completedFuture(null);
    PostgresServer postgres =
        Progress.step(
            "PostgreSQL on port " + o.postgresPort(),
            () ->
                PostgresServer.start(
                    o.workDir().resolve("postgres"), o.postgresPort(), o.cleanData()));
    try {
      postgres.ensureDatabase("keycloak", "salons_keycloak", secrets.get("DB_KEYCLOAK_PASSWORD"));
      for (Service s : Service.values()) {
        postgres.ensureDatabase(s.id(), s.role(), secrets.get(s.dbPasswordName()));
      }
      postgres.ensureTenantAdmin(TENANT_ADMIN, secrets.get("DB_TENANTS_PASSWORD"));
      Map<String, String> realmVariables = new HashMap<>();
      for (Service s : Service.values()) {
        realmVariables.put(s.clientSecretName(), secrets.get(s.clientSecretName()));
      }
      realmVariables.put("SALONS_PORTAL_URL", o.portalUrl());
      realmVariables.put("SALONS_DEMO_PASSWORD", secrets.get("SALONS_DEMO_PASSWORD"));
      KeycloakServer keycloak =
          Progress.step(
              "Keycloak on port " + o.keycloakPort(),
              () ->
                  KeycloakServer.start(
                      new KeycloakServer.Options(
                          o.workDir(),
                          o.keycloakPort(),
                          o.keycloakManagementPort(),
                          postgres.jdbcUrl("keycloak"),
                          "salons_keycloak",
                          secrets.get("DB_KEYCLOAK_PASSWORD"),
                          "admin",
                          secrets.get("KEYCLOAK_ADMIN_PASSWORD"),
                          realmVariables)));
      KeycloakAdmin admin =
          KeycloakAdmin.login(keycloak.url(), "admin", secrets.get("KEYCLOAK_ADMIN_PASSWORD"));
      // A realm imported before a service existed (an older .salons folder) gets its client.
      for (Service s : Service.values()) {
        if (s != Service.PORTAL) {
          admin.ensureClient(
              Map.of(
                  "clientId", s.clientId(),
                  "secret", secrets.get(s.clientSecretName()),
                  "publicClient", false,
                  "serviceAccountsEnabled", true,
                  "standardFlowEnabled", false,
                  "directAccessGrantsEnabled", false,
                  "enabled", true,
                  "protocolMappers", java.util.List.of(apiAudienceMapper())));
        }
      }
      MailCatcher mail =
          o.forTests()
              ? MailCatcher.startOnAnyPort(o.workDir().resolve("mail"))
              : MailCatcher.start(o.smtpPort(), o.workDir().resolve("mail"));
      admin.useSmtp("127.0.0.1", mail.port(), "noreply@salons.localhost");
      if (o.forTests()) {
        admin.ensureClient(
            Map.of(
                "clientId", TEST_CLIENT,
                "publicClient", true,
                "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false,
                "enabled", true,
                "protocolMappers", java.util.List.of(apiAudienceMapper())));
        admin.ensureClient(
            Map.of(
                "clientId", OTHER_AUDIENCE_CLIENT,
                "publicClient", true,
                "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false,
                "enabled", true));
      }
      ControlPlane controlPlane;
      try {
        controlPlane = kubernetes.join();
      } catch (CompletionException e) {
        mail.close();
        keycloak.close();
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      return new LocalServers(postgres, keycloak, mail, secrets, o.portalUrl(), controlPlane);
    } catch (Exception e) {
      postgres.close();
      kubernetes.thenAccept(
          plane -> {
            if (plane != null) {
              plane.close();
            }
          });
      throw e;
    }
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public KeycloakServer keycloak() {
    return keycloak;
  }

  public Secrets secrets() {
    return secrets;
  }

  /** The environment a service process needs to reach these servers. */
  public Map<String, String> serviceEnvironment(Service s) {
    Map<String, String> env = new HashMap<>();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(s.id()));
    env.put("QUARKUS_DATASOURCE_USERNAME", s.role());
    env.put("QUARKUS_DATASOURCE_PASSWORD", secrets.get(s.dbPasswordName()));
    env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl());
    env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", secrets.get(s.clientSecretName()));
    if (s == Service.IDENTITY) {
      env.put("QUARKUS_KEYCLOAK_ADMIN_CLIENT_SERVER_URL", keycloak.url());
      // On one machine an organisation's identity provider may well be on this machine too.
      env.put("SALONS_IDENTITY_PROVIDERS_ALLOW_LOCAL", "true");
    }
    if (s == Service.PROVISIONING) {
      env.put("SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_JDBC_URL", postgres.jdbcUrl("postgres"));
      env.put(
          "SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_PASSWORD", secrets.get("DB_TENANTS_PASSWORD"));
      env.put("SALONS_PROVISIONING_TENANT_DATABASE_PORT", String.valueOf(postgres.port()));
      env.put("SALONS_PROVISIONING_COMMONS_APPSERVICE_TOKEN", secrets.get(COMMONS_TOKEN));
      env.put("SALONS_PROVISIONING_BACKUPS_KEY", backupKey(secrets.get(BACKUPS_SECRET)));
      // On one machine, a new association's server federates with the others at once (ADR 21).
      env.put("SALONS_PROVISIONING_FEDERATION_LIST", "immediate");
    }
    if (s == Service.COMMONS) {
      env.put(COMMONS_TOKEN, secrets.get(COMMONS_TOKEN));
      // The weekly digest's email goes to the mail catcher.
      env.put("SALONS_MAIL_HOST", "127.0.0.1");
      env.put("SALONS_MAIL_PORT", String.valueOf(mail.port()));
    }
    return env;
  }

  /**
   * Writes what the tests need to reach these servers into a properties file (read by the test
   * support); the file is private to its owner.
   */
  public void describe(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("postgres.port", String.valueOf(postgres.port()));
    p.setProperty("keycloak.url", keycloak.url());
    p.setProperty("portal.url", portalUrl);
    p.setProperty("mail.folder", mail.folder().toString());
    p.setProperty("mail.port", String.valueOf(mail.port()));
    if (controlPlane != null) {
      controlPlane.describe(p);
    }
    for (String name : SECRET_NAMES) {
      p.setProperty("secret." + name, secrets.get(name));
    }
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "The servers shared by the Salons test suite.");
    }
  }

  private static List<String> secretNames() {
    List<String> names = new ArrayList<>();
    names.add("DB_KEYCLOAK_PASSWORD");
    names.add("KEYCLOAK_ADMIN_PASSWORD");
    names.add("SALONS_DEMO_PASSWORD");
    names.add("DB_TENANTS_PASSWORD");
    names.add(COMMONS_TOKEN);
    names.add(BACKUPS_SECRET);
    for (Service s : Service.values()) {
      names.add(s.dbPasswordName());
      names.add(s.clientSecretName());
    }
    return List.copyOf(names);
  }

  @Override
  public void close() throws IOException {
    if (controlPlane != null) {
      controlPlane.close();
    }
    mail.close();
    keycloak.close();
    postgres.close();
  }
}
