package coop.salons.provisioning.model;

import static coop.salons.provisioning.model.Serializers.map;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mattermost's {@code config.json}; the database URL and client secrets go in environment variables
 * from the Secret ({@code MM_*} override the file). Login follows the plan's mode: {@code openid}
 * (licensed editions), {@code gitlab} (≤ 10.11 only) or {@code accounts} (email sign-in to accounts
 * the platform manages; sign-up closed). In {@code accounts} mode the server also opens its local
 * mode (a socket in its run folder, reachable only inside the pod) and a command beside it makes
 * the platform's own account there at each start, unless it exists (docs/adr/0016).
 */
public final class MattermostRenderer implements ChatRenderer {

  static final int PORT = 8065;

  /** The user Mattermost's image runs as (and owns its files as). */
  static final int RUN_AS = 2000;

  /** The platform's own system administrator on an {@code accounts}-mode server. */
  public static final String ADMIN = "salons-admin";

  /** The secret file with that account's password, read by the start-up command. */
  static final String ADMIN_PASSWORD_FILE = "admin-password";

  /**
   * Makes the platform's account through the local-mode socket once the server listens there; gives
   * up quietly after two minutes (the accounts sync then says what is wrong). Its values come as
   * arguments ($1 socket, $2 username, $3 email, $4 password file), never spliced into the script,
   * and the password is read from the secrets folder, never put on a command line that a manifest
   * shows.
   */
  static final String BOOTSTRAP =
      "export MMCTL_LOCAL_SOCKET_PATH=\"$1\"; n=0; while [ \"$n\" -lt 60 ]; do"
          + " if [ -S \"$1\" ]; then out=$(mmctl --local user create --system-admin"
          + " --username \"$2\" --email \"$3\" --password \"$(cat \"$4\")\" 2>&1) && exit 0;"
          + " case \"$out\" in *\"already exists\"*) exit 0;; esac; fi;"
          + " n=$((n + 1)); sleep 2; done; exit 0";

  /** The platform account's email, at the instance's host (Mattermost wants a dotted domain). */
  public static String adminEmail(String host) {
    return ADMIN + "@" + (host.contains(".") ? host : host + ".localdomain");
  }

  @Override
  public Rendered render(InstanceSpec spec, Placement placement, Map<String, String> secrets) {
    boolean accounts = spec.login() == LoginMode.ACCOUNTS;
    String socket = placement.runDir() + "/mattermost_local.socket";
    Map<String, Object> c = new LinkedHashMap<>();
    c.put(
        "ServiceSettings",
        map(
            "SiteURL",
            placement.baseUrl(),
            "ListenAddress",
            placement.bindAddress() + ":" + placement.port(),
            "EnableLocalMode",
            accounts,
            "LocalModeSocketLocation",
            socket,
            "EnableSecurityFixAlert",
            false,
            "EnableDeveloper",
            false));
    c.put(
        "TeamSettings",
        map(
            "SiteName",
            siteName(spec.displayName()),
            "MaxUsersPerTeam",
            spec.plan().maxUsers(),
            "EnableOpenServer",
            false,
            "EnableUserCreation",
            spec.login() != LoginMode.ACCOUNTS));
    c.put(
        "SqlSettings",
        map("DriverName", "postgres", "DataSource", "", "MaxOpenConns", 20, "MaxIdleConns", 5));
    c.put(
        "FileSettings",
        map(
            "DriverName",
            "local",
            "Directory",
            placement.dataDir() + "/files",
            "MaxFileSize",
            52428800));
    c.put(
        "LogSettings",
        map(
            "EnableConsole", true,
            "ConsoleLevel", "INFO",
            "ConsoleJson", true,
            "EnableFile", false,
            "EnableDiagnostics", false));
    c.put("PluginSettings", map("Enable", false, "EnableUploads", false));
    c.put(
        "EmailSettings",
        map(
            "EnableSignUpWithEmail",
            false,
            "EnableSignInWithEmail",
            spec.login() == LoginMode.ACCOUNTS,
            "EnableSignInWithUsername",
            spec.login() == LoginMode.ACCOUNTS,
            "SendEmailNotifications",
            false));
    String realm = spec.issuer();
    // Users are read from identity's organisation gate, not the realm's userinfo: only the
    // organisation's members get in, their email only once verified (docs/adr/0030).
    String gate = spec.signInGate() + "/api/v1/chat-sign-in/" + spec.id();
    c.put(
        "GitLabSettings",
        spec.login() == LoginMode.GITLAB
            ? map(
                "Enable",
                true,
                "Id",
                spec.clientId(),
                "Scope",
                "",
                "AuthEndpoint",
                realm + "/protocol/openid-connect/auth",
                "TokenEndpoint",
                realm + "/protocol/openid-connect/token",
                "UserAPIEndpoint",
                gate + "/userinfo")
            : map("Enable", false));
    c.put(
        "OpenIdSettings",
        spec.login() == LoginMode.OPENID
            ? map(
                "Enable",
                true,
                "Id",
                spec.clientId(),
                "DiscoveryEndpoint",
                gate + "/.well-known/openid-configuration",
                "AuthEndpoint",
                realm + "/protocol/openid-connect/auth",
                "TokenEndpoint",
                realm + "/protocol/openid-connect/token",
                "UserAPIEndpoint",
                gate + "/userinfo",
                "Scope",
                "profile openid email",
                "ButtonText",
                "Salons")
            : map("Enable", false));
    c.put(
        "DataRetentionSettings",
        map(
            "EnableMessageDeletion",
            spec.retentionDays() > 0,
            "MessageRetentionDays",
            Math.max(spec.retentionDays(), 1)));

    Map<String, String> env = new LinkedHashMap<>();
    env.put("MM_SQLSETTINGS_DATASOURCE", dataSource(spec.database(), secrets));
    env.put("MM_SQLSETTINGS_ATRESTENCRYPTKEY", secrets.get(InstanceSecrets.AT_REST_KEY));
    String clientSecret = secrets.getOrDefault(InstanceSecrets.OIDC_CLIENT_SECRET, "");
    if (spec.login() == LoginMode.OPENID) {
      env.put("MM_OPENIDSETTINGS_SECRET", clientSecret);
    } else if (spec.login() == LoginMode.GITLAB) {
      env.put("MM_GITLABSETTINGS_SECRET", clientSecret);
    }
    Map<String, String> secretFiles = new LinkedHashMap<>();
    List<String> afterStart = List.of();
    if (accounts) {
      secretFiles.put(ADMIN_PASSWORD_FILE, secrets.get(InstanceSecrets.MATTERMOST_ADMIN_PASSWORD));
      afterStart =
          List.of(
              "/bin/sh",
              "-c",
              BOOTSTRAP,
              "salons-bootstrap",
              socket,
              ADMIN,
              adminEmail(URI.create(placement.baseUrl()).getHost()),
              placement.secretsDir() + "/" + ADMIN_PASSWORD_FILE);
    }
    return new Rendered(
        Map.of("config.json", Serializers.json(c)),
        secretFiles,
        env,
        List.of("mattermost", "server", "--config", placement.dataDir() + "/config.json"),
        PORT,
        "/api/v4/system/ping",
        RUN_AS,
        true,
        afterStart);
  }

  /** Mattermost refuses site names over 30 characters. */
  static String siteName(String displayName) {
    return displayName.length() <= 30 ? displayName : displayName.substring(0, 30);
  }

  private static String dataSource(InstanceSpec.Database db, Map<String, String> secrets) {
    try {
      return new URI(
              "postgres",
              db.user() + ":" + secrets.get(InstanceSecrets.DB_PASSWORD),
              db.host(),
              db.port(),
              "/" + db.name(),
              "sslmode=disable&connect_timeout=10",
              null)
          .toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("database address", e);
    }
  }
}
