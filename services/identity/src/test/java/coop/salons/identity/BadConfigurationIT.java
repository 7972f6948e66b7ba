package coop.salons.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.local.LocalPlatform;
import coop.salons.local.Service;
import coop.salons.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, started with a wrong setting, stops at once with one sentence that names
 * the setting, not a wall of stack traces. (Shared by every service: the main class is common.)
 */
class BadConfigurationIT {

  record Outcome(int exitCode, String output) {}

  /** The packaged service with good settings, changed by {@code env}. */
  private static Process launch(Map<String, String> env, ProcessBuilder.Redirect output)
      throws IOException {
    TestServers servers = TestServers.get();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toString()));
    Map<String, String> e = pb.environment();
    e.put("QUARKUS_HTTP_PORT", String.valueOf(LocalPlatform.freePort()));
    e.put("QUARKUS_DATASOURCE_JDBC_URL", servers.jdbcUrl(Service.IDENTITY));
    e.put("QUARKUS_DATASOURCE_USERNAME", Service.IDENTITY.role());
    e.put("QUARKUS_DATASOURCE_PASSWORD", servers.secret(Service.IDENTITY.dbPasswordName()));
    e.put("QUARKUS_OIDC_AUTH_SERVER_URL", servers.realmUrl());
    e.put("QUARKUS_OIDC_CREDENTIALS_SECRET", servers.secret(Service.IDENTITY.clientSecretName()));
    e.put("QUARKUS_KEYCLOAK_ADMIN_CLIENT_SERVER_URL", servers.keycloakUrl());
    e.putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(output);
    return pb.start();
  }

  private Outcome start(Map<String, String> env) throws IOException, InterruptedException {
    Process p = launch(env, ProcessBuilder.Redirect.PIPE);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the service did not stop on a bad setting");
    }
    return new Outcome(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static void assertNoStackTrace(String output) {
    assertFalse(output.contains("\tat "), () -> "a stack trace was printed:\n" + output);
  }

  @Test
  void anUnreachableDatabaseIsNamed() throws Exception {
    int closed = LocalPlatform.freePort();
    Outcome o =
        start(
            Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://localhost:" + closed + "/identity"));
    assertNotEquals(0, o.exitCode());
    assertTrue(o.output().contains("Salons cannot start"), o.output());
    assertTrue(o.output().contains("quarkus.datasource.jdbc.url"), o.output());
    assertTrue(o.output().contains("localhost:" + closed), o.output());
    assertNoStackTrace(o.output());
  }

  @Test
  void aWrongKeycloakUrlIsNamed() throws Exception {
    int closed = LocalPlatform.freePort();
    Outcome o =
        start(
            Map.of(
                "QUARKUS_OIDC_AUTH_SERVER_URL", "http://localhost:" + closed + "/realms/salons"));
    assertNotEquals(0, o.exitCode());
    assertTrue(o.output().contains("quarkus.oidc.auth-server-url"), o.output());
    assertNoStackTrace(o.output());
  }

  @Test
  void aRealmThatDoesNotExistIsNamed() throws Exception {
    Outcome o =
        start(
            Map.of(
                "QUARKUS_OIDC_AUTH_SERVER_URL",
                TestServers.get().keycloakUrl() + "/realms/no-such-realm"));
    assertNotEquals(0, o.exitCode());
    assertTrue(o.output().contains("quarkus.oidc.auth-server-url"), o.output());
    assertNoStackTrace(o.output());
  }

  @Test
  void goodSettingsStart() throws Exception {
    // The control: with the same launcher and good settings the service is still running.
    Process p = launch(Map.of(), ProcessBuilder.Redirect.DISCARD);
    try {
      assertFalse(p.waitFor(15, TimeUnit.SECONDS), "the service stopped with good settings");
    } finally {
      p.destroy();
      assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
    }
  }
}
