package coop.salons.provisioning.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import coop.salons.provisioning.Fixture;
import coop.salons.provisioning.database.TenantDatabases;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.MasRenderer;
import coop.salons.provisioning.supervisor.Reconciler;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Matrix instance made on this machine where the hoster named a MAS binary (docs/adr/0038): the
 * platform makes MAS's database beside the instance's, gives the realm's client MAS's callback,
 * writes MAS's configuration, starts MAS from its own folder beside the real Synapse 1.163 (on the
 * real tenants' PostgreSQL), and counts the instance ready once both answer.
 *
 * <p><b>MAS itself is a stand-in here</b>: it is not on any registry this build reaches. The
 * stand-in is a shell script in MAS's place that records how it was started and answers MAS's
 * health check on the port the rendered configuration gives it, nothing else. What the real MAS
 * does with the configuration was checked by hand (the operator guide gives the commands); what is
 * shown here is the platform's side, and that the real Synapse accepts the delegation: it no longer
 * answers {@code /login}, asks MAS about every token, and refuses the same file with its own SSO
 * put back.
 */
@QuarkusTest
@TestProfile(AuthServiceSynapseIT.WithAuthService.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class AuthServiceSynapseIT {

  /** Where the stand-in for MAS's release is put: {@code mas-cli} and its {@code share/}. */
  static final Path RELEASE = Path.of("target/mas-stand-in").toAbsolutePath();

  /** The local runtime of {@code ./salons run}, with a MAS binary named. */
  public static class WithAuthService extends LocalSynapseIT.LocalRuntimeProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> c = new java.util.HashMap<>(super.getConfigOverrides());
      c.put("salons.provisioning.mas.binary", RELEASE.resolve("mas-cli").toString());
      c.put("salons.provisioning.local.first-port", "18600");
      return c;
    }
  }

  /**
   * In MAS's place: records its arguments, folder and process, then serves its {@code share/}
   * folder (which holds a file named {@code health}) on the address of the configuration's second
   * listener, as MAS answers {@code /health} there.
   */
  private static final String STAND_IN =
      """
      #!/bin/sh
      # A stand-in for MAS's mas-cli (not the real MAS): see AuthServiceSynapseIT.
      printf '%s\n' "$*" > started-with
      pwd > started-in
      echo $$ > pid
      config="$3"
      compat=$(grep -o 'address: 127.0.0.1:[0-9]*' "$config" | sed -n 2p | cut -d: -f3)
      exec python3 -m http.server "$compat" --bind 127.0.0.1 --directory share
      """;

  @Inject ChatRuntime runtime;
  @Inject LocalRuntime local;
  @Inject TenantDatabases databases;
  @Inject Reconciler reconciler;

  private static final ObjectMapper YAML = new YAMLMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void anInstanceSignsInThroughMasRunBesideSynapse() throws Exception {
    Files.createDirectories(RELEASE.resolve("share"));
    Files.writeString(RELEASE.resolve("share/health"), "ok");
    Files.writeString(RELEASE.resolve("mas-cli"), STAND_IN);
    RELEASE.resolve("mas-cli").toFile().setExecutable(true);

    TestUser owner = Fixture.user("grace");
    String org = Fixture.organization(owner);
    JsonNode view = Fixture.matrixInstance(owner, org, "phones");
    assertEquals("ready", view.path("state").asText(), view.toString());
    assertEquals("mas", view.path("signIn").asText());
    UUID id = UUID.fromString(view.path("id").asText());
    InstanceSpec spec =
        QuarkusTransaction.requiringNew()
            .call(() -> reconciler.spec(Instance.<Instance>findById(id)));
    var placement = runtime.placement(spec, reconciler.localPortOf(id));
    var at = placement.authService().orElseThrow();

    // MAS was started from its release's folder with the rendered configuration...
    Path config = Path.of(placement.configDir(), "config.yaml");
    assertEquals(
        "server --config " + config, Files.readString(RELEASE.resolve("started-with")).strip());
    assertEquals(RELEASE.toString(), Files.readString(RELEASE.resolve("started-in")).strip());
    JsonNode mas = YAML.readTree(config.toFile());
    assertEquals(at.publicBase(), mas.at("/http/public_base").asText());
    assertEquals(
        "http://localhost:" + (placement.port() + 2) + "/auth/", at.publicBase(), "port + 2");
    assertEquals(placement.serverName(), mas.at("/matrix/homeserver").asText());
    assertEquals("http://127.0.0.1:" + placement.port(), mas.at("/matrix/endpoint").asText());
    assertEquals("instance-" + id, mas.at("/upstream_oauth2/providers/0/client_id").asText());
    // ...its secrets in the instance's owner-only folder, as files it names...
    for (String file : List.of("mas-signing-key", "mas-encryption", "mas-shared-secret")) {
      Path secret = Path.of(placement.secretsDir(), file);
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
      assertFalse(Files.readString(config).contains(Files.readString(secret).strip()), file);
    }
    // ...its database made beside the instance's (made already: ensuring it again makes nothing)...
    assertFalse(databases.ensureAuthService(spec.database().name()));
    // ...and the realm sends members back to it after they sign in.
    String redirect = Fixture.clientRedirect(id);
    assertEquals(MasRenderer.callbackUrl(spec, placement), redirect);
    assertEquals(at.publicBase() + "upstream/callback/" + MasRenderer.providerId(id), redirect);

    String url = placement.publicUrl();
    // Synapse runs, and answers the client API...
    assertEquals(200, get(url + "_matrix/client/versions", null).statusCode());
    // ...but no longer signs anyone in itself: /login is MAS's...
    assertEquals(404, get(url + "_matrix/client/v3/login", null).statusCode());
    // ...and it asks MAS about every token (the stand-in cannot answer: Synapse says so).
    HttpResponse<String> whoami = get(url + "_matrix/client/v3/account/whoami", "not-a-token");
    assertEquals(503, whoami.statusCode(), whoami.body());
    assertTrue(whoami.body().contains("introspect"), whoami.body());

    // The same configuration with Synapse's own SSO put back is refused at start.
    Path hs = Path.of(placement.configDir(), "homeserver.yaml");
    Path refused = Files.createTempFile("homeserver-sso-", ".yaml");
    Files.writeString(
        refused,
        Files.readString(hs)
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

    // When MAS stops, the instance's server is said to have stopped, with MAS's own words.
    long pid = Long.parseLong(Files.readString(RELEASE.resolve("pid")).strip());
    ProcessHandle.of(pid).orElseThrow().destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (runtime.crashed(spec).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "MAS's end was not seen");
      Thread.sleep(200);
    }
    assertTrue(
        runtime.crashed(spec).orElseThrow().startsWith("the authentication service (MAS) stopped"),
        runtime.crashed(spec).orElseThrow());
    assertFalse(runtime.ready(spec, placement));
  }

  /** Without the binary, an instance made to sign in through MAS fails with what to set. */
  @Test
  void withoutItsBinaryTheInstanceSaysWhatToSet() throws Exception {
    TestUser owner = Fixture.user("hedy");
    String org = Fixture.organization(owner);
    Files.deleteIfExists(RELEASE.resolve("mas-cli"));
    JsonNode view = Fixture.matrixInstance(owner, org, "nobinary");
    assertEquals("failed", view.path("state").asText(), view.toString());
    assertTrue(
        view.toString().contains("salons.provisioning.mas.binary"), "says what to set: " + view);
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
