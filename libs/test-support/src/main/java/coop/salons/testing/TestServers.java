package coop.salons.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.local.KeycloakAdmin;
import coop.salons.local.LocalLayout;
import coop.salons.local.LocalPlatform;
import coop.salons.local.LocalServers;
import coop.salons.local.Service;
import coop.salons.local.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The real PostgreSQL and Keycloak of a test run. The test command ({@code ./salons test}) starts
 * them once for the whole build and names them in {@code SALONS_TEST_SERVERS}; a test run from an
 * IDE or with plain Maven starts its own, once per JVM.
 */
public final class TestServers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServers shared;

  /**
   * Where the services this JVM started are named. Quarkus restarts the application under test,
   * with a new class loader and so new static fields, for each test profile: without a record the
   * whole JVM shares, a second provisioning would supervise the first one's schema and ports.
   */
  private static final String STARTED_KEY = "salons.test-servers.started.";

  private final Properties state;

  private TestServers(Properties state) {
    this.state = state;
  }

  public static synchronized TestServers get() {
    if (shared == null) {
      shared = new TestServers(load());
    }
    return shared;
  }

  private static Properties load() {
    try {
      // Quarkus loads the tests' classes again for each test profile: what was started by an
      // earlier class loader of this JVM is found through the JVM's own properties.
      String file = System.getenv("SALONS_TEST_SERVERS");
      if (file == null || file.isBlank()) {
        file = System.getProperty(STARTED_KEY + "servers");
      }
      Path path;
      if (file != null && !file.isBlank()) {
        path = Path.of(file);
      } else {
        Path workDir =
            LocalLayout.projectRoot()
                .resolve("target/test-servers-" + ProcessHandle.current().pid());
        LocalServers servers = LocalPlatform.startForTests(workDir);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        servers.close();
                      } catch (IOException ignored) {
                        // the JVM is going away
                      }
                    }));
        path = workDir.resolve("servers.properties");
        servers.describe(path);
        System.setProperty(STARTED_KEY + "servers", path.toString());
      }
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(path)) {
        p.load(in);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test servers: " + e.getMessage(), e);
    }
  }

  public int postgresPort() {
    return Integer.parseInt(state.getProperty("postgres.port"));
  }

  public String jdbcUrl(Service s) {
    return "jdbc:postgresql://localhost:" + postgresPort() + "/" + s.id();
  }

  public String keycloakUrl() {
    return state.getProperty("keycloak.url");
  }

  public String realmUrl() {
    return keycloakUrl() + "/realms/salons";
  }

  /** The port of the SMTP server that catches the realm's mail. */
  public int mailPort() {
    return Integer.parseInt(state.getProperty("mail.port"));
  }

  /** The first caught email sent to an address, waiting up to 15 s for it; empty if none came. */
  public java.util.Optional<String> mailTo(String address) {
    return mailTo(address, java.time.Instant.EPOCH);
  }

  /**
   * The first email sent to an address and caught at or after a moment (a person's earlier mail of
   * another run is not it), waiting up to 15 s for it; empty if none came.
   */
  public java.util.Optional<String> mailTo(String address, java.time.Instant after) {
    Path folder = Path.of(state.getProperty("mail.folder"));
    long deadline = System.currentTimeMillis() + 15_000;
    do {
      try (var files = Files.list(folder)) {
        for (Path f :
            files
                .filter(f -> f.getFileName().toString().endsWith(".eml"))
                .filter(f -> caughtAt(f).compareTo(after) >= 0)
                .sorted()
                .toList()) {
          String mail = Files.readString(f);
          if (mail.contains("To: " + address)) {
            return java.util.Optional.of(mail);
          }
        }
        Thread.sleep(200);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return java.util.Optional.empty();
      }
    } while (System.currentTimeMillis() < deadline);
    return java.util.Optional.empty();
  }

  private static java.time.Instant caughtAt(Path f) {
    try {
      return Files.getLastModifiedTime(f).toInstant();
    } catch (IOException gone) {
      return java.time.Instant.EPOCH;
    }
  }

  /**
   * The real Kubernetes API server of the test run (etcd, kube-apiserver, controller-manager,
   * scheduler and KWOK's simulated node: {@code coop.salons.local.ControlPlane}): its URL, the CA
   * that signed its certificate, the administrator's token and a kubeconfig.
   */
  public Kubernetes kubernetes() {
    String url = state.getProperty("kubernetes.url");
    if (url == null) {
      throw new IllegalStateException(
          "the test servers were started without a Kubernetes control plane");
    }
    return new Kubernetes(
        url,
        Path.of(state.getProperty("kubernetes.ca-cert")),
        state.getProperty("kubernetes.token"),
        Path.of(state.getProperty("kubernetes.kubeconfig")));
  }

  /** How to reach the test run's Kubernetes API server as its administrator. */
  public record Kubernetes(String url, Path caCert, String token, Path kubeconfig) {

    /** The Quarkus Kubernetes client's settings for it. */
    public Map<String, String> quarkusConfig() {
      return Map.of(
          "quarkus.kubernetes-client.api-server-url",
          url,
          "quarkus.kubernetes-client.ca-cert-file",
          caCert.toString(),
          "quarkus.kubernetes-client.token",
          token,
          "quarkus.kubernetes-client.trust-certs",
          "false",
          "quarkus.kubernetes-client.devservices.enabled",
          "false");
    }
  }

  /** The URL the portal under test must answer on (the realm's redirect URIs name it). */
  public String portalUrl() {
    return state.getProperty("portal.url");
  }

  public int portalPort() {
    return URI.create(portalUrl()).getPort();
  }

  /**
   * The URL of a real identity service for tests of the services that call it (provisioning and
   * billing follow its membership feed; provisioning asks it for OIDC clients): the packaged
   * application, started once per test JVM on a free port, on the build's PostgreSQL and Keycloak.
   */
  public synchronized String identityUrl() {
    return started(
        Service.IDENTITY,
        Map.of(
            "QUARKUS_KEYCLOAK_ADMIN_CLIENT_SERVER_URL",
            keycloakUrl(),
            // No billing to ask for members' slots, unless identityClaimingFrom started it.
            "SALONS_IDENTITY_QUOTAS",
            "off",
            // The tests' few users own many organisations each.
            "SALONS_IDENTITY_MAX_ORGANIZATIONS_PER_USER",
            "100000"));
  }

  /**
   * The real identity service, claiming members' slots from the billing service at {@code
   * billingUrl} (billing's own tests, where billing is the application under test). Only the first
   * start of identity in a JVM decides how it runs.
   */
  public synchronized String identityClaimingFrom(String billingUrl) {
    return started(
        Service.IDENTITY,
        Map.of(
            "QUARKUS_KEYCLOAK_ADMIN_CLIENT_SERVER_URL",
            keycloakUrl(),
            "SALONS_BILLING_URL",
            billingUrl,
            "SALONS_IDENTITY_QUOTAS",
            "billing",
            "SALONS_IDENTITY_MAX_ORGANIZATIONS_PER_USER",
            "100000"));
  }

  /**
   * The URL of a real billing service for tests of the services that call it (provisioning claims
   * quota slots): the packaged application, started once per test JVM, following the real identity.
   */
  public synchronized String billingUrl() {
    return started(Service.BILLING, Map.of("SALONS_IDENTITY_URL", identityUrl()));
  }

  /**
   * The URL of a real provisioning service running chat servers on this machine (the local
   * runtime), with the commons server: the packaged application, started once per test JVM, in a
   * database schema of its own emptied at its start, following the real identity and claiming from
   * the real billing. Its Synapses stop with it.
   */
  public synchronized String provisioningUrl() {
    String schema = "commons_e2e";
    Map<String, String> env = new java.util.HashMap<>();
    env.put(
        "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(Service.PROVISIONING) + "?currentSchema=" + schema);
    env.put("QUARKUS_FLYWAY_SCHEMAS", schema);
    env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
    env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
    env.put("QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema);
    env.put("SALONS_IDENTITY_URL", identityUrl());
    env.put("SALONS_BILLING_URL", billingUrl());
    env.put(
        "SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_JDBC_URL",
        "jdbc:postgresql://localhost:" + postgresPort() + "/postgres");
    env.put("SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_USER", LocalServers.TENANT_ADMIN);
    env.put("SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_PASSWORD", secret("DB_TENANTS_PASSWORD"));
    env.put("SALONS_PROVISIONING_TENANT_DATABASE_PORT", String.valueOf(postgresPort()));
    Path work = LocalLayout.projectRoot().resolve("target/commons-e2e");
    env.put("SALONS_PROVISIONING_TENANT_DATABASE_BACKUP_DIR", work.resolve("backups").toString());
    env.put("SALONS_PROVISIONING_LOCAL_WORK_DIR", work.resolve("instances").toString());
    env.put("SALONS_PROVISIONING_LOCAL_FIRST_PORT", "19400");
    env.put("SALONS_PROVISIONING_COMMONS_APPSERVICE_TOKEN", secret(LocalServers.COMMONS_TOKEN));
    env.put("SALONS_PROVISIONING_FEDERATION_LIST", "immediate");
    env.put("SALONS_PROVISIONING_USAGE_EVERY", "off");
    env.put("SALONS_PROVISIONING_BACKUPS_CHECK_EVERY", "off");
    env.put("SALONS_PROVISIONING_DOMAINS_CHECK_EVERY", "off");
    env.put("SALONS_PROVISIONING_SUPERVISOR_INTERVAL", "0.5s");
    env.put("SALONS_PROVISIONING_SUPERVISOR_READINESS_POLL", "PT0.5S");
    env.put("SALONS_PROVISIONING_BACKUPS_DIR", work.resolve("instance-backups").toString());
    env.put(
        "SALONS_PROVISIONING_BACKUPS_KEY", LocalServers.backupKey(secret("DB_TENANTS_PASSWORD")));
    return started(Service.PROVISIONING, env);
  }

  /**
   * The URL of a real commons service (the packaged application, once per test JVM, in a database
   * schema of its own emptied at its start), managing the rooms of the commons server that {@link
   * #provisioningUrl()} runs.
   */
  public synchronized String commonsUrl() {
    String schema = "commons_portal";
    Map<String, String> env = new java.util.HashMap<>();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(Service.COMMONS) + "?currentSchema=" + schema);
    env.put("QUARKUS_FLYWAY_SCHEMAS", schema);
    env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
    env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
    env.put("QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema);
    env.put("SALONS_IDENTITY_URL", identityUrl());
    env.put("SALONS_PROVISIONING_URL", provisioningUrl());
    env.put(LocalServers.COMMONS_TOKEN, secret(LocalServers.COMMONS_TOKEN));
    env.put("SALONS_COMMONS_SYNC_EVERY", "1s");
    env.put("SALONS_MAIL_HOST", "127.0.0.1");
    env.put("SALONS_MAIL_PORT", String.valueOf(mailPort()));
    return started(Service.COMMONS, env);
  }

  /** A port nothing listens on now. */
  public static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String started(Service service, Map<String, String> extra) {
    String key = STARTED_KEY + service.id();
    // An interned string is the one lock every class loader of the JVM sees.
    synchronized (key.intern()) {
      String url = System.getProperty(key);
      if (url != null) {
        return url;
      }
      try {
        int port = freePort();
        Map<String, String> env = new java.util.HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(service));
        env.put("QUARKUS_DATASOURCE_USERNAME", service.role());
        env.put("QUARKUS_DATASOURCE_PASSWORD", secret(service.dbPasswordName()));
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", realmUrl());
        env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", secret(service.clientSecretName()));
        // The tests and benchmarks ask for many things at once.
        env.put("SALONS_RATE_LIMITS_ENABLED", "false");
        env.putAll(extra);
        ServiceProcess running =
            ServiceProcess.start(
                service,
                port,
                env,
                LocalLayout.projectRoot().resolve("target/test-" + service.id() + "-" + port));
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        System.setProperty(key, running.url());
        return running.url();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public String secret(String name) {
    return state.getProperty("secret." + name);
  }

  /** The Keycloak admin API, signed in as the bootstrap admin. */
  public KeycloakAdmin admin() {
    try {
      return KeycloakAdmin.login(keycloakUrl(), "admin", secret("KEYCLOAK_ADMIN_PASSWORD"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A user of the salons realm, created if needed, with a generated password. */
  public TestUser user(String username) {
    String password = passwordOf(username);
    try {
      String id = admin().ensureUser(username, username + "@example.org", password);
      return new TestUser(id, username, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A test user's password: derived from a secret of this run of the test servers, so that every
   * JVM and class loader of the run (Quarkus restarts its application per test profile) gives the
   * same user the same password.
   */
  private String passwordOf(String username) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(secret("SALONS_DEMO_PASSWORD").getBytes(StandardCharsets.UTF_8));
      sha.update(("user:" + username).getBytes(StandardCharsets.UTF_8));
      return "T" + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 30);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A user of the salons realm with the hoster's operator role ({@code platform-admin}). */
  public TestUser operator(String username) {
    TestUser user = user(username);
    try {
      admin().grantRealmRole(user.id(), "platform-admin");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return user;
  }

  /** An access token for a user, from a password grant on the tests' own public client. */
  public String token(TestUser user) {
    return tokenFor(
        "grant_type=password&client_id="
            + LocalServers.TEST_CLIENT
            + "&username="
            + enc(user.username())
            + "&password="
            + enc(user.password()));
  }

  /**
   * An access token for a user from a client of the realm that is not the platform's (as a chat
   * instance's client is not): valid, signed by the realm, but not meant for the API.
   */
  public String tokenForAnotherAudience(TestUser user) {
    return tokenFor(
        "grant_type=password&client_id="
            + LocalServers.OTHER_AUDIENCE_CLIENT
            + "&username="
            + enc(user.username())
            + "&password="
            + enc(user.password()));
  }

  /** An access token of a confidential client (an organisation's automation client, say). */
  public String clientCredentialsToken(String clientId, String secret) {
    return tokenFor(
        "grant_type=client_credentials&client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(secret));
  }

  /** An access token for a service's own account (client credentials). */
  public String serviceToken(Service s) {
    return tokenFor(
        "grant_type=client_credentials&client_id="
            + s.clientId()
            + "&client_secret="
            + enc(secret(s.clientSecretName())));
  }

  private String tokenFor(String form) {
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(realmUrl() + "/protocol/openid-connect/token"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(form))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            "token refused: HTTP " + answer.statusCode() + " " + answer.body());
      }
      return JSON.readTree(answer.body()).get("access_token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A user of the salons realm with the password the tests gave it. */
  public record TestUser(String id, String username, String password) {}
}
