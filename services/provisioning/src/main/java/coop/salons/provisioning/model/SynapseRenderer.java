package coop.salons.provisioning.model;

import static coop.salons.provisioning.model.Serializers.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Synapse's {@code homeserver.yaml} and its secret files. The configuration names secrets only by
 * path ({@code *_path}, libpq's {@code passfile}), so the ConfigMap holds no secret at all.
 */
public final class SynapseRenderer implements ChatRenderer {

  static final int PORT = 8008;

  /** The user Synapse's image runs as (and owns its data as). */
  static final int RUN_AS = 991;

  /** The commons server's registration of the platform's commons service (a secret file). */
  static final String APPSERVICE_FILE = "commons-appservice.yaml";

  @Override
  public Rendered render(InstanceSpec spec, Placement placement, Map<String, String> secrets) {
    String secretsDir = placement.secretsDir();
    Map<String, Object> hs = new LinkedHashMap<>();
    hs.put("server_name", placement.serverName());
    hs.put("public_baseurl", placement.publicUrl());
    hs.put("pid_file", placement.dataDir() + "/homeserver.pid");
    hs.put("report_stats", false);
    hs.put("listeners", listeners(spec, placement));
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
    if (spec.authService()) {
      // Sign-in delegated to MAS beside the server (docs/adr/0038): Synapse refuses its own SSO,
      // passwords and registration with it, and checks each token with MAS.
      hs.put(
          "matrix_authentication_service",
          map(
              "enabled",
              true,
              "endpoint",
              MasRenderer.endpoint(placement),
              "secret_path",
              secretsDir + "/mas-shared-secret"));
    } else {
      hs.put("oidc_providers", List.of(oidc(spec, secretsDir)));
    }
    if (spec.commons()) {
      commons(placement, hs);
      hs.put("app_service_config_files", List.of(secretsDir + "/" + APPSERVICE_FILE));
    } else {
      association(placement, hs);
    }
    hs.put("limit_usage_by_mau", true);
    hs.put("max_mau_value", spec.plan().maxUsers());
    hs.put("retention", retention(spec));
    if (spec.mediaRetentionDays() > 0) {
      // Synapse checks hourly; a file counts from when it was last read.
      String lifetime = spec.mediaRetentionDays() + "d";
      hs.put(
          "media_retention",
          map("local_media_lifetime", lifetime, "remote_media_lifetime", lifetime));
    }
    federation(spec, placement, hs);
    hs.put("serve_server_wellknown", true);
    // The web client on the server's own host (the platform's Element Web) gets the sign-in token
    // without the "continue to your account" page Synapse shows for other clients.
    if (!spec.authService()) {
      hs.put("sso", map("client_whitelist", List.of(placement.publicUrl())));
    }
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
    if (spec.authService()) {
      secretFiles.put("mas-shared-secret", secrets.get(InstanceSecrets.MAS_SHARED_SECRET));
    }
    if (spec.commons()) {
      secretFiles.put(APPSERVICE_FILE, Serializers.yaml(appService(placement, secrets)));
    }
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
        RUN_AS,
        false,
        List.of());
  }

  /**
   * Retention is always on, so that a room's own policy ({@code m.room.retention}, set by its
   * admins) is kept to even where the organisation keeps everything; the instance's lifetime is the
   * default policy of rooms without one. What no policy keeps any longer is removed by a purge job
   * as often as the hoster says.
   */
  private static Map<String, Object> retention(InstanceSpec spec) {
    Map<String, Object> retention = new LinkedHashMap<>();
    retention.put("enabled", true);
    if (spec.retentionDays() > 0) {
      Map<String, Object> policy = new LinkedHashMap<>();
      policy.put("min_lifetime", "1d");
      policy.put("max_lifetime", spec.retentionDays() + "d");
      retention.put("default_policy", policy);
      // A room may keep its messages for less time, never for longer than the organisation wants.
      retention.put("allowed_lifetime_max", spec.retentionDays() + "d");
    }
    retention.put("purge_jobs", List.of(map("interval", spec.purgeEvery())));
    return retention;
  }

  /**
   * The commons service as an application service of the commons server: it acts as the platform's
   * account (which it alone may be: an exclusive namespace, so no sign-in can take that name), with
   * a token it never has to log in for, and unthrottled; every alias on the server is its own. It
   * receives no events ({@code url: null}).
   */
  private static Map<String, Object> appService(Placement placement, Map<String, String> secrets) {
    String user = Commons.platformUser(placement.serverName());
    Map<String, Object> namespaces = new LinkedHashMap<>();
    namespaces.put(
        "users", List.of(map("exclusive", true, "regex", "^" + regexLiteral(user) + "$")));
    // Every alias of the commons server is the platform's: rooms get theirs only when opened
    // through it (themes checked, rate limited); people's own rooms there need none.
    namespaces.put(
        "aliases",
        List.of(
            map("exclusive", true, "regex", "^#.*:" + regexLiteral(placement.serverName()) + "$")));
    namespaces.put("rooms", List.of());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", "salons-commons");
    r.put("url", null);
    r.put("as_token", secrets.get(InstanceSecrets.APPSERVICE_TOKEN));
    r.put("hs_token", secrets.get(InstanceSecrets.APPSERVICE_HS_TOKEN));
    r.put("sender_localpart", Commons.PLATFORM_LOCALPART);
    r.put("namespaces", namespaces);
    r.put("rate_limited", false);
    return r;
  }

  /** A literal in a Python regular expression (Synapse's): every special character escaped. */
  static String regexLiteral(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.^$|?*+()[]{}-=:@".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Behind the ingress, one plain listener serves clients and federation. On one machine,
   * federation has a TLS listener of its own, on the port in the server's name.
   */
  private static List<Map<String, Object>> listeners(InstanceSpec spec, Placement placement) {
    boolean federates = spec.federation() != Federation.OFF;
    Optional<Placement.LocalFederation> local = placement.localFederation();
    List<String> names = new ArrayList<>(List.of("client"));
    if (federates && local.isEmpty()) {
      names.add("federation");
    }
    List<Map<String, Object>> listeners = new ArrayList<>();
    listeners.add(listener(placement.port(), placement.bindAddress(), false, names));
    if (federates && local.isPresent()) {
      listeners.add(
          listener(local.get().port(), placement.bindAddress(), true, List.of("federation")));
    }
    return listeners;
  }

  private static Map<String, Object> listener(
      int port, String bindAddress, boolean tls, List<String> names) {
    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put("names", names);
    resources.put("compress", false);
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("port", port);
    l.put("bind_addresses", List.of(bindAddress));
    l.put("type", "http");
    l.put("tls", tls);
    l.put("x_forwarded", !tls);
    l.put("resources", List.of(resources));
    return l;
  }

  /**
   * The commons server: its room directory is read by other servers and by anyone (the directory of
   * the commons), and only the platform's account publishes in it (rooms are opened through the
   * platform, which checks themes and rate limits).
   */
  private static void commons(Placement placement, Map<String, Object> hs) {
    hs.put(
        "room_list_publication_rules",
        List.of(
            map("user_id", Commons.platformUser(placement.serverName()), "action", "allow"),
            map("action", "deny")));
    hs.put("allow_public_rooms_over_federation", true);
    hs.put("allow_public_rooms_without_auth", true);
  }

  /**
   * An association's server: its members publish rooms to its own public room list, and the
   * platform reads that list without an account (the directory of the commons lists only the rooms
   * an admin publishes there, docs/adr/0023).
   */
  private static void association(Placement placement, Map<String, Object> hs) {
    hs.put(
        "room_list_publication_rules",
        List.of(
            map("user_id", "@*:" + placement.serverName(), "action", "allow"),
            map("action", "deny")));
    hs.put("allow_public_rooms_without_auth", true);
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
    // Only an address Keycloak verified reaches the chat server (an account registered with
    // someone else's address would otherwise carry it into the room directory and notifications).
    mapping.put("email_template", "{{ user.email if user.email_verified else '' }}");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("idp_id", "salons");
    p.put("idp_name", "Salons");
    p.put("issuer", spec.issuer());
    p.put("client_id", spec.clientId());
    p.put("client_secret_path", secretsDir + "/oidc-client-secret");
    // Every organisation of the user in the claim ("organization:*"): asked for "organization"
    // alone, Keycloak makes a member of several associations pick one before signing in. The
    // commons server admits everyone and asks for none.
    p.put(
        "scopes",
        spec.commons()
            ? List.of("openid", "profile", "email")
            : List.of("openid", "profile", "email", "organization:*"));
    if (spec.issuer().startsWith("http://")) {
      // Only a local platform's Keycloak speaks plain HTTP; Synapse then skips its https checks.
      p.put("skip_verification", true);
    }
    // On the commons server an account comes only from sign-in: no one takes over the platform's.
    p.put("allow_existing_users", !spec.commons());
    p.put("backchannel_logout_enabled", true);
    if (!spec.commons()) {
      // Only members of the organisation get in: Keycloak puts their organisations in this claim.
      // The commons server admits every platform user, whatever their organisation (or none).
      p.put(
          "attribute_requirements",
          List.of(map("attribute", "organization", "value", spec.organization())));
    }
    p.put("user_mapping_provider", map("config", mapping));
    return p;
  }

  private static void federation(InstanceSpec spec, Placement placement, Map<String, Object> hs) {
    switch (spec.federation()) {
      case OPEN -> hs.put("trusted_key_servers", List.of(map("server_name", "matrix.org")));
      case PLATFORM_ONLY -> {
        List<String> allowed = new ArrayList<>(spec.platformServers());
        if (!allowed.contains(placement.serverName())) {
          allowed.add(placement.serverName());
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
    if (spec.federation() != Federation.OFF) {
      // A platform server restarts when the platform's list of servers changes (the commons server
      // each time an association first comes up): by default the others would then hold their
      // messages to it for 10 minutes or more. Try again after 10 s, doubling, at most hourly.
      hs.put(
          "federation",
          map(
              "destination_min_retry_interval", "10s",
              "destination_retry_multiplier", 2,
              "destination_max_retry_interval", "1h"));
    }
    placement.localFederation().ifPresent(local -> localFederation(spec, local, hs));
  }

  /**
   * Federation between the servers of one machine (DESIGN.md, "Local federation"): the local CA as
   * the only one trusted, loopback allowed, no outside key server, and rate limits a test's burst
   * does not hit. Never on Kubernetes: the placement carries it only from the local runtime.
   */
  private static void localFederation(
      InstanceSpec spec, Placement.LocalFederation local, Map<String, Object> hs) {
    hs.put("tls_certificate_path", local.certificate());
    hs.put("tls_private_key_path", local.privateKey());
    if (spec.federation() != Federation.OFF) {
      hs.put("federation_custom_ca_list", List.of(local.certificateAuthority()));
      hs.put("ip_range_whitelist", List.of("127.0.0.1/32"));
      hs.put("trusted_key_servers", List.of());
      hs.put("suppress_key_server_warning", true);
    }
    Map<String, Object> generous = map("per_second", 50, "burst_count", 100);
    hs.put("rc_message", generous);
    hs.put("rc_joins", map("local", generous, "remote", generous));
    hs.put("rc_room_creation", generous);
    hs.put("rc_login", map("address", generous, "account", generous));
  }

  /** Synapse's logging: to the console, one line per record. */
  static Map<String, Object> logConfig() {
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
