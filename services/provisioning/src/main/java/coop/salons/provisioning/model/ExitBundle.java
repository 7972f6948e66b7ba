package coop.salons.provisioning.model;

import static coop.salons.provisioning.model.Serializers.map;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The texts of an exit bundle (docs/adr/0033): what an association needs to run its server outside
 * the platform, beside the backup's database dump and media. A configuration for a server of its
 * own (the same server name, its signing key, passwords on instead of the platform's sign-in), a
 * compose file (PostgreSQL, a one-time restore, the server), a script that loads the dump, and the
 * steps in English and French. Pure: the caller writes the files.
 */
public final class ExitBundle {

  /** The bundle's format, in its manifest. */
  public static final String FORMAT = "salons-exit/1";

  /** The database dump, {@code pg_dump}'s custom format. */
  public static final String DUMP = "database.dump";

  /** The script that loads the dump into an empty database, once. */
  public static final String RESTORE_SCRIPT = "restore-database.sh";

  /** The PostgreSQL image the compose file runs (Synapse and Mattermost both support 17). */
  public static final String POSTGRES_IMAGE = "postgres:17";

  private ExitBundle() {}

  /**
   * What the bundle is made from.
   *
   * @param image the server's image, without tag
   * @param publicUrl the URL members used, ending with a slash
   * @param secrets the secrets the server needs to stay itself (a Matrix server's signing key,
   *     macaroon, form and registration secrets; Mattermost's at-rest key): never the platform's
   *     own (its database password, its sign-in client's secret)
   * @param databasePassword a fresh password for the database the compose file makes
   */
  public record Source(
      Flavour flavour,
      String image,
      String version,
      String serverName,
      String publicUrl,
      String organization,
      String slug,
      int retentionDays,
      Map<String, String> secrets,
      String databasePassword) {

    /** The archive of media (Synapse) or files (Mattermost) in the bundle. */
    public String filesArchive() {
      return flavour == Flavour.MATRIX ? "media.tar" : "files.tar";
    }

    String database() {
      return flavour == Flavour.MATRIX ? "synapse" : "mattermost";
    }
  }

  /** Every text file of the bundle, by name, in the order a reader meets them. */
  public static Map<String, String> render(Source s) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("README.md", readme(s));
    files.put("LISEZMOI.md", lisezmoi(s));
    files.put("compose.yaml", Serializers.yaml(compose(s)));
    files.put(RESTORE_SCRIPT, restoreScript());
    if (s.flavour() == Flavour.MATRIX) {
      files.put("homeserver.yaml", Serializers.yaml(homeserver(s)));
      files.put("log.config", Serializers.yaml(SynapseRenderer.logConfig()));
      files.put("signing.key", s.secrets().get(InstanceSecrets.SIGNING_KEY).strip() + "\n");
    }
    return files;
  }

  /**
   * Synapse's configuration for a server of the association's own, in the compose file's paths
   * ({@code /data} is the bundle's folder): the same server name and signing key, the platform's
   * sign-in replaced by passwords (set by an administrator, as the README says), open federation,
   * the association's retention kept.
   */
  static Map<String, Object> homeserver(Source s) {
    Map<String, Object> hs = new LinkedHashMap<>();
    hs.put("server_name", s.serverName());
    hs.put("public_baseurl", s.publicUrl());
    hs.put("pid_file", "/data/homeserver.pid");
    hs.put("report_stats", false);
    hs.put(
        "listeners",
        List.of(
            map(
                "port",
                8008,
                "bind_addresses",
                List.of("0.0.0.0"),
                "type",
                "http",
                "tls",
                false,
                "x_forwarded",
                true,
                "resources",
                List.of(map("names", List.of("client", "federation"), "compress", false)))));
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("user", s.database());
    args.put("password", s.databasePassword());
    args.put("dbname", s.database());
    args.put("host", "db");
    args.put("port", 5432);
    args.put("cp_min", 1);
    args.put("cp_max", 10);
    hs.put("database", map("name", "psycopg2", "args", args));
    hs.put("log_config", "/data/log.config");
    hs.put("media_store_path", "/data/media");
    hs.put("max_upload_size", "50M");
    hs.put("signing_key_path", "/data/signing.key");
    hs.put("macaroon_secret_key", s.secrets().get(InstanceSecrets.MACAROON));
    hs.put("form_secret", s.secrets().get(InstanceSecrets.FORM));
    hs.put("registration_shared_secret", s.secrets().get(InstanceSecrets.REGISTRATION));
    hs.put("enable_registration", false);
    hs.put("password_config", map("enabled", true));
    hs.put(
        "room_list_publication_rules",
        List.of(map("user_id", "@*:" + s.serverName(), "action", "allow"), map("action", "deny")));
    if (s.retentionDays() > 0) {
      hs.put(
          "retention",
          map(
              "enabled",
              true,
              "default_policy",
              map("min_lifetime", "1d", "max_lifetime", s.retentionDays() + "d"),
              "purge_jobs",
              List.of(map("interval", "12h"))));
    }
    hs.put("trusted_key_servers", List.of(map("server_name", "matrix.org")));
    hs.put("suppress_key_server_warning", true);
    hs.put("serve_server_wellknown", true);
    return hs;
  }

  /**
   * PostgreSQL (C collation, as Synapse requires), a one-time service that loads the dump, and the
   * server, which starts once the dump is in.
   */
  static Map<String, Object> compose(Source s) {
    String db = s.database();
    Map<String, Object> services = new LinkedHashMap<>();
    services.put(
        "db",
        map(
            "image", POSTGRES_IMAGE,
            "restart", "unless-stopped",
            "environment",
                map(
                    "POSTGRES_USER",
                    db,
                    "POSTGRES_PASSWORD",
                    s.databasePassword(),
                    "POSTGRES_DB",
                    db,
                    "POSTGRES_INITDB_ARGS",
                    "--encoding=UTF8 --lc-collate=C --lc-ctype=C"),
            "volumes", List.of("postgres:/var/lib/postgresql/data"),
            "healthcheck",
                map(
                    "test",
                    List.of("CMD", "pg_isready", "-U", db, "-d", db),
                    "interval",
                    "5s",
                    "retries",
                    30)));
    services.put(
        "restore",
        map(
            "image", POSTGRES_IMAGE,
            "depends_on", map("db", map("condition", "service_healthy")),
            "environment",
                map(
                    "PGHOST",
                    "db",
                    "PGUSER",
                    db,
                    "PGPASSWORD",
                    s.databasePassword(),
                    "PGDATABASE",
                    db),
            "volumes", List.of("./:/bundle:ro"),
            "command", List.of("sh", "/bundle/" + RESTORE_SCRIPT)));
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("image", s.image() + ":" + s.flavour().imageTag(s.version()));
    server.put("restart", "unless-stopped");
    server.put("depends_on", map("restore", map("condition", "service_completed_successfully")));
    if (s.flavour() == Flavour.MATRIX) {
      server.put("environment", map("SYNAPSE_CONFIG_PATH", "/data/homeserver.yaml"));
      server.put("volumes", List.of("./:/data"));
      server.put("ports", List.of("8008:8008"));
      services.put("synapse", server);
    } else {
      Map<String, Object> env = new LinkedHashMap<>();
      env.put("MM_SQLSETTINGS_DRIVERNAME", "postgres");
      env.put(
          "MM_SQLSETTINGS_DATASOURCE",
          "postgres://"
              + db
              + ":"
              + s.databasePassword()
              + "@db:5432/"
              + db
              + "?sslmode=disable&connect_timeout=10");
      env.put("MM_SQLSETTINGS_ATRESTENCRYPTKEY", s.secrets().get(InstanceSecrets.AT_REST_KEY));
      env.put("MM_SERVICESETTINGS_SITEURL", stripSlash(s.publicUrl()));
      env.put("MM_FILESETTINGS_DIRECTORY", "/mattermost/data/");
      env.put("MM_EMAILSETTINGS_ENABLESIGNINWITHEMAIL", "true");
      env.put("MM_EMAILSETTINGS_ENABLESIGNINWITHUSERNAME", "true");
      env.put("MM_GITLABSETTINGS_ENABLE", "false");
      env.put("MM_OPENIDSETTINGS_ENABLE", "false");
      server.put("environment", env);
      server.put("volumes", List.of("./files:/mattermost/data"));
      server.put("ports", List.of("8065:8065"));
      services.put("mattermost", server);
    }
    Map<String, Object> compose = new LinkedHashMap<>();
    compose.put("name", "salons-" + s.organization() + "-" + s.slug());
    compose.put("services", services);
    compose.put("volumes", map("postgres", map()));
    return compose;
  }

  /** Loads the dump into the database libpq's variables name, unless it has tables already. */
  static String restoreScript() {
    return """
        #!/bin/sh
        # Loads database.dump into the empty database named by libpq's variables
        # (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). Runs once: a database that
        # has tables already is left as it is, so running it again changes nothing.
        set -eu
        here=$(cd "$(dirname "$0")" && pwd)
        tables=$(psql -tAc "select count(*) from pg_tables where schemaname = 'public'")
        if [ "$tables" != "0" ]; then
          echo "The database has tables already: nothing restored."
          exit 0
        fi
        pg_restore --no-owner --no-privileges --exit-on-error --dbname="$PGDATABASE" "$here/database.dump"
        echo "Database restored."
        """;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String readme(Source s) {
    boolean matrix = s.flavour() == Flavour.MATRIX;
    String server = matrix ? "synapse" : "mattermost";
    String port = matrix ? "8008" : "8065";
    StringBuilder r = new StringBuilder();
    r.append("# Your ")
        .append(matrix ? "Matrix server" : "Mattermost server")
        .append(", ready to run on your own\n\n")
        .append(
            "This folder is everything the platform kept of `%s` (organisation `%s`): its database (`database.dump`), its %s (`%s`)%s, and what runs it: `compose.yaml`%s and `%s`.\n\n"
                .formatted(
                    s.slug(),
                    s.organization(),
                    matrix ? "media" : "files",
                    s.filesArchive(),
                    matrix ? ", its signing key (`signing.key`)" : "",
                    matrix ? ", `homeserver.yaml`" : "",
                    RESTORE_SCRIPT))
        .append(
            "Keep this folder private: it holds your members' messages and the server's keys.\n\n");
    if (matrix) {
      r.append("## Your server's name: `")
          .append(s.serverName())
          .append("`\n\n")
          .append(
              "Every account and room carries it (`@someone:%s`) and it can never change. Other servers find yours by it: point it at your new server, either its DNS (the host `%s`) or a delegation file `https://%s/.well-known/matrix/server` naming your server. If the name is under your hoster's domain, ask your hoster to set up that delegation for you.\n\n"
                  .formatted(s.serverName(), hostOf(s.serverName()), hostOf(s.serverName())));
    }
    r.append("## With Docker Compose\n\n")
        .append("```sh\n")
        .append("tar -xf ")
        .append(s.filesArchive())
        .append("\n");
    if (matrix) {
      r.append("sudo chown -R 991:991 .   # this folder, for the user Synapse's image runs as\n");
    } else {
      r.append("sudo chown -R 2000:2000 files   # the user Mattermost's image runs as\n");
    }
    r.append("docker compose up -d\n")
        .append("docker compose logs -f ")
        .append(server)
        .append("\n```\n\n")
        .append(
            "`db` starts PostgreSQL, `restore` loads the dump once (it leaves a database that has tables alone), then `%s` starts on port %s. Put it behind your reverse proxy with HTTPS at `%s`.\n\n"
                .formatted(server, port, s.publicUrl()));
    r.append("## Without containers\n\n")
        .append(
            "1. PostgreSQL 17 (or newer): a user and a database `%s`, the database in UTF-8 with the C collation%s:\n\n"
                .formatted(s.database(), matrix ? " (Synapse requires it)" : ""))
        .append("   ```sh\n")
        .append("   createuser --pwprompt ")
        .append(s.database())
        .append("\n   createdb --owner=")
        .append(s.database())
        .append(" --encoding=UTF8 --lc-collate=C --lc-ctype=C --template=template0 ")
        .append(s.database())
        .append("\n   ```\n\n")
        .append("2. Load the dump (libpq's variables name the database):\n\n")
        .append("   ```sh\n")
        .append("   PGHOST=localhost PGUSER=")
        .append(s.database())
        .append(" PGPASSWORD=… PGDATABASE=")
        .append(s.database())
        .append(" sh ")
        .append(RESTORE_SCRIPT)
        .append("\n   tar -xf ")
        .append(s.filesArchive())
        .append("\n   ```\n\n");
    if (matrix) {
      r.append("3. Synapse ")
          .append(s.version())
          .append(" (or newer) installed (`pip install 'matrix-synapse[postgres]==")
          .append(s.version())
          .append(
              "'`). In `homeserver.yaml`, replace `/data/` by this folder's path, and set `database.args` (`host`, `port`, `password`) to your PostgreSQL; set the listener's `bind_addresses` and `port` as you like. Then:\n\n")
          .append("   ```sh\n")
          .append("   python -m synapse.app.homeserver --config-path homeserver.yaml\n")
          .append("   ```\n\n");
    } else {
      r.append("3. Mattermost ")
          .append(s.version())
          .append(
              " (or newer), with the settings `compose.yaml` gives it (the `MM_…` variables): the data source, the at-rest key (keep it: it decrypts what Mattermost encrypted), the site URL and the files folder (this folder's `files`).\n\n");
    }
    r.append("## Signing in\n\n");
    if (matrix) {
      r.append(
              "On the platform members signed in through its single sign-on; your own server uses passwords. Make yourself an administrator, then give each member a password (they can change it afterwards):\n\n")
          .append("```sh\n")
          .append(
              "docker compose exec synapse register_new_matrix_user -c /data/homeserver.yaml -u admin -a http://localhost:8008\n")
          .append(
              "#   (without containers: register_new_matrix_user -c homeserver.yaml -u admin -a http://localhost:8008)\n")
          .append(
              "TOKEN=$(curl -s http://localhost:8008/_matrix/client/v3/login -d '{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"admin\"},\"password\":\"…\"}' | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n")
          .append(
              "curl -s -H \"Authorization: Bearer $TOKEN\" 'http://localhost:8008/_synapse/admin/v2/users?guests=false'   # your members\n")
          .append(
              "curl -s -X PUT -H \"Authorization: Bearer $TOKEN\" http://localhost:8008/_synapse/admin/v2/users/@someone:%s -d '{\"password\":\"…\",\"logout_devices\":false}'\n"
                  .formatted(s.serverName()))
          .append("```\n\n")
          .append(
              "Members then sign in at `%s` with their user name and that password, in Element or any Matrix app. To keep single sign-on, add your own identity provider under `oidc_providers` (Synapse's documentation, \"OpenID Connect\").\n\n"
                  .formatted(s.publicUrl()));
    } else {
      r.append(
              "On the platform members signed in through its single sign-on; your own server uses email and password. Give each member a password from the server's command line (they can change it afterwards):\n\n")
          .append("```sh\n")
          .append("docker compose exec mattermost mmctl --local user list\n")
          .append(
              "docker compose exec mattermost mmctl --local user change-password someone --password '…'\n")
          .append(
              "docker compose exec mattermost mmctl --local user change-auth-method someone email   # if asked\n")
          .append("```\n\n");
    }
    r.append("## What is not in this folder\n\n")
        .append(
            "The platform's own secrets (its database password, its sign-in client) are not here: this server gets new ones. Messages older than the retention you chose had already been removed.\n");
    return r.toString();
  }

  private static String lisezmoi(Source s) {
    boolean matrix = s.flavour() == Flavour.MATRIX;
    StringBuilder r = new StringBuilder();
    r.append("# Votre serveur ")
        .append(matrix ? "Matrix" : "Mattermost")
        .append(", prêt à tourner chez vous\n\n")
        .append(
            "Ce dossier contient tout ce que la plateforme gardait de `%s` (organisation `%s`) : sa base de données (`database.dump`), ses %s (`%s`)%s, et de quoi le faire tourner : `compose.yaml`%s et `%s`. Gardez-le privé : il contient les messages de vos membres et les clés du serveur.\n\n"
                .formatted(
                    s.slug(),
                    s.organization(),
                    matrix ? "médias" : "fichiers",
                    s.filesArchive(),
                    matrix ? ", sa clé de signature (`signing.key`)" : "",
                    matrix ? ", `homeserver.yaml`" : "",
                    RESTORE_SCRIPT));
    if (matrix) {
      r.append(
          "Le nom de votre serveur, `%s`, figure dans chaque compte et chaque salon et ne peut jamais changer : faites-le pointer vers votre nouveau serveur (son DNS, ou une délégation `https://%s/.well-known/matrix/server`) ; s'il est sous le domaine de votre hébergeur, demandez-lui cette délégation.\n\n"
              .formatted(s.serverName(), hostOf(s.serverName())));
    }
    r.append("Avec Docker Compose :\n\n```sh\ntar -xf ")
        .append(s.filesArchive())
        .append("\n")
        .append(matrix ? "sudo chown -R 991:991 .\n" : "sudo chown -R 2000:2000 files\n")
        .append("docker compose up -d\n```\n\n")
        .append(
            "Sans conteneurs, et pour donner un mot de passe à vos membres (la connexion unique de la plateforme ne vous suit pas) : les étapes détaillées sont dans `README.md`, dans le même ordre.\n");
    return r.toString();
  }

  private static String hostOf(String serverName) {
    int colon = serverName.lastIndexOf(':');
    return colon > 0 && serverName.indexOf(']') < colon
        ? serverName.substring(0, colon)
        : serverName;
  }
}
