package coop.salons.provisioning.model;

import static coop.salons.provisioning.model.Serializers.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synapse's {@code homeserver.yaml} and its secret files. The configuration names secrets only by
 * path ({@code *_path}, libpq's {@code passfile}), so the ConfigMap holds no secret at all.
 */
public final class SynapseRenderer implements ChatRenderer {

  static final int PORT = 8008;

  @Override
  public Rendered render(InstanceSpec spec, Placement placement, Map<String, String> secrets) {
    String secretsDir = placement.secretsDir();
    Map<String, Object> hs = new LinkedHashMap<>();
    hs.put("server_name", spec.host());
    hs.put("public_baseurl", placement.publicUrl());
    hs.put("pid_file", placement.dataDir() + "/homeserver.pid");
    hs.put("report_stats", false);
    hs.put("listeners", List.of(listener(spec, placement)));
    hs.put("database", database(spec, secretsDir));
    hs.put("log_config", placement.configDir() + "/log.yaml");
    hs.put("media_store_path", placement.dataDir() + "/media");
    hs.put("max_upload_size", "50M");
    hs.put("signing_key_path", secretsDir + "/signing.key");
    hs.put("macaroon_secret_key_path", secretsDir + "/macaroon");
    hs.put("form_secret_path", secretsDir + "/form");
    hs.put("registration_shared_secret_path", secretsDir + "/registration");
    hs.put("enable_registration", false);
    hs.put("password_config", map("enabled", false));
    hs.put("oidc_providers", List.of(oidc(spec, secretsDir)));
    hs.put("limit_usage_by_mau", true);
    hs.put("max_mau_value", spec.plan().maxUsers());
    if (spec.retentionDays() > 0) {
      Map<String, Object> policy = new LinkedHashMap<>();
      policy.put("min_lifetime", "1d");
      policy.put("max_lifetime", spec.retentionDays() + "d");
      Map<String, Object> retention = new LinkedHashMap<>();
      retention.put("enabled", true);
      retention.put("default_policy", policy);
      hs.put("retention", retention);
    }
    federation(spec, hs);
    hs.put("serve_server_wellknown", true);
    hs.put("presence", map("enabled", true));

    Map<String, String> config = new LinkedHashMap<>();
    config.put("homeserver.yaml", Serializers.yaml(hs));
    config.put("log.yaml", Serializers.yaml(logConfig()));

    Map<String, String> secretFiles = new LinkedHashMap<>();
    secretFiles.put("signing.key", secrets.get(InstanceSecrets.SIGNING_KEY));
    secretFiles.put("macaroon", secrets.get(InstanceSecrets.MACAROON));
    secretFiles.put("form", secrets.get(InstanceSecrets.FORM));
    secretFiles.put("registration", secrets.get(InstanceSecrets.REGISTRATION));
    secretFiles.put(
        "oidc-client-secret", secrets.getOrDefault(InstanceSecrets.OIDC_CLIENT_SECRET, ""));
    secretFiles.put(
        "pgpass", PgPass.line(spec.database(), secrets.get(InstanceSecrets.DB_PASSWORD)));
    return new Rendered(
        config,
        secretFiles,
        Map.of(),
        List.of(
            "python",
            "-m",
            "synapse.app.homeserver",
            "--config-path",
            placement.configDir() + "/homeserver.yaml"),
        PORT,
        "/health",
        991,
        false,
        List.of());
  }

  private static Map<String, Object> listener(InstanceSpec spec, Placement placement) {
    List<String> names = new ArrayList<>(List.of("client"));
    if (spec.federation() != Federation.OFF) {
      names.add("federation");
    }
    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put("names", names);
    resources.put("compress", false);
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("port", placement.port());
    l.put("bind_addresses", List.of(placement.bindAddress()));
    l.put("type", "http");
    l.put("tls", false);
    l.put("x_forwarded", true);
    l.put("resources", List.of(resources));
    return l;
  }

  private static Map<String, Object> database(InstanceSpec spec, String secretsDir) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("user", spec.database().user());
    args.put("dbname", spec.database().name());
    args.put("host", spec.database().host());
    args.put("port", spec.database().port());
    args.put("passfile", secretsDir + "/pgpass");
    args.put("cp_min", 1);
    args.put("cp_max", 5);
    Map<String, Object> db = new LinkedHashMap<>();
    db.put("name", "psycopg2");
    db.put("args", args);
    return db;
  }

  private static Map<String, Object> oidc(InstanceSpec spec, String secretsDir) {
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("localpart_template", "{{ user.preferred_username }}");
    mapping.put("display_name_template", "{{ user.name }}");
    mapping.put("email_template", "{{ user.email }}");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("idp_id", "salons");
    p.put("idp_name", "Salons");
    p.put("issuer", spec.issuer());
    p.put("client_id", spec.clientId());
    p.put("client_secret_path", secretsDir + "/oidc-client-secret");
    p.put("scopes", List.of("openid", "profile", "email", "organization"));
    if (spec.issuer().startsWith("http://")) {
      // Only a local platform's Keycloak speaks plain HTTP; Synapse then skips its https checks.
      p.put("skip_verification", true);
    }
    p.put("allow_existing_users", true);
    p.put("backchannel_logout_enabled", true);
    // Only members of the organisation get in: Keycloak puts their organisations in this claim.
    p.put(
        "attribute_requirements",
        List.of(map("attribute", "organization", "value", spec.organization())));
    p.put("user_mapping_provider", map("config", mapping));
    return p;
  }

  private static void federation(InstanceSpec spec, Map<String, Object> hs) {
    switch (spec.federation()) {
      case OPEN -> hs.put("trusted_key_servers", List.of(map("server_name", "matrix.org")));
      case PLATFORM_ONLY -> {
        List<String> allowed = new ArrayList<>(spec.platformServers());
        if (!allowed.contains(spec.host())) {
          allowed.add(spec.host());
        }
        hs.put("federation_domain_whitelist", allowed);
        hs.put("trusted_key_servers", List.of());
        hs.put("suppress_key_server_warning", true);
      }
      case OFF -> {
        hs.put("federation_domain_whitelist", List.of());
        hs.put("trusted_key_servers", List.of());
        hs.put("suppress_key_server_warning", true);
        hs.put("allow_public_rooms_over_federation", false);
      }
    }
  }

  private static Map<String, Object> logConfig() {
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("version", 1);
    log.put(
        "formatters",
        map("precise", map("format", "%(asctime)s %(levelname)s %(name)s %(message)s")));
    log.put(
        "handlers", map("console", map("class", "logging.StreamHandler", "formatter", "precise")));
    log.put("root", map("level", "INFO", "handlers", List.of("console")));
    log.put("disable_existing_loggers", false);
    return log;
  }
}
