package coop.salons.provisioning.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An exit bundle's texts against golden copies, and what they must never carry: the platform's own
 * secrets. That the Synapse bundle really runs outside the platform is {@code ExitBundleIT}'s.
 */
class ExitBundleTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static ExitBundle.Source source(Flavour flavour, int retentionDays) {
    Map<String, String> secrets = Specs.secrets(flavour);
    return new ExitBundle.Source(
        flavour,
        flavour == Flavour.MATRIX
            ? "ghcr.io/element-hq/synapse"
            : "mattermost/mattermost-team-edition",
        flavour == Flavour.MATRIX ? "1.163.2" : "11.1.0",
        "chat.ateliers-velo.example.org",
        "https://chat.ateliers-velo.example.org/",
        "ateliers-velo",
        "chat",
        retentionDays,
        secrets,
        "0123456789abcdef0123456789abcdef");
  }

  @Test
  void synapseBundle() throws Exception {
    ExitBundle.Source s = source(Flavour.MATRIX, 365);
    Map<String, String> files = ExitBundle.render(s);
    assertEquals(
        java.util.List.of(
            "README.md",
            "LISEZMOI.md",
            "compose.yaml",
            "restore-database.sh",
            "homeserver.yaml",
            "log.config",
            "signing.key"),
        java.util.List.copyOf(files.keySet()));
    Golden.assertMatches("exit-synapse/homeserver.yaml", files.get("homeserver.yaml"));
    Golden.assertMatches("exit-synapse/compose.yaml", files.get("compose.yaml"));
    Golden.assertMatches("exit-synapse/README.md", files.get("README.md"));
    Golden.assertMatches("exit-synapse/LISEZMOI.md", files.get("LISEZMOI.md"));
    Golden.assertMatches("exit-synapse/restore-database.sh", files.get("restore-database.sh"));
    JsonNode hs = YAML.readTree(files.get("homeserver.yaml"));
    assertEquals(s.serverName(), hs.path("server_name").asText());
    assertTrue(hs.path("password_config").path("enabled").asBoolean());
    assertTrue(hs.path("oidc_providers").isMissingNode());
    assertEquals("12h", hs.at("/retention/purge_jobs/0/interval").asText());
    assertEquals(
        s.secrets().get(InstanceSecrets.SIGNING_KEY).strip() + "\n", files.get("signing.key"));
    JsonNode compose = YAML.readTree(files.get("compose.yaml"));
    assertEquals(
        "ghcr.io/element-hq/synapse:v1.163.2", compose.at("/services/synapse/image").asText());
    assertEquals(
        "service_completed_successfully",
        compose.at("/services/synapse/depends_on/restore/condition").asText());
    assertEquals(
        s.databasePassword(), compose.at("/services/db/environment/POSTGRES_PASSWORD").asText());
    assertEquals(s.databasePassword(), hs.at("/database/args/password").asText());
    neverThePlatformsSecrets(Flavour.MATRIX, files);
  }

  @Test
  void mattermostBundle() throws Exception {
    Map<String, String> files = ExitBundle.render(source(Flavour.MATTERMOST, 0));
    assertFalse(files.containsKey("homeserver.yaml"));
    Golden.assertMatches("exit-mattermost/compose.yaml", files.get("compose.yaml"));
    Golden.assertMatches("exit-mattermost/README.md", files.get("README.md"));
    JsonNode compose = YAML.readTree(files.get("compose.yaml"));
    assertEquals(
        "mattermost/mattermost-team-edition:11.1.0",
        compose.at("/services/mattermost/image").asText());
    assertEquals(
        Specs.secrets(Flavour.MATTERMOST).get(InstanceSecrets.AT_REST_KEY),
        compose.at("/services/mattermost/environment/MM_SQLSETTINGS_ATRESTENCRYPTKEY").asText());
    neverThePlatformsSecrets(Flavour.MATTERMOST, files);
  }

  /** The platform's database password and sign-in client secret stay behind. */
  private static void neverThePlatformsSecrets(Flavour flavour, Map<String, String> files) {
    Map<String, String> secrets = Specs.secrets(flavour);
    for (String kept :
        java.util.List.of(
            InstanceSecrets.DB_PASSWORD,
            InstanceSecrets.OIDC_CLIENT_SECRET,
            InstanceSecrets.MATTERMOST_ADMIN_PASSWORD)) {
      String value = secrets.get(kept);
      if (value == null || value.isEmpty()) {
        continue;
      }
      files.forEach((name, text) -> assertFalse(text.contains(value), kept + " found in " + name));
    }
  }
}
