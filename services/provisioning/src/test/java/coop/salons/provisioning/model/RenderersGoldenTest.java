package coop.salons.provisioning.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The renderers' output, file by file, against golden copies; and what no input can break. */
class RenderersGoldenTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Rendered render(InstanceSpec spec) {
    return ChatRenderer.of(spec.flavour())
        .render(spec, KubernetesManifests.placement(spec), Specs.secrets(spec.flavour()));
  }

  @Test
  void synapseFederatingWithinThePlatform() {
    Rendered r = render(Specs.matrix(Federation.PLATFORM_ONLY, 0));
    Golden.assertMatches(
        "synapse-platform-only/homeserver.yaml", r.configFiles().get("homeserver.yaml"));
    Golden.assertMatches("synapse-platform-only/log.yaml", r.configFiles().get("log.yaml"));
  }

  @Test
  void synapseOpenWithRetention() {
    Rendered r = render(Specs.matrix(Federation.OPEN, 365));
    Golden.assertMatches(
        "synapse-open-365d/homeserver.yaml", r.configFiles().get("homeserver.yaml"));
  }

  @Test
  void synapseClosed() {
    Rendered r = render(Specs.matrix(Federation.OFF, 30));
    Golden.assertMatches("synapse-off-30d/homeserver.yaml", r.configFiles().get("homeserver.yaml"));
  }

  @Test
  void theCommonsServerAdmitsEveryPlatformUserAndPublishesOnlyThroughThePlatform()
      throws Exception {
    InstanceSpec commons = Specs.commons();
    Rendered r = render(commons);
    String hs = r.configFiles().get("homeserver.yaml");
    Golden.assertMatches("synapse-commons/homeserver.yaml", hs);
    JsonNode doc = YAML.readTree(hs);
    assertTrue(doc.at("/oidc_providers/0/attribute_requirements").isMissingNode(), hs);
    assertFalse(doc.at("/oidc_providers/0/allow_existing_users").asBoolean(), hs);
    assertEquals(
        "@salons-commons:commons.chat.example.org",
        doc.at("/room_list_publication_rules/0/user_id").asText());
    assertEquals("deny", doc.at("/room_list_publication_rules/1/action").asText());
    assertEquals("90d", doc.at("/retention/default_policy/max_lifetime").asText());
    // The commons service acts there as the platform's account, from a secret file.
    assertEquals(
        "/secrets/commons-appservice.yaml", doc.at("/app_service_config_files/0").asText());
    JsonNode registration = YAML.readTree(r.secretFiles().get("commons-appservice.yaml"));
    assertEquals("salons-commons", registration.get("sender_localpart").asText());
    assertTrue(registration.get("url").isNull());
    assertEquals(
        "^\\@salons\\-commons\\:commons\\.chat\\.example\\.org$",
        registration.at("/namespaces/users/0/regex").asText());
    assertTrue(registration.at("/namespaces/aliases/0/exclusive").asBoolean());
    assertFalse(hs.contains(Specs.secrets(Flavour.MATRIX).get(InstanceSecrets.REGISTRATION)));
    // An association's server admits only its own members.
    JsonNode association =
        YAML.readTree(
            render(Specs.matrix(Federation.PLATFORM_ONLY, 0)).configFiles().get("homeserver.yaml"));
    assertEquals(
        "amis-terre", association.at("/oidc_providers/0/attribute_requirements/0/value").asText());
    // Its own users publish to its public room list, which the platform reads without an account
    // (the directory of the commons, ADR 23); nobody else publishes there.
    assertEquals(
        "@*:chat.amis-terre.chat.example.org",
        association.at("/room_list_publication_rules/0/user_id").asText(),
        association.toPrettyString());
    assertEquals("allow", association.at("/room_list_publication_rules/0/action").asText());
    assertEquals("deny", association.at("/room_list_publication_rules/1/action").asText());
    assertTrue(association.at("/room_list_publication_rules/1/user_id").isMissingNode());
    assertTrue(association.at("/allow_public_rooms_without_auth").asBoolean());
  }

  @Test
  void onOneMachineMatrixServersFederateOverTlsFromTheLocalCa() throws Exception {
    InstanceSpec spec =
        Specs.with(
            Specs.matrix(Federation.PLATFORM_ONLY, 0),
            "Les amis de la Terre",
            List.of("localhost:8401", "localhost:8403"),
            false);
    Placement local =
        onOneMachine(
            java.util.Optional.of(
                new Placement.LocalFederation(
                    8405,
                    "/salons/tls/localhost.crt",
                    "/salons/tls/localhost.key",
                    "/salons/tls/ca.crt")));
    String hs =
        ChatRenderer.of(spec.flavour())
            .render(spec, local, Specs.secrets(spec.flavour()))
            .configFiles()
            .get("homeserver.yaml");
    Golden.assertMatches("synapse-local-federation/homeserver.yaml", hs);
    JsonNode doc = YAML.readTree(hs);
    assertEquals("localhost:8405", doc.get("server_name").asText());
    assertEquals(
        List.of("localhost:8401", "localhost:8403", "localhost:8405"),
        JSON.convertValue(doc.get("federation_domain_whitelist"), List.class));
    assertEquals("client", doc.at("/listeners/0/resources/0/names/0").asText());
    assertEquals(1, doc.at("/listeners/0/resources/0/names").size());
    assertEquals(8405, doc.at("/listeners/1/port").asInt());
    assertTrue(doc.at("/listeners/1/tls").asBoolean());
    assertEquals("/salons/tls/ca.crt", doc.at("/federation_custom_ca_list/0").asText());
    assertEquals("127.0.0.1/32", doc.at("/ip_range_whitelist/0").asText());
    // None of this reaches a configuration rendered for Kubernetes.
    String cluster = render(spec).configFiles().get("homeserver.yaml");
    for (String local_only :
        List.of("tls_certificate_path", "federation_custom_ca_list", "ip_range_whitelist")) {
      assertFalse(cluster.contains(local_only), local_only);
    }
  }

  /** An instance placed on one machine at port 8404, as the local runtime places it. */
  private static Placement onOneMachine(java.util.Optional<Placement.LocalFederation> federation) {
    return new Placement(
        "127.0.0.1",
        8404,
        "http://localhost:8404/",
        "localhost:8405",
        "/salons/i/config",
        "/salons/i/data",
        "/salons/i/secrets",
        "/salons/i/run",
        federation,
        java.util.Optional.of(MasRenderer.onLoopback(8404)));
  }

  @Test
  void synapseConfigurationHoldsNoSecret() throws Exception {
    Rendered r = render(Specs.matrix(Federation.OPEN, 0));
    String hs = r.configFiles().get("homeserver.yaml");
    for (String secret : Specs.secrets(Flavour.MATRIX).values()) {
      assertFalse(hs.contains(secret.strip()), "homeserver.yaml must not hold a secret");
    }
    JsonNode doc = YAML.readTree(hs);
    assertEquals(
        "/secrets/oidc-client-secret", doc.at("/oidc_providers/0/client_secret_path").asText());
    assertEquals("/secrets/pgpass", doc.at("/database/args/passfile").asText());
    assertEquals(
        "pg.tenants.svc:5432:"
            + InstanceSpec.databaseName(Specs.ID)
            + ":"
            + InstanceSpec.databaseName(Specs.ID)
            + ":dbPASSWORD0123456789\n",
        r.secretFiles().get("pgpass"));
    assertEquals(50, doc.get("max_mau_value").asInt());
    assertTrue(doc.get("limit_usage_by_mau").asBoolean());
  }

  /**
   * Members signing in through the Matrix Authentication Service (docs/adr/0038): Synapse delegates
   * to MAS and has no SSO of its own; MAS has the realm as its one provider, through the instance's
   * client, with the organisation gate; neither configuration holds a secret.
   */
  @Test
  void synapseAndItsAuthenticationService() throws Exception {
    InstanceSpec spec = Specs.withAuthService(Specs.matrix(Federation.PLATFORM_ONLY, 0));
    Placement placement = KubernetesManifests.placement(spec);
    Map<String, String> secrets = Specs.secretsWithAuthService();
    Rendered synapse = ChatRenderer.of(Flavour.MATRIX).render(spec, placement, secrets);
    String hs = synapse.configFiles().get("homeserver.yaml");
    Golden.assertMatches("synapse-mas/homeserver.yaml", hs);
    Rendered mas = MasRenderer.render(spec, placement, secrets);
    String config = mas.configFiles().get("config.yaml");
    Golden.assertMatches("mas/config.yaml", config);
    for (String secret : secrets.values()) {
      assertFalse(hs.contains(secret.strip()), "homeserver.yaml must not hold a secret");
      assertFalse(config.contains(secret.strip()), "MAS's config.yaml must not hold a secret");
    }
    JsonNode doc = YAML.readTree(hs);
    assertTrue(doc.path("oidc_providers").isMissingNode(), hs);
    assertEquals("masSHAREDsecret", synapse.secretFiles().get("mas-shared-secret"));
    JsonNode m = YAML.readTree(config);
    String provider = m.at("/upstream_oauth2/providers/0/id").asText();
    // A ULID: 26 characters of Crockford's base32, the first at most 7 (128 bits).
    assertTrue(provider.matches("[0-7][0-9A-HJKMNP-TV-Z]{25}"), provider);
    assertEquals(
        "https://chat.amis-terre.chat.example.org/auth/upstream/callback/" + provider,
        MasRenderer.callbackUrl(spec, placement));
    assertEquals(
        "{{ user.sub if 'amis-terre' in (user.organization or []) else '' }}",
        m.at("/upstream_oauth2/providers/0/claims_imports/subject/template").asText());
    assertEquals("masSHAREDsecret", mas.secretFiles().get("mas-shared-secret"));
    assertEquals("dbPASSWORD0123456789", mas.secretFiles().get("mas-db-password"));
    assertEquals("http://synapse", m.at("/matrix/endpoint").asText());
    assertEquals("http://mas/auth/", doc.at("/matrix_authentication_service/endpoint").asText());
    assertTrue(m.path("policy").isMissingNode(), "the policy's defaults stand where TLS is");
    Golden.assertMatches(
        "kubernetes-matrix-mas.yaml",
        documents(DesiredState.of(spec, placement, secrets, Specs.cluster()).objects()));
    assertNotEquals(
        MasRenderer.providerId(Specs.ID),
        MasRenderer.providerId(java.util.UUID.randomUUID()),
        "each instance's provider has its own id");
  }

  /**
   * On one machine MAS answers on the two loopback ports after the server's federation port, with
   * no reverse proxy: Synapse and MAS call each other there, the realm sends members back there,
   * and web clients of this machine may register with http addresses.
   */
  @Test
  void onOneMachineMasAnswersOnItsOwnPortsBesideSynapse() throws Exception {
    InstanceSpec spec = Specs.withAuthService(Specs.matrix(Federation.PLATFORM_ONLY, 0));
    Placement local = onOneMachine(java.util.Optional.empty());
    Map<String, String> secrets = Specs.secretsWithAuthService();
    DesiredState desired = DesiredState.of(spec, local, secrets, Specs.cluster());
    String config = desired.authService().orElseThrow().configFiles().get("config.yaml");
    Golden.assertMatches("mas-local/config.yaml", config);
    JsonNode m = YAML.readTree(config);
    assertEquals("http://localhost:8406/auth/", m.at("/http/public_base").asText());
    assertEquals("127.0.0.1:8406", m.at("/http/listeners/0/binds/0/address").asText());
    assertEquals("127.0.0.1:8407", m.at("/http/listeners/1/binds/0/address").asText());
    assertEquals("http://127.0.0.1:8404", m.at("/matrix/endpoint").asText());
    assertEquals("localhost:8405", m.at("/matrix/homeserver").asText());
    assertEquals("/salons/i/secrets/mas-shared-secret", m.at("/matrix/secret_file").asText());
    assertTrue(m.at("/policy/data/client_registration/allow_insecure_uris").asBoolean());
    assertEquals(
        "http://localhost:8406/auth/upstream/callback/" + MasRenderer.providerId(spec.id()),
        MasRenderer.callbackUrl(spec, local));
    JsonNode hs = YAML.readTree(desired.rendered().configFiles().get("homeserver.yaml"));
    assertEquals(
        "http://127.0.0.1:8406/auth/", hs.at("/matrix_authentication_service/endpoint").asText());
    assertEquals(
        List.of("/salons/i/config/config.yaml"),
        desired.authService().orElseThrow().command().subList(3, 4));
    assertEquals(8407, local.authService().orElseThrow().healthPort());
  }

  @Test
  void mattermostInEachLoginMode() {
    for (LoginMode mode : LoginMode.values()) {
      Rendered r = render(Specs.mattermost(mode, "Équipe des amis"));
      Golden.assertMatches(
          "mattermost-" + mode.id() + "/config.json", r.configFiles().get("config.json"));
      Golden.assertMatches(
          "mattermost-" + mode.id() + "/secret-env.txt",
          r.secretEnv().keySet().stream().sorted().collect(Collectors.joining("\n")) + "\n");
    }
  }

  @Test
  void kubernetesObjectsOfAMatrixInstance() {
    InstanceSpec spec = Specs.matrix(Federation.PLATFORM_ONLY, 0);
    List<HasMetadata> objects =
        KubernetesManifests.render(
            spec, render(spec), Specs.cluster(), Specs.secrets(Flavour.MATRIX));
    Golden.assertMatches("kubernetes-matrix.yaml", documents(objects));
  }

  /**
   * The backup pod (docs/adr/0037): beside a running Matrix server (on its node), or alone while a
   * Mattermost server is stopped; the database's password from the instance's Secret only.
   */
  @Test
  void theBackupPodBesideTheServerOrAlone() {
    InstanceSpec matrix = Specs.matrix(Federation.PLATFORM_ONLY, 0);
    InstanceSpec mattermost = Specs.mattermost(LoginMode.ACCOUNTS, "Équipe");
    Golden.assertMatches(
        "kubernetes-backup-pods.yaml",
        documents(
            List.of(
                KubernetesManifests.backupPod(matrix, "docker.io/library/postgres:17", 4200, true),
                KubernetesManifests.backupPod(
                    mattermost, "docker.io/library/postgres:17", 4200, false))));
  }

  @Test
  void anUnprovenCustomDomainGetsNoIngressNorCertificate() {
    InstanceSpec routed = Specs.matrix(Federation.PLATFORM_ONLY, 0);
    InstanceSpec unproven = Specs.unrouted(routed);
    List<HasMetadata> objects =
        KubernetesManifests.render(
            unproven, render(unproven), Specs.cluster(), Specs.secrets(Flavour.MATRIX));
    org.junit.jupiter.api.Assertions.assertTrue(
        objects.stream().noneMatch(o -> "Ingress".equals(o.getKind())), "no Ingress");
    org.junit.jupiter.api.Assertions.assertEquals(
        1,
        KubernetesManifests.render(
                routed, render(routed), Specs.cluster(), Specs.secrets(Flavour.MATRIX))
            .stream()
            .filter(o -> "Ingress".equals(o.getKind()))
            .count());
  }

  @Test
  void kubernetesObjectsOfASuspendedMattermostInstance() {
    InstanceSpec s = Specs.mattermost(LoginMode.ACCOUNTS, "Équipe");
    InstanceSpec suspended = Specs.with(s, s.displayName(), s.platformServers(), true);
    List<HasMetadata> objects =
        KubernetesManifests.render(
            suspended, render(suspended), Specs.cluster(), Specs.secrets(Flavour.MATTERMOST));
    Golden.assertMatches("kubernetes-mattermost-suspended.yaml", documents(objects));
  }

  /**
   * Where the chart deploys the shared Element Web, a Matrix instance's host serves it at {@code /}
   * and the server at its own paths; without one, the server has the whole host. Mattermost serves
   * its own web app either way.
   */
  @Test
  void theWebClientHasTheHostButTheServersPaths() {
    InstanceSpec spec = Specs.matrix(Federation.OPEN, 0);
    KubernetesManifests.Cluster with = Specs.cluster();
    KubernetesManifests.Cluster without =
        new KubernetesManifests.Cluster(
            with.ingressClass(),
            with.clusterIssuer(),
            with.ingressNamespace(),
            with.databaseCidr(),
            with.storageClass(),
            java.util.Optional.empty(),
            with.authServiceImage());
    assertEquals(
        Map.of(
            "/_matrix", "synapse",
            "/_synapse", "synapse",
            "/.well-known/matrix", "synapse",
            "/", "web-client"),
        routes(
            KubernetesManifests.render(spec, render(spec), with, Specs.secrets(Flavour.MATRIX))));
    io.fabric8.kubernetes.api.model.Service client =
        KubernetesManifests.render(spec, render(spec), with, Specs.secrets(Flavour.MATRIX)).stream()
            .filter(o -> o instanceof io.fabric8.kubernetes.api.model.Service)
            .map(o -> (io.fabric8.kubernetes.api.model.Service) o)
            .filter(o -> o.getMetadata().getName().equals("web-client"))
            .findFirst()
            .orElseThrow();
    assertEquals("ExternalName", client.getSpec().getType());
    assertEquals("salons-element-web.salons.svc.cluster.local", client.getSpec().getExternalName());
    assertEquals(
        Map.of("/", "synapse"),
        routes(
            KubernetesManifests.render(
                spec, render(spec), without, Specs.secrets(Flavour.MATRIX))));
    InstanceSpec mm = Specs.mattermost(LoginMode.ACCOUNTS, "Équipe");
    assertEquals(
        Map.of("/", "mattermost"),
        routes(
            KubernetesManifests.render(mm, render(mm), with, Specs.secrets(Flavour.MATTERMOST))));
  }

  /**
   * A Matrix server requests what a small one was measured to need, growing with its plan; the plan
   * stays its ceiling. By those requests, at least 100 small associations fit on a 16 GiB node with
   * 2 GiB kept for the system and the platform (the figure of docs/benchmarks.md).
   */
  @Test
  void aMatrixServerRequestsWhatItWasMeasuredToNeed() {
    PlanLimits small = Specs.SMALL;
    assertEquals(new PlanLimits.Requests(25, 140), small.requests(Flavour.MATRIX));
    PlanLimits large = new PlanLimits("large", 1000, 200, 2000, 4096, LoginMode.ACCOUNTS);
    assertEquals(new PlanLimits.Requests(100, 512), large.requests(Flavour.MATRIX));
    PlanLimits tiny = new PlanLimits("tiny", 5, 1, 10, 100, LoginMode.ACCOUNTS);
    assertEquals(new PlanLimits.Requests(10, 100), tiny.requests(Flavour.MATRIX), "capped");
    assertEquals(new PlanLimits.Requests(250, 512), small.requests(Flavour.MATTERMOST));
    assertTrue((14 * 1024) / small.requests(Flavour.MATRIX).memoryMib() >= 100);

    InstanceSpec spec = Specs.matrix(Federation.OPEN, 0);
    var container =
        KubernetesManifests.render(
                spec, render(spec), Specs.cluster(), Specs.secrets(Flavour.MATRIX))
            .stream()
            .filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
            .map(o -> (io.fabric8.kubernetes.api.model.apps.Deployment) o)
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    PlanLimits.Requests wanted = spec.plan().requests(Flavour.MATRIX);
    assertEquals(
        wanted.memoryMib() + "Mi", container.getResources().getRequests().get("memory").toString());
    assertEquals(
        spec.plan().memoryMib() + "Mi",
        container.getResources().getLimits().get("memory").toString());
  }

  private static Map<String, String> routes(List<HasMetadata> objects) {
    Map<String, String> routes = new java.util.LinkedHashMap<>();
    objects.stream()
        .filter(o -> o instanceof io.fabric8.kubernetes.api.model.networking.v1.Ingress)
        .map(o -> (io.fabric8.kubernetes.api.model.networking.v1.Ingress) o)
        .flatMap(i -> i.getSpec().getRules().stream())
        .flatMap(r -> r.getHttp().getPaths().stream())
        .forEach(p -> routes.put(p.getPath(), p.getBackend().getService().getName()));
    return routes;
  }

  /**
   * A server reads its configuration when it starts: the pod template carries its checksum, which
   * changes with the commons' list (the server then restarts) and with nothing that is not in it.
   */
  @Test
  void thePodTemplateChangesWhenTheConfigurationDoes() {
    InstanceSpec spec = Specs.matrix(Federation.PLATFORM_ONLY, 0);
    InstanceSpec joined =
        Specs.with(
            spec,
            spec.displayName(),
            List.of("salon.jardins.chat.example.org", "chat.velo.chat.example.org", "b.new.org"),
            spec.suspended());
    String before = checksum(spec, Specs.secrets(Flavour.MATRIX));
    assertEquals(before, checksum(spec, Specs.secrets(Flavour.MATRIX)));
    assertNotEquals(before, checksum(joined, Specs.secrets(Flavour.MATRIX)));
    Map<String, String> otherSecrets = new java.util.HashMap<>(Specs.secrets(Flavour.MATRIX));
    otherSecrets.replaceAll((k, v) -> v + "-rotated");
    assertEquals(before, checksum(spec, otherSecrets), "secrets are not in the ConfigMap");
  }

  private static String checksum(InstanceSpec spec, Map<String, String> secrets) {
    Rendered r =
        ChatRenderer.of(spec.flavour()).render(spec, KubernetesManifests.placement(spec), secrets);
    return KubernetesManifests.render(spec, r, Specs.cluster(), secrets).stream()
        .filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
        .map(
            o ->
                ((io.fabric8.kubernetes.api.model.apps.Deployment) o)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getAnnotations()
                    .get("salons.coop/config-checksum"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyObjectCarriesTheLabels() {
    InstanceSpec spec = Specs.matrix(Federation.OPEN, 0);
    for (HasMetadata o :
        KubernetesManifests.render(
            spec, render(spec), Specs.cluster(), Specs.secrets(Flavour.MATRIX))) {
      Map<String, String> labels = o.getMetadata().getLabels();
      for (String key :
          List.of(
              "app.kubernetes.io/name",
              "app.kubernetes.io/instance",
              "app.kubernetes.io/part-of",
              "app.kubernetes.io/managed-by",
              "salons.coop/org",
              "salons.coop/instance")) {
        assertTrue(labels.containsKey(key), o.getKind() + " lacks the label " + key);
      }
    }
  }

  /** Text that tries to break out of its YAML or JSON string stays a string, unchanged. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "x\": 1, \"EnableOpenServer\": true, \"y\": \"",
        "a: b\nenable_registration: true",
        "' or 1=1; --",
        "{{ user.password }}",
        "- item\n- other",
        "&anchor *alias !!python/object:os.system",
        "«Les Amis» — 100 % bénévoles"
      })
  void freeTextCannotChangeTheStructure(String text) throws Exception {
    InstanceSpec mm = Specs.mattermost(LoginMode.OPENID, text);
    JsonNode config = JSON.readTree(render(mm).configFiles().get("config.json"));
    assertEquals(MattermostRenderer.siteName(text), config.at("/TeamSettings/SiteName").asText());
    assertFalse(config.at("/TeamSettings/EnableOpenServer").asBoolean());
    assertTrue(config.at("/TeamSettings/SiteName").isTextual());

    InstanceSpec spec = Specs.matrix(Federation.OFF, 0);
    InstanceSpec named = Specs.with(spec, text, spec.platformServers(), false);
    List<HasMetadata> objects =
        KubernetesManifests.render(
            named, render(named), Specs.cluster(), Specs.secrets(Flavour.MATRIX));
    String yaml = documents(objects);
    List<JsonNode> docs = new java.util.ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    assertEquals(objects.size(), docs.size());
    assertEquals(
        text, docs.get(0).at("/metadata/annotations").get("salons.coop/display-name").asText());
    JsonNode hs = YAML.readTree(render(named).configFiles().get("homeserver.yaml"));
    assertFalse(hs.get("enable_registration").asBoolean());
  }

  static String documents(List<HasMetadata> objects) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata o : objects) {
      out.append("---\n").append(Serializers.yaml(o));
    }
    return out.toString();
  }
}
