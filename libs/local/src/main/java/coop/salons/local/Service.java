package coop.salons.local;

import java.util.Locale;

/**
 * The five Salons services, with what each needs locally: a port, a database, a Keycloak client.
 * They start in this order (the portal last, once the APIs it calls answer).
 */
public enum Service {
  IDENTITY(8082),
  PROVISIONING(8081),
  BILLING(8083),
  COMMONS(8084),
  PORTAL(8080);

  private final int defaultPort;

  Service(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  /** The module folder under {@code services/}, the database name and the short name. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** The PostgreSQL role that owns the service's database. */
  public String role() {
    return "salons_" + id();
  }

  /** The Keycloak client of the service in the salons realm. */
  public String clientId() {
    return "salons-" + id();
  }

  /** The realm-import variable that carries the client's secret. */
  public String clientSecretName() {
    return "SALONS_" + name() + "_CLIENT_SECRET";
  }

  /** The name of the secret holding the database role's password. */
  public String dbPasswordName() {
    return "DB_" + name() + "_PASSWORD";
  }
}
