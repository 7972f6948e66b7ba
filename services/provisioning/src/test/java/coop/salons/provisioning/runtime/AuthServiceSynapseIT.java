package coop.salons.provisioning.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.model.DesiredState;
import coop.salons.provisioning.model.Federation;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.model.PlanLimits;
import coop.salons.testing.SalonsTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code homeserver.yaml} of a Matrix instance whose members sign in through the Matrix
 * Authentication Service (docs/adr/0038), run by the real Synapse 1.163 on the real tenants'
 * PostgreSQL: Synapse checks the MAS section against the rest of its configuration when it starts.
 * MAS itself is not on any registry this build reaches, so none runs here: what is shown is that
 * Synapse accepts the configuration, hands sign-in over (it no longer answers {@code /login}, and
 * asks MAS about every token), and refuses the same file with its own SSO put back. The operator
 * guide gives the checks by hand with a MAS binary.
 */
@QuarkusTest
@TestProfile(LocalSynapseIT.LocalRuntimeProfile.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class AuthServiceSynapseIT {

  @Inject ChatRuntime runtime;
  @Inject LocalRuntime local;
  @Inject TenantDatabases databases;
  @Inject ProvisioningConfig config;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void synapseStartsWithSignInDelegatedAndRefusesItsOwnSsoBeside() throws Exception {
    UUID id = UUID.randomUUID();
    String db = InstanceSpec.databaseName(id);
    InstanceSpec spec =
        new InstanceSpec(
            id,
            "mas-check",
            "chat",
            "MAS",
            Flavour.MATRIX,
            config.images().synapse(),
            config.images().synapseVersion(),
            "chat.mas-check.chat.localhost",
            new PlanLimits("small", 50, 10, 500, 1024, LoginMode.ACCOUNTS),
            Federation.OFF,
            0,
            0,
            "12h",
            List.of(),
            false,
            new InstanceSpec.Database(
                config.tenantDatabase().host(), config.tenantDatabase().port(), db, db),
            "http://localhost/realms/salons",
            "http://localhost:8082",
            1,
            false,
            true,
            true);
    Map<String, String> fresh = InstanceSecrets.generate(Flavour.MATRIX);
    fresh.putAll(InstanceSecrets.generateForAuthService());
    fresh.put(InstanceSecrets.OIDC_CLIENT_SECRET, InstanceSecrets.token(32));
    ChatRuntime.Secrets secrets = runtime.secrets(spec, fresh);
    databases.ensure(db, secrets.values().get(InstanceSecrets.DB_PASSWORD), true);
    databases.ensureAuthService(db);
    Placement placement = runtime.placement(spec, 18490);
    try {
      runtime.apply(
          spec,
          placement,
          DesiredState.of(spec, placement, secrets.values(), config.cluster()),
          secrets);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!runtime.ready(spec, placement)) {
        assertTrue(
            runtime.crashed(spec).isEmpty(), () -> "Synapse stopped: " + runtime.crashed(spec));
        assertTrue(System.nanoTime() < deadline, "Synapse did not answer within 3 minutes");
        Thread.sleep(500);
      }
      String url = placement.publicUrl();
      // Synapse runs, and answers the client API...
      assertEquals(200, get(url + "_matrix/client/versions", null).statusCode());
      // ...but no longer signs anyone in itself: /login is MAS's (the ingress sends it there)...
      assertEquals(404, get(url + "_matrix/client/v3/login", null).statusCode());
      // ...and it asks MAS about every token (none runs here: it says it cannot check it).
      HttpResponse<String> whoami = get(url + "_matrix/client/v3/account/whoami", "not-a-token");
      assertEquals(503, whoami.statusCode(), whoami.body());
      assertTrue(whoami.body().contains("introspect"), whoami.body());

      // The same configuration with Synapse's own SSO put back is refused at start.
      Path config = Path.of(placement.configDir(), "homeserver.yaml");
      Path refused = Files.createTempFile("homeserver-sso-", ".yaml");
      Files.writeString(
          refused,
          Files.readString(config)
              + "\noidc_providers:\n- idp_id: salons\n  idp_name: Salons\n"
              + "  issuer: http://localhost/realms/salons\n"
              + "  client_id: x\n  client_secret: y\n");
      Process check =
          new ProcessBuilder(
                  local.synapsePython().toString(),
                  "-m",
                  "synapse.app.homeserver",
                  "--config-path",
                  refused.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(check.waitFor(2, TimeUnit.MINUTES));
      assertNotEquals(0, check.exitValue(), out);
      assertTrue(out.contains("SSO cannot be enabled when OAuth delegation is enabled"), out);
      Files.delete(refused);
    } finally {
      runtime.delete(spec);
      databases.drop(db);
    }
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
