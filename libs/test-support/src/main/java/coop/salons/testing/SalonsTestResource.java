package coop.salons.testing;

import coop.salons.local.LocalServers;
import coop.salons.local.Service;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Points a service under test at the build's real PostgreSQL (its own database and role) and the
 * real Keycloak realm. Use it with the init argument {@code service} set to the service's id (and,
 * for the portal, {@code backends=true} to put the real services behind it).
 */
public class SalonsTestResource implements QuarkusTestResourceLifecycleManager {

  private Service service;
  private boolean withBackends;

  @Override
  public void init(Map<String, String> initArgs) {
    String id = initArgs.get("service");
    if (id == null) {
      throw new IllegalArgumentException("SalonsTestResource needs the init argument 'service'");
    }
    service = Service.valueOf(id.toUpperCase(Locale.ROOT));
    withBackends = "true".equals(initArgs.get("backends"));
  }

  @Override
  public Map<String, String> start() {
    TestServers servers = TestServers.get();
    Map<String, String> config = new HashMap<>();
    config.put("quarkus.datasource.jdbc.url", servers.jdbcUrl(service));
    config.put("quarkus.datasource.username", service.role());
    config.put("quarkus.datasource.password", servers.secret(service.dbPasswordName()));
    config.put("quarkus.oidc.auth-server-url", servers.realmUrl());
    config.put("quarkus.oidc.credentials.secret", servers.secret(service.clientSecretName()));
    if (service == Service.IDENTITY) {
      config.put("quarkus.keycloak.admin-client.server-url", servers.keycloakUrl());
      // Identity's own tests run without billing: members' slots are claimed in billing's tests.
      config.put("salons.identity.quotas", "off");
      // Email domains are looked up by the tests that say so, on a DNS server of their own.
      config.put("salons.identity.domains.check-every", "off");
    }
    if (service == Service.PROVISIONING) {
      config.put("quarkus.rest-client.identity.url", servers.identityUrl());
    }
    if (service == Service.BILLING) {
      // Billing under test on a port chosen here, so that the real identity claims from it.
      int port = billingPort();
      config.put("quarkus.http.test-port", String.valueOf(port));
      config.put(
          "quarkus.rest-client.identity.url",
          servers.identityClaimingFrom("http://localhost:" + port));
    }
    if (service == Service.PROVISIONING) {
      config.put("quarkus.rest-client.billing.url", servers.billingUrl());
      config.put(
          "salons.provisioning.tenant-database.admin-jdbc-url",
          "jdbc:postgresql://localhost:" + servers.postgresPort() + "/postgres");
      config.put("salons.provisioning.tenant-database.admin-user", LocalServers.TENANT_ADMIN);
      config.put(
          "salons.provisioning.tenant-database.admin-password",
          servers.secret("DB_TENANTS_PASSWORD"));
      config.put(
          "salons.provisioning.tenant-database.port", String.valueOf(servers.postgresPort()));
      config.put("salons.provisioning.tenant-database.backup-dir", "target/backups");
      config.put("salons.provisioning.backups.dir", "target/instance-backups");
      config.put(
          "salons.provisioning.backups.key",
          LocalServers.backupKey(servers.secret("DB_TENANTS_PASSWORD")));
      config.put("salons.provisioning.local.work-dir", "target/instances");
      // No billing service runs in provisioning's tests: the samples are checked as built.
      config.put("salons.provisioning.usage-every", "off");
      // Custom domains are looked up by the tests that say so, on a DNS server of their own.
      config.put("salons.provisioning.domains.check-every", "off");
      // Billing's quota events are read by the tests that say so (WebhookTest), not on a timer.
      config.put("salons.provisioning.quota-events-every", "off");
      config.put("salons.provisioning.backups.check-every", "off");
    }
    if (service == Service.COMMONS) {
      config.put("quarkus.rest-client.identity.url", servers.identityUrl());
      // A real provisioning service, running the commons server (a real Synapse) on this machine.
      config.put("quarkus.rest-client.provisioning.url", servers.provisioningUrl());
      config.put("salons.commons.appservice-token", servers.secret(LocalServers.COMMONS_TOKEN));
      config.put("salons.commons.sync-every", "1s");
      // The digest's email goes to the build's mail catcher.
      config.put("quarkus.mailer.host", "127.0.0.1");
      config.put("quarkus.mailer.port", String.valueOf(servers.mailPort()));
    }
    if (service == Service.PORTAL) {
      // Keycloak accepts redirects only to the portal URL the realm was imported with.
      config.put("quarkus.http.test-port", String.valueOf(servers.portalPort()));
      if (withBackends) {
        // The real services behind the portal (init argument backends=true, restricted to the
        // test class that asks): identity, the commons with its real commons server, and the
        // provisioning service that runs it.
        config.put("quarkus.rest-client.identity.url", servers.identityUrl());
        config.put("quarkus.rest-client.commons.url", servers.commonsUrl());
        config.put("quarkus.rest-client.provisioning.url", servers.provisioningUrl());
      }
    }
    return config;
  }

  @Override
  public void stop() {
    // The servers outlive the test class: they are shared by the whole build.
  }

  /** One port per JVM: identity, started once, keeps claiming from it across restarts. */
  private static Integer billingPort;

  private static synchronized int billingPort() {
    if (billingPort == null) {
      billingPort = TestServers.freePort();
    }
    return billingPort;
  }
}
