package coop.salons.provisioning.runtime;

import static coop.salons.provisioning.Fixture.as;
import static coop.salons.provisioning.Fixture.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.provisioning.Fixture;
import coop.salons.testing.SalonsTestResource;
import coop.salons.testing.TestServers.TestUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real Synapse, started by the local runtime from the configuration the platform renders, on the
 * real PostgreSQL (its own role and database) and signing in against the real Keycloak realm with
 * the OIDC client the real identity service created. Creating the Synapse virtualenv is part of the
 * first run (about half a minute).
 */
@QuarkusTest
@TestProfile(LocalSynapseIT.LocalRuntimeProfile.class)
@QuarkusTestResource(
    value = SalonsTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "provisioning"))
class LocalSynapseIT {

  /**
   * The local runtime, with its supervisor running on its own, as in {@code ./salons run}; in a
   * schema of its own, emptied at start, so that it runs no instance of the other tests.
   */
  public static class LocalRuntimeProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.ofEntries(
          Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.currentSchema", "local_it"),
          Map.entry("quarkus.flyway.schemas", "local_it"),
          Map.entry("quarkus.flyway.clean-disabled", "false"),
          Map.entry("quarkus.flyway.clean-at-start", "true"),
          Map.entry("quarkus.hibernate-orm.database.default-schema", "local_it"),
          Map.entry("salons.provisioning.runtime", "local"),
          Map.entry("salons.provisioning.supervisor.interval", "0.5s"),
          Map.entry("salons.provisioning.supervisor.readiness-poll", "PT0.5S"),
          Map.entry("salons.provisioning.local.first-port", "18400"));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void aRenderedSynapseBootsAnswersAndSendsItsUsersToKeycloak() throws Exception {
    TestUser owner = Fixture.user("ada");
    String org = Fixture.organization(owner);
    as(owner)
        .body(Map.of("slug", "chat", "flavour", "matrix", "federation", "off"))
        .post(path(org))
        .then()
        .statusCode(202);

    String state = "requested";
    String url = null;
    long deadline = System.currentTimeMillis() + Duration.ofMinutes(4).toMillis();
    while (System.currentTimeMillis() < deadline) {
      var view = as(owner).get(path(org) + "/chat").then().statusCode(200).extract();
      state = view.path("state");
      url = view.path("url");
      if (state.equals("ready") || state.equals("failed")) {
        break;
      }
      Thread.sleep(1000);
    }
    assertEquals(
        "ready",
        state,
        "instance: " + as(owner).get(path(org) + "/chat").then().extract().asString());

    // Synapse answers the Matrix client API...
    HttpResponse<String> versions = get(url + "_matrix/client/versions");
    assertEquals(200, versions.statusCode());
    assertTrue(JSON.readTree(versions.body()).get("versions").size() > 0);

    // ...offers single sign-on only...
    JsonNode flows = JSON.readTree(get(url + "_matrix/client/v3/login").body()).get("flows");
    assertEquals("m.login.sso", flows.get(0).get("type").asText(), flows.toString());
    assertEquals("oidc-salons", flows.get(0).at("/identity_providers/0/id").asText());
    for (JsonNode flow : flows) {
      assertTrue(!flow.get("type").asText().equals("m.login.password"), "no passwords: " + flows);
    }

    // ...and sends the browser to the Keycloak realm with the instance's own client,
    String back = URLEncoder.encode("http://localhost/after-login", StandardCharsets.UTF_8);
    HttpResponse<String> sso =
        get(url + "_matrix/client/v3/login/sso/redirect/oidc-salons?redirectUrl=" + back);
    assertEquals(302, sso.statusCode(), sso.body());
    String location = sso.headers().firstValue("Location").orElseThrow();
    String realm = Fixture.servers().realmUrl();
    assertTrue(location.startsWith(realm + "/protocol/openid-connect/auth?"), location);
    String id = as(owner).get(path(org) + "/chat").then().extract().path("id");
    assertTrue(location.contains("client_id=instance-" + id), location);

    // whose login page Keycloak shows (it refuses a client or redirect URI it doesn't know).
    HttpResponse<String> login = get(location);
    assertEquals(200, login.statusCode(), login.body());
    assertTrue(login.body().contains("kc-form-login") || login.body().contains("username"));
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
