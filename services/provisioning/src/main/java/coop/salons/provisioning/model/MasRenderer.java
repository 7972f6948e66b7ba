package coop.salons.provisioning.model;

import static coop.salons.provisioning.model.Serializers.map;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Matrix Authentication Service (MAS) beside a Matrix instance (docs/adr/0038): its {@code
 * config.yaml} and its secret files, from the same spec as Synapse's. Members sign in at the realm
 * through the instance's own OIDC client, as with Synapse's own single sign-on; MAS then gives
 * Element X and every other client their sessions.
 *
 * <p>MAS answers under {@code /auth/} on the instance's own host (no second name or certificate per
 * instance, the web client keeps {@code /}); the three Matrix paths it takes over from Synapse
 * ({@code /_matrix/client/*}{@code /login}, {@code /logout}, {@code /refresh}) are served by a
 * listener of their own without that prefix, as is its health check. The configuration names
 * secrets only by path.
 */
public final class MasRenderer {

  /** The port of MAS's own pages and OAuth 2.0 endpoints (under {@link #PREFIX}). */
  public static final int WEB_PORT = 8080;

  /** The port of the Matrix paths MAS takes over, and of its health check. */
  public static final int COMPAT_PORT = 8081;

  /** Where MAS's pages live on the instance's host. */
  public static final String PREFIX = "/auth";

  /** The Matrix paths MAS answers instead of Synapse, by client API version (Ingress prefixes). */
  public static final List<String> COMPAT_PATHS =
      List.of(
          "/_matrix/client/r0/login",
          "/_matrix/client/v3/login",
          "/_matrix/client/r0/logout",
          "/_matrix/client/v3/logout",
          "/_matrix/client/r0/refresh",
          "/_matrix/client/v3/refresh");

  /** The user MAS's image runs as. */
  static final int RUN_AS = 65532;

  /** Where Synapse reaches MAS, and MAS Synapse, inside the instance's namespace. */
  public static final String MAS_SERVICE = "mas";

  /** The sign-in provider's id in Synapse's own SSO ({@code idp_id: salons}), kept by syn2mas. */
  static final String SYNAPSE_IDP_ID = "oidc-salons";

  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private MasRenderer() {}

  /**
   * Where MAS answers on Kubernetes (docs/adr/0038): {@code /auth/} on the instance's host for
   * people and clients, its Service inside the instance's namespace for Synapse, Synapse's Service
   * for MAS.
   */
  public static Placement.AuthService inCluster(String baseUrl, String synapseService) {
    return new Placement.AuthService(
        baseUrl + PREFIX + "/",
        "http://" + MAS_SERVICE + PREFIX + "/",
        "http://" + synapseService,
        "[::]:" + WEB_PORT,
        "[::]:" + COMPAT_PORT);
  }

  /**
   * Where MAS answers on one machine: the two loopback ports after the server's federation port
   * ({@code port + 2} for its pages under {@code /auth/}, {@code port + 3} for the Matrix paths and
   * its health check); no reverse proxy puts them on the server's own port, so clients find MAS
   * through Synapse's authentication metadata.
   */
  public static Placement.AuthService onLoopback(int serverPort) {
    int web = serverPort + 2;
    return new Placement.AuthService(
        "http://localhost:" + web + PREFIX + "/",
        "http://127.0.0.1:" + web + PREFIX + "/",
        "http://127.0.0.1:" + serverPort,
        "127.0.0.1:" + web,
        "127.0.0.1:" + (web + 1));
  }

  private static Placement.AuthService where(Placement placement) {
    return placement
        .authService()
        .orElseThrow(() -> new IllegalArgumentException("the placement has no place for MAS"));
  }

  /** MAS's public base, where people and clients reach it. */
  public static String publicBase(Placement placement) {
    return where(placement).publicBase();
  }

  /** Where Synapse calls MAS. */
  public static String endpoint(Placement placement) {
    return where(placement).endpoint();
  }

  /**
   * The realm as MAS's one upstream provider: its id, a ULID, is the instance's id (both are 128
   * bits), so that the callback and back-channel logout addresses are known before MAS starts.
   */
  public static String providerId(UUID instance) {
    BigInteger bits =
        new BigInteger(
            1, toBytes(instance.getMostSignificantBits(), instance.getLeastSignificantBits()));
    char[] out = new char[26];
    for (int i = 25; i >= 0; i--) {
      out[i] = CROCKFORD.charAt(bits.intValue() & 31);
      bits = bits.shiftRight(5);
    }
    return new String(out);
  }

  private static byte[] toBytes(long high, long low) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
      b[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return b;
  }

  /** The address the realm sends members back to after they sign in (the client's redirect). */
  public static String callbackUrl(InstanceSpec spec, Placement placement) {
    return publicBase(placement) + "upstream/callback/" + providerId(spec.id());
  }

  /**
   * The address the realm calls when a member's sessions end (the client's back-channel logout).
   */
  public static String backchannelLogoutUrl(InstanceSpec spec, Placement placement) {
    return publicBase(placement) + "upstream/backchannel-logout/" + providerId(spec.id());
  }

  /** What MAS's database adds to the name of the instance's own. */
  public static final String DATABASE_SUFFIX = "_mas";

  /** MAS's database on the tenants' server, owned by the instance's role. */
  public static String databaseName(InstanceSpec spec) {
    return spec.database().name() + DATABASE_SUFFIX;
  }

  /** MAS's configuration and secret files, and how to run and probe it. */
  public static Rendered render(
      InstanceSpec spec, Placement placement, Map<String, String> secrets) {
    if (spec.flavour() != Flavour.MATRIX || !spec.authService()) {
      throw new IllegalArgumentException("MAS serves Matrix instances that sign in through it");
    }
    Placement.AuthService at = where(placement);
    String dir = placement.secretsDir();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put(
        "http",
        map(
            "public_base",
            at.publicBase(),
            "listeners",
            List.of(
                map(
                    "name",
                    "web",
                    "prefix",
                    PREFIX,
                    "resources",
                    List.of(
                        map("name", "discovery"),
                        map("name", "human"),
                        map("name", "oauth"),
                        map("name", "graphql"),
                        map("name", "assets")),
                    "binds",
                    List.of(map("address", at.webBind()))),
                map(
                    "name",
                    "compat",
                    "resources",
                    List.of(map("name", "compat"), map("name", "health")),
                    "binds",
                    List.of(map("address", at.compatBind()))))));
    Map<String, Object> db = new LinkedHashMap<>();
    db.put("host", spec.database().host());
    db.put("port", spec.database().port());
    db.put("username", spec.database().user());
    db.put("password_file", dir + "/mas-db-password");
    db.put("database", databaseName(spec));
    db.put("max_connections", 5);
    c.put("database", db);
    c.put(
        "matrix",
        map(
            "kind",
            "synapse",
            "homeserver",
            placement.serverName(),
            "endpoint",
            at.synapseEndpoint(),
            "secret_file",
            dir + "/mas-shared-secret"));
    c.put(
        "secrets",
        map(
            "encryption_file",
            dir + "/mas-encryption",
            "keys",
            List.of(map("kid", "salons-rsa", "key_file", dir + "/mas-signing-key"))));
    // Members come from the realm only: no password, no registration, no self-service changes of
    // what the realm owns (their email, their account's existence).
    // No password sign-in; the scheme is Synapse's (bcrypt, version 1) so that MAS's syn2mas takes
    // an instance made with Synapse's own sign-on over (it refuses any other, docs/adr/0038).
    c.put(
        "passwords",
        map("enabled", false, "schemes", List.of(map("version", 1, "algorithm", "bcrypt"))));
    c.put(
        "account",
        map(
            "email_change_allowed", false,
            "displayname_change_allowed", true,
            "password_registration_enabled", false,
            "password_change_allowed", false,
            "account_deactivation_allowed", false));
    c.put("upstream_oauth2", map("providers", List.of(provider(spec, dir))));
    if (at.publicBase().startsWith("http://")) {
      // One machine, no TLS: MAS takes the web clients of this machine, which register with
      // http://localhost addresses.
      c.put("policy", map("data", map("client_registration", map("allow_insecure_uris", true))));
    }

    Map<String, String> files = new LinkedHashMap<>();
    files.put("mas-shared-secret", secrets.get(InstanceSecrets.MAS_SHARED_SECRET));
    files.put("mas-encryption", secrets.get(InstanceSecrets.MAS_ENCRYPTION));
    files.put("mas-signing-key", secrets.get(InstanceSecrets.MAS_SIGNING_KEY));
    files.put("mas-db-password", secrets.get(InstanceSecrets.DB_PASSWORD));
    files.put("oidc-client-secret", secrets.getOrDefault(InstanceSecrets.OIDC_CLIENT_SECRET, ""));
    return new Rendered(
        Map.of("config.yaml", Serializers.yaml(c)),
        files,
        Map.of(),
        List.of("mas-cli", "server", "--config", placement.configDir() + "/config.yaml"),
        WEB_PORT,
        "/health",
        RUN_AS,
        false,
        List.of());
  }

  /**
   * The realm, through the instance's own client. The organisation gate is the subject: it renders
   * empty, and MAS refuses the sign-in, unless the realm's {@code organization} claim names the
   * instance's organisation (Synapse's {@code attribute_requirements} in the other mode). A member
   * removed from the organisation has their realm sessions ended; the realm's back-channel logout
   * then ends every MAS session they started ({@code logout_all}).
   */
  private static Map<String, Object> provider(InstanceSpec spec, String dir) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put(
        "subject",
        map(
            "template",
            "{{ user.sub if '"
                + spec.organization()
                + "' in (user.organization or []) else '' }}"));
    claims.put("skip_confirmation", true);
    // An account Synapse already has (one made before MAS, or brought in) is the member's own:
    // the realm's usernames are unique, as Synapse's allow_existing_users trusts them.
    claims.put(
        "localpart",
        map(
            "action",
            "require",
            "template",
            "{{ user.preferred_username }}",
            "on_conflict",
            "add"));
    claims.put("displayname", map("action", "force", "template", "{{ user.name }}"));
    // Only an address the realm verified reaches the chat server.
    claims.put(
        "email",
        map("action", "force", "template", "{{ user.email if user.email_verified else '' }}"));
    claims.put("account_name", map("template", "{{ user.preferred_username }}"));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", providerId(spec.id()));
    p.put("synapse_idp_id", SYNAPSE_IDP_ID);
    p.put("issuer", spec.issuer());
    p.put("human_name", "Salons");
    p.put("client_id", spec.clientId());
    p.put("client_secret_file", dir + "/oidc-client-secret");
    p.put("token_endpoint_auth_method", "client_secret_basic");
    p.put("scope", "openid profile email organization:*");
    if (spec.issuer().startsWith("http://")) {
      // Only a local platform's Keycloak speaks plain HTTP.
      p.put("discovery_mode", "insecure");
    }
    p.put("on_backchannel_logout", "logout_all");
    p.put("claims_imports", claims);
    return p;
  }
}
