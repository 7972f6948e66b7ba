package coop.salons.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The chart, linted and rendered by the real Helm (embedded through helm-java). What this cannot
 * check: that a real API server accepts the objects, which needs a cluster.
 */
class ChartTest {

  private static final Path CHART = Path.of("salons");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
    String yaml = values.apply(new Helm(CHART).template().withName("salons")).call();
    List<JsonNode> objects = new ArrayList<>();
    var parser = new YAMLFactory().createParser(yaml);
    var it = new YAMLMapper().readValues(parser, JsonNode.class);
    while (it.hasNext()) {
      JsonNode node = it.next();
      if (node != null && !node.isEmpty()) {
        objects.add(node);
      }
    }
    return objects;
  }

  private static List<JsonNode> kind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The environment of a service's container, by variable name (each entry as rendered). */
  private static Map<String, JsonNode> env(List<JsonNode> objects, String service) {
    JsonNode deployment =
        kind(objects, "Deployment").stream()
            .filter(o -> o.path("metadata").path("name").asText().equals("salons-" + service))
            .findFirst()
            .orElseThrow();
    Map<String, JsonNode> env = new java.util.LinkedHashMap<>();
    deployment
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0)
        .path("env")
        .forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
  }

  @Test
  void everyObjectCarriesTheStandardLabels() throws IOException {
    List<JsonNode> objects = render(t -> t);
    assertTrue(objects.size() > 15, "objects: " + objects.size());
    for (JsonNode o : objects) {
      JsonNode labels = o.path("metadata").path("labels");
      String what = o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
      assertEquals("salons", labels.path("app.kubernetes.io/part-of").asText(), what);
      assertEquals("Helm", labels.path("app.kubernetes.io/managed-by").asText(), what);
      assertEquals("salons", labels.path("app.kubernetes.io/instance").asText(), what);
    }
  }

  @Test
  void servicesRunHardenedWithProbesAndResources() throws IOException {
    List<JsonNode> deployments = kind(render(t -> t), "Deployment");
    Set<String> names = new HashSet<>();
    for (JsonNode d : deployments) {
      String name = d.path("metadata").path("name").asText();
      names.add(name);
      if (name.endsWith("-keycloak")) {
        continue;
      }
      boolean webClient = name.endsWith("-element-web");
      JsonNode pod = d.path("spec").path("template").path("spec");
      assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name);
      JsonNode container = pod.path("containers").get(0);
      JsonNode security = container.path("securityContext");
      assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name);
      assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name);
      assertEquals("ALL", security.path("capabilities").path("drop").get(0).asText(), name);
      assertEquals(
          webClient ? "/config.json" : "/q/health/ready",
          container.path("readinessProbe").path("httpGet").path("path").asText());
      assertEquals(
          webClient ? "/config.json" : "/q/health/live",
          container.path("livenessProbe").path("httpGet").path("path").asText());
      assertFalse(container.path("resources").path("requests").isMissingNode(), name);
      // Secrets reach the containers from the Secret, never as literal values.
      for (JsonNode env : container.path("env")) {
        String key = env.path("name").asText();
        if (key.endsWith("PASSWORD") || key.endsWith("SECRET") || key.endsWith("TOKEN")) {
          assertTrue(env.path("value").isMissingNode(), name + " " + key + " is a literal");
          assertNotNull(env.path("valueFrom").path("secretKeyRef").path("key").asText(null));
        }
      }
    }
    assertTrue(
        names.containsAll(
            Set.of(
                "salons-portal",
                "salons-identity",
                "salons-provisioning",
                "salons-billing",
                "salons-commons",
                "salons-element-web")),
        names.toString());
  }

  /**
   * The shared Element Web, its nginx configuration served by a real nginx: each host it is asked
   * for gets a client configured for that host's own server, with the commons' rooms in its
   * directory; provisioning is told where it is, and nothing of it is rendered when it is off.
   */
  @Test
  void theWebClientConfiguresItselfForTheHostItServes() throws Exception {
    List<JsonNode> objects = render(t -> t.set("elementWeb.brand", "Chatons «libres» & Cie"));
    assertEquals(
        "salons-element-web.default.svc.cluster.local",
        env(objects, "provisioning")
            .get("SALONS_PROVISIONING_KUBERNETES_WEB_CLIENT")
            .path("value")
            .asText());
    String template =
        kind(objects, "ConfigMap").stream()
            .filter(c -> c.path("metadata").path("name").asText().equals("salons-element-web"))
            .findFirst()
            .orElseThrow()
            .path("data")
            .path("default.conf.template")
            .asText();
    JsonNode config = WebClientNginx.configFor(template, "chat.amis-terre.chat.example.org");
    assertEquals(
        "https://chat.amis-terre.chat.example.org",
        config.at("/default_server_config/m.homeserver/base_url").asText());
    assertEquals("Chatons «libres» & Cie", config.path("brand").asText());
    assertTrue(config.path("disable_custom_urls").asBoolean());
    assertEquals(
        List.of("chat.amis-terre.chat.example.org", "commons.chat.example.org"),
        StreamSupport.stream(config.at("/room_directory/servers").spliterator(), false)
            .map(JsonNode::asText)
            .toList());
    JsonNode other = WebClientNginx.configFor(template, "discussions.velo.org");
    assertEquals(
        "https://discussions.velo.org",
        other.at("/default_server_config/m.homeserver/base_url").asText());

    List<JsonNode> off = render(t -> t.set("elementWeb.enabled", "false"));
    assertTrue(
        off.stream()
            .noneMatch(o -> o.path("metadata").path("name").asText().contains("element-web")));
    assertFalse(env(off, "provisioning").containsKey("SALONS_PROVISIONING_KUBERNETES_WEB_CLIENT"));
  }

  @Test
  void provisioningAndTheCommonsServiceShareTheCommonsServersToken() throws IOException {
    List<JsonNode> objects = render(t -> t.set("commons.roomsPerDay", "5"));
    Map<String, JsonNode> provisioning = env(objects, "provisioning");
    Map<String, JsonNode> commons = env(objects, "commons");
    String key =
        provisioning
            .get("SALONS_PROVISIONING_COMMONS_APPSERVICE_TOKEN")
            .at("/valueFrom/secretKeyRef/key")
            .asText();
    assertEquals("SALONS_COMMONS_APPSERVICE_TOKEN", key);
    assertEquals(
        key,
        commons.get("SALONS_COMMONS_APPSERVICE_TOKEN").at("/valueFrom/secretKeyRef/key").asText());
    assertEquals("5", commons.get("SALONS_COMMONS_ROOMS_PER_DAY").path("value").asText());
    assertEquals(
        "true", provisioning.get("SALONS_PROVISIONING_COMMONS_ENABLED").path("value").asText());
    // The commons service is told where provisioning is, and every service where the commons is.
    assertTrue(commons.containsKey("SALONS_PROVISIONING_URL"), commons.keySet().toString());
    assertTrue(env(objects, "portal").containsKey("SALONS_COMMONS_URL"));
  }

  /**
   * The services' APIs on the portal's host, one path per service, rewritten to the service's own
   * paths; nothing but the API and its OpenAPI is exposed; the portal names them in its merged
   * OpenAPI. Turned off, no Ingress of an API is rendered (the operator routes them).
   */
  @Test
  void theApisAreReachableOnThePortalsHostOnePathPerService() throws IOException {
    List<JsonNode> objects = render(t -> t.set("publicUrl", "https://salons.example.org"));
    for (String service : List.of("identity", "provisioning", "billing", "commons")) {
      JsonNode ingress =
          kind(objects, "Ingress").stream()
              .filter(i -> i.at("/metadata/name").asText().endsWith("-api-" + service))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Ingress for " + service));
      JsonNode path = ingress.at("/spec/rules/0/http/paths/0");
      assertEquals("/services/" + service + "/(api/.*|q/openapi.*)", path.path("path").asText());
      assertEquals("salons.example.org", ingress.at("/spec/rules/0/host").asText());
      assertEquals(
          "/$1",
          ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1rewrite-target").asText());
      assertTrue(path.at("/backend/service/name").asText().endsWith(service));
      java.util.regex.Pattern routed = java.util.regex.Pattern.compile(path.path("path").asText());
      assertTrue(routed.matcher("/services/" + service + "/api/v1/organizations").matches());
      assertTrue(routed.matcher("/services/" + service + "/q/openapi").matches());
      assertFalse(routed.matcher("/services/" + service + "/q/metrics").matches());
    }
    assertEquals(
        "https://salons.example.org/services",
        env(objects, "portal").get("SALONS_PORTAL_PUBLIC_API").path("value").asText());
    // Mattermost instances read their users from identity's gate on that same route (ADR 30).
    assertEquals(
        "https://salons.example.org/services/identity",
        env(objects, "provisioning")
            .get("SALONS_PROVISIONING_SIGN_IN_GATE")
            .path("value")
            .asText());
    assertEquals(
        "https://salons.example.org/services/identity",
        env(objects, "identity").get("SALONS_IDENTITY_PUBLIC_URL").path("value").asText());
    // Exit bundles' links are given on that route too (ADR 33).
    assertEquals(
        "https://salons.example.org/services/provisioning",
        env(objects, "provisioning").get("SALONS_PROVISIONING_PUBLIC_URL").path("value").asText());
    List<JsonNode> off = render(t -> t.set("ingress.apis", "false"));
    assertTrue(
        kind(off, "Ingress").stream()
            .noneMatch(i -> i.at("/metadata/name").asText().contains("-api-")));
    // Routed by the operator's own controller then: the merged OpenAPI names the same paths.
    assertTrue(env(off, "portal").containsKey("SALONS_PORTAL_PUBLIC_API"));
  }

  @Test
  void onlyProvisioningGetsClusterRightsAndNoWildcards() throws IOException {
    List<JsonNode> objects = render(t -> t);
    List<JsonNode> roles = kind(objects, "ClusterRole");
    assertEquals(1, roles.size());
    for (JsonNode rule : roles.get(0).path("rules")) {
      for (String field : List.of("verbs", "resources", "apiGroups")) {
        StreamSupport.stream(rule.path(field).spliterator(), false)
            .forEach(v -> assertFalse(v.asText().contains("*"), field + " has a wildcard"));
      }
    }
    JsonNode binding = kind(objects, "ClusterRoleBinding").get(0);
    assertEquals("salons-provisioning", binding.path("subjects").get(0).path("name").asText());
    for (JsonNode d : kind(objects, "Deployment")) {
      String name = d.path("metadata").path("name").asText();
      boolean token =
          d.path("spec")
              .path("template")
              .path("spec")
              .path("automountServiceAccountToken")
              .asBoolean(true);
      assertEquals(
          name.equals("salons-provisioning"), token, name + " mounts a service account token");
    }
  }

  @Test
  void instancesBackupsAreNeverOnAScratchFolder() throws Exception {
    // By default the chart makes a claim of its own, kept when the chart is uninstalled.
    List<JsonNode> objects = render(t -> t);
    JsonNode claim =
        kind(objects, "PersistentVolumeClaim").stream()
            .filter(c -> c.path("metadata").path("name").asText().equals("salons-instance-backups"))
            .findFirst()
            .orElseThrow();
    assertEquals("keep", claim.at("/metadata/annotations/helm.sh~1resource-policy").asText());
    assertEquals("20Gi", claim.at("/spec/resources/requests/storage").asText());
    assertEquals(
        "salons-instance-backups",
        backupsVolume(objects).at("/persistentVolumeClaim/claimName").asText());
    // A claim the hoster names is used instead, and the chart makes none.
    List<JsonNode> named = render(t -> t.set("instances.backupClaim", "nfs-backups"));
    assertEquals(
        "nfs-backups", backupsVolume(named).at("/persistentVolumeClaim/claimName").asText());
    assertTrue(
        kind(named, "PersistentVolumeClaim").stream()
            .noneMatch(c -> c.path("metadata").path("name").asText().endsWith("instance-backups")));
    // No other kind of volume is accepted for them.
    Exception e =
        assertThrows(
            Exception.class,
            () -> render(t -> t.set("instances.backupVolume.accessMode", "ReadOnlyMany")));
    assertTrue(e.getMessage().contains("accessMode"), e.getMessage());
  }

  @Test
  void backupsGoToABucketWithKeysFromTheHostersSecret() throws Exception {
    List<JsonNode> objects =
        render(
            t ->
                t.set("instances.backupTarget", "s3")
                    .set("instances.backupBucket.endpoint", "https://s3.example.org")
                    .set("instances.backupBucket.bucket", "asso-backups")
                    .set("instances.backupBucket.existingSecret", "asso-s3"));
    Map<String, JsonNode> env = env(objects, "provisioning");
    assertEquals("s3", env.get("SALONS_PROVISIONING_BACKUPS_TARGET").path("value").asText());
    assertEquals(
        "https://s3.example.org",
        env.get("SALONS_PROVISIONING_BACKUPS_S3_ENDPOINT").path("value").asText());
    assertEquals(
        "asso-backups", env.get("SALONS_PROVISIONING_BACKUPS_S3_BUCKET").path("value").asText());
    assertEquals(
        "us-east-1", env.get("SALONS_PROVISIONING_BACKUPS_S3_REGION").path("value").asText());
    for (String k : List.of("ACCESS_KEY", "SECRET_KEY")) {
      JsonNode ref = env.get("SALONS_PROVISIONING_BACKUPS_S3_" + k).at("/valueFrom/secretKeyRef");
      assertEquals("asso-s3", ref.path("name").asText(), k);
      assertTrue(env.get("SALONS_PROVISIONING_BACKUPS_S3_" + k).path("value").isMissingNode(), k);
    }
    // Still written on a claim first, never a scratch folder.
    backupsVolume(objects);
    // The volume by default: none of it rendered.
    assertFalse(
        env(render(t -> t), "provisioning").containsKey("SALONS_PROVISIONING_BACKUPS_TARGET"));
    // A bucket without its name or its keys is refused by name.
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                render(
                    t ->
                        t.set("instances.backupTarget", "s3")
                            .set("instances.backupBucket.bucket", "asso-backups")));
    assertTrue(e.getMessage().contains("existingSecret"), e.getMessage());
    e =
        assertThrows(
            Exception.class,
            () -> render(t -> t.set("instances.backupBucket.endpoint", "ftp://s3.example.org")));
    assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
  }

  /** The image of the backup pod on Kubernetes (ADR 37): pinned in one place, checked. */
  @Test
  void theBackupPodsImageIsTheHostersChoiceAndAnImageReference() throws Exception {
    assertEquals(
        "docker.io/library/postgres:17",
        env(render(t -> t), "provisioning")
            .get("SALONS_PROVISIONING_BACKUPS_IMAGE")
            .path("value")
            .asText());
    assertEquals(
        "registry.example.org/mirror/postgres:17.11",
        env(
                render(
                    t ->
                        t.set(
                            "instances.backupImage", "registry.example.org/mirror/postgres:17.11")),
                "provisioning")
            .get("SALONS_PROVISIONING_BACKUPS_IMAGE")
            .path("value")
            .asText());
    Exception e =
        assertThrows(
            Exception.class,
            () -> render(t -> t.set("instances.backupImage", "postgres:17 --privileged")));
    assertTrue(e.getMessage().contains("backupImage"), e.getMessage());
  }

  /**
   * The Matrix Authentication Service beside new Matrix instances (ADR 38): off unless the hoster
   * turns it on, its image and version pinned in the values and checked.
   */
  @Test
  void theAuthenticationServiceIsTheHostersChoiceWithAPinnedVersion() throws Exception {
    Map<String, JsonNode> byDefault = env(render(t -> t), "provisioning");
    assertEquals("false", byDefault.get("SALONS_PROVISIONING_MAS_ENABLED").path("value").asText());
    assertEquals(
        "ghcr.io/element-hq/matrix-authentication-service",
        byDefault.get("SALONS_PROVISIONING_MAS_IMAGE").path("value").asText());
    assertEquals("1.22.0", byDefault.get("SALONS_PROVISIONING_MAS_VERSION").path("value").asText());
    assertEquals(
        "true",
        env(render(t -> t.set("instances.authService.enabled", "true")), "provisioning")
            .get("SALONS_PROVISIONING_MAS_ENABLED")
            .path("value")
            .asText());
    Exception e =
        assertThrows(
            Exception.class, () -> render(t -> t.set("instances.authService.version", "latest")));
    assertTrue(e.getMessage().contains("version"), e.getMessage());
  }

  /** The provisioning pod's volume named backups. */
  private static JsonNode backupsVolume(List<JsonNode> objects) {
    JsonNode d =
        kind(objects, "Deployment").stream()
            .filter(o -> o.path("metadata").path("name").asText().equals("salons-provisioning"))
            .findFirst()
            .orElseThrow();
    for (JsonNode v : d.at("/spec/template/spec/volumes")) {
      if (v.path("name").asText().equals("backups")) {
        assertTrue(v.path("emptyDir").isMissingNode(), "backups on a scratch folder");
        return v;
      }
    }
    throw new AssertionError("no backups volume");
  }

  @Test
  void provisioningRunsInstancesOnKubernetesWithTheTenantsServer() throws IOException {
    Map<String, JsonNode> env =
        env(render(t -> t.set("instances.baseDomain", "chat.salons.example.org")), "provisioning");
    assertEquals("kubernetes", env.get("SALONS_PROVISIONING_RUNTIME").path("value").asText());
    assertEquals(
        "chat.salons.example.org",
        env.get("SALONS_PROVISIONING_BASE_DOMAIN").path("value").asText());
    assertEquals(
        "DB_TENANTS_PASSWORD",
        env.get("SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_PASSWORD")
            .path("valueFrom")
            .path("secretKeyRef")
            .path("key")
            .asText());
    assertTrue(
        env.get("SALONS_PROVISIONING_TENANT_DATABASE_ADMIN_JDBC_URL")
            .path("value")
            .asText()
            .startsWith("jdbc:postgresql://"));
    assertEquals("03:00", env.get("SALONS_PROVISIONING_FEDERATION_LIST_AT").path("value").asText());
    assertEquals("5m", env.get("SALONS_PROVISIONING_DOMAINS_CHECK_EVERY").path("value").asText());
    assertFalse(env.containsKey("SALONS_PROVISIONING_DOMAINS_DNS_SERVER"), "the pod's resolver");
  }

  @Test
  void theCommonsSettlingTimeAndTheDnsLookUpsAreTheOperatorsToSet() throws IOException {
    Map<String, JsonNode> env =
        env(
            render(
                t ->
                    t.set("instances.federationListAt", "04:30")
                        .set("instances.domains.checkEvery", "off")
                        .set("instances.domains.dnsServer", "dns.internal.example.org:5353")),
            "provisioning");
    assertEquals("04:30", env.get("SALONS_PROVISIONING_FEDERATION_LIST_AT").path("value").asText());
    assertEquals("off", env.get("SALONS_PROVISIONING_DOMAINS_CHECK_EVERY").path("value").asText());
    assertEquals(
        "dns.internal.example.org:5353",
        env.get("SALONS_PROVISIONING_DOMAINS_DNS_SERVER").path("value").asText());
  }

  @Test
  void theRealmIsTheRepositorysDefinitionWithoutTheDemoUser() throws IOException {
    JsonNode repoRealm = JSON.readTree(Files.readString(CHART.resolve("files/salons-realm.json")));
    JsonNode rendered = realm(render(t -> t));
    assertEquals(repoRealm.path("clients"), rendered.path("clients"));
    assertTrue(rendered.path("organizationsEnabled").asBoolean());
    assertFalse(usernames(rendered).contains("demo"));
    assertTrue(usernames(rendered).contains("service-account-salons-identity"));

    JsonNode withDemo = realm(render(t -> t.set("keycloak.demoUser", true)));
    assertTrue(usernames(withDemo).contains("demo"));
  }

  /**
   * The Secret is a pre-install hook (generated once, never regenerated by an upgrade), and the
   * embedded Helm's template leaves hooks out: the test renders a copy of the chart whose Secret is
   * an ordinary object, and checks the hook annotations on the source.
   */
  @Test
  void secretsAreGeneratedOnceAndDistinct() throws IOException {
    String template = Files.readString(CHART.resolve("templates/secret.yaml"));
    // Not a hook: Helm deletes a hook's object and makes it anew at each install.
    assertFalse(template.contains("helm.sh/hook"), "the generated secrets are no hook");
    List<JsonNode> secrets = kind(render(t -> t), "Secret");
    assertEquals(1, secrets.size());
    JsonNode secret = secrets.get(0);
    assertEquals(
        "keep", secret.at("/metadata/annotations").path("helm.sh/resource-policy").asText());
    assertNotNull(secret);
    Set<String> values = new HashSet<>();
    secret.path("data").fields().forEachRemaining(e -> values.add(e.getValue().asText()));
    assertEquals(17, secret.path("data").size());
    assertEquals(17, values.size(), "two generated secrets are equal");
    assertTrue(kind(render(t -> t.set("existingSecret", "my-secrets")), "Secret").isEmpty());
  }

  @Test
  void externalServersAreUsedWhenNamed() throws IOException {
    List<JsonNode> objects =
        render(
            t ->
                t.set("keycloak.bundled.enabled", false)
                    .set("keycloak.realmUrl", "https://login.example.org/realms/salons")
                    .set("postgresql.bundled.enabled", false)
                    .set("postgresql.host", "db.example.org"));
    assertTrue(kind(objects, "StatefulSet").isEmpty());
    Map<String, JsonNode> env = env(objects, "identity");
    assertEquals(
        "https://login.example.org/realms/salons",
        env.get("QUARKUS_OIDC_AUTH_SERVER_URL").path("value").asText());
    assertEquals(
        "jdbc:postgresql://db.example.org:5432/identity",
        env.get("QUARKUS_DATASOURCE_JDBC_URL").path("value").asText());
  }

  /**
   * The alerts are rendered only when asked for, and only where the Prometheus Operator's kind
   * exists: rendered without a cluster that has it, there are none and nothing fails. Their content
   * is checked where they are installed (InstalledChartTest).
   */
  @Test
  void alertsAreRenderedOnlyWhenAskedAndPossible() throws Exception {
    assertTrue(kind(render(t -> t), "PrometheusRule").isEmpty(), "off by default");
    assertTrue(
        kind(render(t -> t.set("monitoring.prometheusRule.enabled", true)), "PrometheusRule")
            .isEmpty(),
        "no Prometheus Operator where this renders");
  }

  @Test
  void anExternalKeycloakWithoutItsUrlIsRefusedByName() {
    Exception e =
        assertThrows(Exception.class, () -> render(t -> t.set("keycloak.bundled.enabled", false)));
    assertTrue(e.getMessage().contains("keycloak.realmUrl is required"), e.getMessage());
  }

  @Test
  void billingReadsTheCostModelFromTheValues() throws IOException {
    List<JsonNode> objects = render(t -> t);
    JsonNode costs =
        kind(objects, "ConfigMap").stream()
            .filter(o -> o.path("metadata").path("name").asText().equals("salons-billing-costs"))
            .findFirst()
            .orElseThrow();
    String properties = costs.path("data").path("billing.properties").asText();
    assertTrue(properties.contains("salons.billing.prices.core-hour=0.0250\n"), properties);
    assertTrue(
        properties.contains("salons.billing.fixed-costs.offsite-backups=12.00\n"), properties);
    String env = env(objects, "billing").values().toString();
    assertTrue(env.contains("file:/etc/salons/billing.properties"), env);
  }

  /**
   * What the chart sets from other values cannot be set again under a service's {@code env} (the
   * schema refuses it, so no variable is ever defined twice), for every variable the chart renders.
   */
  @Test
  void noVariableTheChartSetsCanBeSetTwice() throws IOException {
    List<JsonNode> objects = render(t -> t);
    Map<String, String> serviceOf = new java.util.TreeMap<>();
    for (String service : List.of("portal", "identity", "provisioning", "billing", "commons")) {
      env(objects, service).keySet().forEach(name -> serviceOf.putIfAbsent(name, service));
    }
    assertTrue(serviceOf.size() > 30, serviceOf.keySet().toString());
    for (Map.Entry<String, String> e : serviceOf.entrySet()) {
      String key = "services." + e.getValue() + ".env." + e.getKey();
      Exception refused = assertThrows(Exception.class, () -> render(t -> t.set(key, "x")), key);
      assertTrue(refused.getMessage().contains("schema"), key + ": " + refused.getMessage());
    }
    Exception unknown =
        assertThrows(
            Exception.class, () -> render(t -> t.set("services.billing.env.PATH", "/tmp")));
    assertTrue(unknown.getMessage().contains("PATH"), unknown.getMessage());
  }

  /**
   * Every setting the operator guide names can be set on a cluster: through the values that set it,
   * the Secret's keys, or a service's {@code env} (then it reaches that service's container).
   * Settings of the platform on one machine ({@code _LOCAL_}) have no place on a cluster.
   */
  @Test
  void everySettingTheGuideNamesCanBeSet() throws IOException {
    String guide = Files.readString(Path.of("../../docs/operator-guide.md"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("SALONS_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_])").matcher(guide);
    Set<String> named = new java.util.TreeSet<>();
    while (m.find()) {
      named.add(m.group());
    }
    assertTrue(named.size() > 20, named.toString());
    List<JsonNode> objects = render(t -> t);
    Set<String> rendered = new HashSet<>();
    for (String service : List.of("portal", "identity", "provisioning", "billing", "commons")) {
      rendered.addAll(env(objects, service).keySet());
    }
    Set<String> secretKeys = new HashSet<>();
    kind(objects, "Secret").get(0).path("data").fieldNames().forEachRemaining(secretKeys::add);
    List<String> viaEnv = new ArrayList<>();
    for (String name : named) {
      if (rendered.contains(name) || secretKeys.contains(name) || name.contains("_LOCAL_")) {
        continue;
      }
      String word = name.split("_")[1].toLowerCase(java.util.Locale.ROOT);
      String service =
          List.of("portal", "identity", "billing", "commons").contains(word)
              ? word
              : "provisioning";
      List<JsonNode> withIt = render(t -> t.set("services." + service + ".env." + name, "1"));
      assertEquals("1", env(withIt, service).get(name).path("value").asText(), name);
      viaEnv.add(name);
    }
    assertTrue(viaEnv.size() > 10, viaEnv.toString());
  }

  /**
   * The operator's Grafana dashboard ships as a ConfigMap with the label Grafana's sidecar looks
   * for; every series of the platform it reads is one a service registers (so that a renamed metric
   * cannot leave a panel empty), and it is not rendered when turned off.
   */
  @Test
  void theDashboardReadsSeriesTheServicesExport() throws IOException {
    List<JsonNode> maps =
        kind(render(t -> t), "ConfigMap").stream()
            .filter(c -> c.at("/metadata/name").asText().equals("salons-grafana-dashboard"))
            .toList();
    assertEquals(1, maps.size());
    assertEquals("1", maps.get(0).at("/metadata/labels").path("grafana_dashboard").asText());
    JsonNode dashboard = JSON.readTree(maps.get(0).at("/data").path("salons.json").asText());
    assertTrue(dashboard.path("panels").size() >= 6, "panels");
    Set<String> titles = new HashSet<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    assertTrue(titles.contains("Instances by state") && titles.contains("Supervisor backlog"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\bsalons_[a-z_]+").matcher(dashboard.toString());
    Set<String> series = new java.util.TreeSet<>();
    while (m.find()) {
      series.add(m.group());
    }
    StringBuilder sources = new StringBuilder();
    try (var files = Files.walk(Path.of("../../services"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (f.toString().contains("/src/main/")) {
          sources.append(Files.readString(f));
        }
      }
    }
    assertTrue(series.size() >= 4, series.toString());
    for (String name : series) {
      String meter =
          name.replaceAll("_(seconds_sum|seconds_count|seconds_max|total)$", "").replace('_', '.');
      assertTrue(
          sources.indexOf("\"" + meter + "\"") >= 0, name + ": no service registers " + meter);
    }
    assertTrue(
        kind(render(t -> t.set("monitoring.grafanaDashboard.enabled", "false")), "ConfigMap")
            .stream()
            .noneMatch(c -> c.at("/metadata/name").asText().endsWith("grafana-dashboard")));
  }

  @Test
  void theSchemaRefusesBadValues() {
    for (UnaryOperator<TemplateCommand> bad :
        List.<UnaryOperator<TemplateCommand>>of(
            t -> t.set("services.portal.replicas", "three"),
            t -> t.set("monitoring.prometheusRule.backlog", -1),
            t -> t.set("publicUrl", "javascript:alert(1)"),
            t -> t.set("ingress.className", "Bad Class; rm -rf"),
            t -> t.set("postgresql.host", "db.example.org\nkind: Secret"),
            t -> t.set("instances.baseDomain", "chat.example.org\nkind: Secret"),
            t -> t.set("instances.baseDomain", "*.example.org"),
            t -> t.set("instances.tenantDatabase.adminUser", "postgres; DROP ROLE x"),
            t -> t.set("instances.federationListAt", "25:00"),
            t -> t.set("instances.domains.checkEvery", "5 minutes"),
            t -> t.set("instances.domains.dnsServer", "dns.example.org\nkind: Secret"),
            t -> t.set("costs.prices.coreHour", "0.02\nsalons.billing.currency=XXX"),
            t -> t.set("costs.prices.gibHour", "-1"),
            t -> t.set("costs.fixedCosts.bad_name", "1.00"),
            t -> t.set("costs.currency", "euros"),
            t -> t.set("elementWeb.brand", "x'; return 302 https://evil.example"),
            t -> t.set("elementWeb.brand", "$host"),
            t -> t.set("elementWeb.defaultCountryCode", "France"),
            t -> t.set("unknownKey", "x"))) {
      Exception e = assertThrows(Exception.class, () -> render(bad));
      assertTrue(e.getMessage().contains("schema"), e.getMessage());
    }
  }

  private static JsonNode realm(List<JsonNode> objects) throws IOException {
    JsonNode map =
        kind(objects, "ConfigMap").stream()
            .filter(c -> c.path("metadata").path("name").asText().equals("salons-realm"))
            .findFirst()
            .orElseThrow();
    return JSON.readTree(map.path("data").path("salons-realm.json").asText());
  }

  private static Set<String> usernames(JsonNode realm) {
    Set<String> names = new HashSet<>();
    realm.path("users").forEach(u -> names.add(u.path("username").asText()));
    return names;
  }
}
