package coop.salons.common.boot;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks, before a service takes traffic, that the servers it depends on answer: the database and
 * the Keycloak realm. A failure stops the start with a message that names the setting to fix.
 */
@Singleton
public class StartupChecks {

  @ConfigProperty(name = "quarkus.oidc.auth-server-url")
  Optional<String> authServerUrl;

  @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true")
  boolean oidcEnabled;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  Optional<String> jdbcUrl;

  @ConfigProperty(name = "salons.startup-checks.enabled", defaultValue = "true")
  boolean enabled;

  @ConfigProperty(name = "salons.startup-checks.timeout", defaultValue = "PT10S")
  Duration timeout;

  @jakarta.inject.Inject Instance<AgroalDataSource> dataSource;

  void onStart(@Observes @Priority(1) StartupEvent event) {
    if (!enabled) {
      return;
    }
    checkDatabase();
    checkKeycloak();
  }

  void checkDatabase() {
    if (jdbcUrl.isEmpty() || !dataSource.isResolvable()) {
      return;
    }
    try (Connection c = dataSource.get().getConnection()) {
      if (!c.isValid((int) Math.max(1, timeout.toSeconds()))) {
        throw new IllegalStateException("the connection is not valid");
      }
    } catch (Exception e) {
      throw new StartupCheckException(
          "the database at "
              + jdbcUrl.get()
              + " does not answer ("
              + e.getMessage()
              + "). Check quarkus.datasource.jdbc.url (QUARKUS_DATASOURCE_JDBC_URL).",
          e);
    }
  }

  void checkKeycloak() {
    if (!oidcEnabled || authServerUrl.isEmpty()) {
      return;
    }
    String discovery =
        authServerUrl.get().replaceAll("/+$", "") + "/.well-known/openid-configuration";
    String problem;
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
      HttpResponse<Void> answer =
          client.send(
              HttpRequest.newBuilder(URI.create(discovery)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() == 200) {
        return;
      }
      problem = "it answered HTTP " + answer.statusCode() + " for " + discovery;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    } catch (Exception e) {
      problem =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    throw new StartupCheckException(
        "the Keycloak realm at "
            + authServerUrl.get()
            + " does not answer ("
            + problem
            + "). Check quarkus.oidc.auth-server-url (QUARKUS_OIDC_AUTH_SERVER_URL); it must end"
            + " with /realms/salons.",
        null);
  }
}
