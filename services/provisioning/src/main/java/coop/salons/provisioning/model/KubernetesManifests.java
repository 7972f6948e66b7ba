package coop.salons.provisioning.model;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPortBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every Kubernetes object an instance needs, in the order they are applied: the namespace and its
 * fences first (quota, limits, network policies), then secrets and configuration, storage, the
 * workload, and how it is reached. Pure: spec in, objects out.
 */
public final class KubernetesManifests {

  /** SHA-256 of the configuration files, names and contents, in name order (hex). */
  static String checksum(Map<String, String> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
        for (String part : List.of(f.getKey(), f.getValue())) {
          byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
          sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
          sha.update(bytes);
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final String CONFIG_DIR = "/config";
  public static final String DATA_DIR = "/data";
  public static final String SECRETS_DIR = "/secrets";

  /** The container's /tmp: an emptyDir, so the root filesystem stays read-only. */
  public static final String RUN_DIR = "/tmp";

  public static final String ORG_LABEL = "salons.coop/org";
  public static final String INSTANCE_LABEL = "salons.coop/instance";
  public static final String MANAGED_BY = "salons-provisioning";

  /**
   * What the cluster around the instances looks like.
   *
   * @param webClient the in-cluster DNS name of the platform's shared Element Web Service, when the
   *     chart deploys one: each Matrix instance's host then serves it at {@code /} (docs/adr/0025)
   * @param authServiceImage the Matrix Authentication Service's image with its tag, for the Matrix
   *     instances that sign in through it (docs/adr/0038)
   */
  public record Cluster(
      String ingressClass,
      String clusterIssuer,
      String ingressNamespace,
      String databaseCidr,
      Optional<String> storageClass,
      Optional<String> webClient,
      String authServiceImage) {}

  /** The Service that stands, in an instance's namespace, for the platform's shared web client. */
  public static final String WEB_CLIENT_SERVICE = "web-client";

  /**
   * The paths a Matrix server answers; the rest of its host is the web client's, when there is one.
   */
  static final List<String> MATRIX_PATHS = List.of("/_matrix", "/_synapse", "/.well-known/matrix");

  private KubernetesManifests() {}

  /** The namespace of an instance: its id, so that it is unique and never needs escaping. */
  public static String namespace(InstanceSpec spec) {
    return "salons-" + spec.id();
  }

  /** The server's Service in its namespace ({@code synapse}, {@code mattermost}). */
  public static String serverName(InstanceSpec spec) {
    return spec.flavour() == Flavour.MATRIX ? "synapse" : "mattermost";
  }

  /** Where the server listens and keeps its files inside its container. */
  public static Placement placement(InstanceSpec spec) {
    return new Placement(
        "0.0.0.0",
        spec.flavour() == Flavour.MATRIX ? SynapseRenderer.PORT : MattermostRenderer.PORT,
        "https://" + spec.host() + "/",
        spec.host(),
        CONFIG_DIR,
        DATA_DIR,
        SECRETS_DIR,
        RUN_DIR,
        Optional.empty(),
        spec.flavour() == Flavour.MATRIX
            ? Optional.of(MasRenderer.inCluster("https://" + spec.host(), serverName(spec)))
            : Optional.empty());
  }

  /** The labels every object of the instance carries. */
  public static Map<String, String> labels(InstanceSpec spec) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("app.kubernetes.io/name", spec.flavour() == Flavour.MATRIX ? "synapse" : "mattermost");
    l.put("app.kubernetes.io/instance", spec.slug());
    l.put("app.kubernetes.io/version", spec.version());
    l.put("app.kubernetes.io/component", "chat");
    l.put("app.kubernetes.io/part-of", "salons");
    l.put("app.kubernetes.io/managed-by", MANAGED_BY);
    l.put(ORG_LABEL, spec.organization());
    l.put(INSTANCE_LABEL, spec.id().toString());
    return l;
  }

  /** The labels that select the instance's pods (they never change over its life). */
  public static Map<String, String> selector(InstanceSpec spec) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(INSTANCE_LABEL, spec.id().toString());
    l.put("app.kubernetes.io/component", "chat");
    return l;
  }

  /** The labels of the instance's backup pod (not the server's: its Service never routes to it). */
  static Map<String, String> backupSelector(InstanceSpec spec) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(INSTANCE_LABEL, spec.id().toString());
    l.put("app.kubernetes.io/component", "backup");
    return l;
  }

  /** The backup pod's name in the instance's namespace. */
  public static final String BACKUP_POD = "backup";

  /** Its container's name. */
  public static final String BACKUP_CONTAINER = "backup";

  static final int BACKUP_CPU_REQUEST = 50;
  static final int BACKUP_CPU_LIMIT = 500;
  static final int BACKUP_MEMORY_REQUEST = 64;
  static final int BACKUP_MEMORY_LIMIT = 256;

  /**
   * The pod that backs an instance up and restores it (docs/adr/0037): PostgreSQL's client tools
   * ({@code image}, of the tenants' server's major version or newer) beside the instance's volume,
   * signed in to its database as the instance's own role (its password from the instance's Secret,
   * never on a command line). The platform runs {@code pg_dump}, {@code pg_restore} and {@code tar}
   * in it and streams their bytes through the API server; it does nothing on its own but wait, and
   * is gone after {@code deadlineSeconds} if nobody removes it. As the server's user, so that the
   * files it restores are the server's; {@code besideServer}: on the running server's node, since
   * its volume may be mounted on one node only.
   */
  public static io.fabric8.kubernetes.api.model.Pod backupPod(
      InstanceSpec spec, String image, long deadlineSeconds, boolean besideServer) {
    String name = spec.flavour() == Flavour.MATRIX ? "synapse" : "mattermost";
    long uid =
        spec.flavour() == Flavour.MATRIX ? SynapseRenderer.RUN_AS : MattermostRenderer.RUN_AS;
    InstanceSpec.Database db = spec.database();
    Map<String, String> podLabels = new LinkedHashMap<>(labels(spec));
    podLabels.putAll(backupSelector(spec));
    io.fabric8.kubernetes.api.model.PodBuilder pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder(meta(spec, BACKUP_POD)).withLabels(podLabels).build())
            .withNewSpec()
            .withRestartPolicy("Never")
            .withActiveDeadlineSeconds(deadlineSeconds)
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withSecurityContext(restrictedPod((int) uid))
            .addNewContainer()
            .withName(BACKUP_CONTAINER)
            .withImage(image)
            .withCommand("sleep", String.valueOf(deadlineSeconds))
            .withWorkingDir(DATA_DIR)
            .withEnv(
                new EnvVarBuilder().withName("PGHOST").withValue(db.host()).build(),
                new EnvVarBuilder().withName("PGPORT").withValue(String.valueOf(db.port())).build(),
                new EnvVarBuilder().withName("PGUSER").withValue(db.user()).build(),
                new EnvVarBuilder().withName("PGDATABASE").withValue(db.name()).build(),
                new EnvVarBuilder()
                    .withName("PGPASSWORD")
                    .withNewValueFrom()
                    .withNewSecretKeyRef()
                    .withName(name + "-secrets")
                    .withKey("salons." + InstanceSecrets.DB_PASSWORD)
                    .endSecretKeyRef()
                    .endValueFrom()
                    .build(),
                // Where the client tools write what they must (the root is read-only).
                new EnvVarBuilder().withName("HOME").withValue(RUN_DIR).build())
            .withNewResources()
            .addToRequests("cpu", new Quantity(BACKUP_CPU_REQUEST + "m"))
            .addToRequests("memory", new Quantity(BACKUP_MEMORY_REQUEST + "Mi"))
            .addToLimits("cpu", new Quantity(BACKUP_CPU_LIMIT + "m"))
            .addToLimits("memory", new Quantity(BACKUP_MEMORY_LIMIT + "Mi"))
            .endResources()
            .withSecurityContext(restrictedContainer())
            .addNewVolumeMount()
            .withName("data")
            .withMountPath(DATA_DIR)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("tmp")
            .withMountPath(RUN_DIR)
            .endVolumeMount()
            .endContainer()
            .addAllToVolumes(dataAndScratchVolumes(name))
            .endSpec();
    if (besideServer) {
      pod.editSpec()
          .withNewAffinity()
          .withNewPodAffinity()
          .addNewRequiredDuringSchedulingIgnoredDuringExecution()
          .withNewLabelSelector()
          .withMatchLabels(selector(spec))
          .endLabelSelector()
          .withTopologyKey("kubernetes.io/hostname")
          .endRequiredDuringSchedulingIgnoredDuringExecution()
          .endPodAffinity()
          .endAffinity()
          .endSpec();
    }
    return pod.build();
  }

  /** The instance's namespace, restricted by the pod security admission. */
  public static Namespace namespaceObject(InstanceSpec spec) {
    return new NamespaceBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(namespace(spec))
                .withLabels(labels(spec))
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .addToAnnotations("salons.coop/display-name", spec.displayName())
                .build())
        .build();
  }

  public static List<HasMetadata> render(
      InstanceSpec spec, Rendered rendered, Cluster cluster, Map<String, String> secrets) {
    String ns = namespace(spec);
    String name = serverName(spec);
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(namespaceObject(spec));
    PlanLimits plan = spec.plan();
    int mas = spec.authService() ? 1 : 0;
    objects.add(
        new ResourceQuotaBuilder()
            .withMetadata(meta(spec, "plan-" + plan.name()))
            .withNewSpec()
            // The plan's, room for the backup pod beside the server (backupPod), and for MAS.
            .addToHard(
                "requests.cpu",
                new Quantity(plan.cpuMillis() + BACKUP_CPU_REQUEST + mas * MAS_CPU_REQUEST + "m"))
            .addToHard(
                "limits.cpu",
                new Quantity(plan.cpuMillis() * 2 + BACKUP_CPU_LIMIT + mas * MAS_CPU_LIMIT + "m"))
            .addToHard(
                "requests.memory",
                new Quantity(
                    plan.memoryMib() + BACKUP_MEMORY_REQUEST + mas * MAS_MEMORY_REQUEST + "Mi"))
            .addToHard(
                "limits.memory",
                new Quantity(
                    plan.memoryMib() + BACKUP_MEMORY_LIMIT + mas * MAS_MEMORY_LIMIT + "Mi"))
            .addToHard("requests.storage", new Quantity(plan.storageGb() + "Gi"))
            .addToHard("persistentvolumeclaims", new Quantity("2"))
            .addToHard("pods", new Quantity("4"))
            .addToHard("services.loadbalancers", new Quantity("0"))
            .addToHard("services.nodeports", new Quantity("0"))
            .endSpec()
            .build());
    objects.add(
        new LimitRangeBuilder()
            .withMetadata(meta(spec, "defaults"))
            .withNewSpec()
            .addNewLimit()
            .withType("Container")
            .addToDefault("cpu", new Quantity(plan.cpuMillis() + "m"))
            .addToDefault("memory", new Quantity(plan.memoryMib() + "Mi"))
            .addToDefaultRequest("cpu", new Quantity("50m"))
            .addToDefaultRequest("memory", new Quantity("64Mi"))
            .endLimit()
            .endSpec()
            .build());
    objects.addAll(networkPolicies(spec, rendered, cluster));
    Map<String, String> secretData = new LinkedHashMap<>();
    rendered.secretFiles().forEach((k, v) -> secretData.put(k, b64(v)));
    rendered.secretEnv().forEach((k, v) -> secretData.put(k, b64(v)));
    secrets.forEach((k, v) -> secretData.put("salons." + k, b64(v)));
    objects.add(
        new SecretBuilder()
            .withMetadata(meta(spec, name + "-secrets"))
            .withType("Opaque")
            .withData(secretData)
            .build());
    objects.add(
        new ConfigMapBuilder()
            .withMetadata(meta(spec, name + "-config"))
            .withData(new LinkedHashMap<>(rendered.configFiles()))
            .build());
    PersistentVolumeClaimBuilder pvc =
        new PersistentVolumeClaimBuilder()
            .withMetadata(meta(spec, name + "-data"))
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity(plan.storageGb() + "Gi"))
            .endResources()
            .endSpec();
    cluster.storageClass().ifPresent(sc -> pvc.editSpec().withStorageClassName(sc).endSpec());
    objects.add(pvc.build());
    objects.add(deployment(spec, rendered, name));
    objects.add(
        new ServiceBuilder()
            .withMetadata(meta(spec, name))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(selector(spec))
            .addNewPort()
            .withName("http")
            .withPort(80)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .endSpec()
            .build());
    Optional<String> webClient =
        spec.flavour() == Flavour.MATRIX ? cluster.webClient() : Optional.empty();
    webClient.ifPresent(
        target ->
            objects.add(
                new ServiceBuilder()
                    .withMetadata(meta(spec, WEB_CLIENT_SERVICE))
                    .withNewSpec()
                    .withType("ExternalName")
                    .withExternalName(target)
                    .addNewPort()
                    .withName("http")
                    .withPort(80)
                    .endPort()
                    .endSpec()
                    .build()));
    List<HTTPIngressPath> paths = new ArrayList<>();
    if (spec.authService()) {
      // MAS's pages, and the Matrix paths it answers instead of Synapse (longest prefix wins).
      paths.add(ingressPath(MasRenderer.PREFIX, MasRenderer.MAS_SERVICE));
      MasRenderer.COMPAT_PATHS.forEach(
          path -> paths.add(ingressPath(path, MasRenderer.MAS_SERVICE, "compat")));
    }
    if (webClient.isPresent()) {
      MATRIX_PATHS.forEach(path -> paths.add(ingressPath(path, name)));
      paths.add(ingressPath("/", WEB_CLIENT_SERVICE));
    } else {
      paths.add(ingressPath("/", name));
    }
    if (spec.routed()) {
      objects.add(
          new IngressBuilder()
              .withMetadata(
                  new ObjectMetaBuilder(meta(spec, name))
                      .addToAnnotations("cert-manager.io/cluster-issuer", cluster.clusterIssuer())
                      .addToAnnotations("nginx.ingress.kubernetes.io/proxy-body-size", "50m")
                      .build())
              .withNewSpec()
              .withIngressClassName(cluster.ingressClass())
              .addNewTl()
              .withHosts(spec.host())
              .withSecretName(name + "-tls")
              .endTl()
              .addNewRule()
              .withHost(spec.host())
              .withNewHttp()
              .withPaths(paths)
              .endHttp()
              .endRule()
              .endSpec()
              .build());
    }
    return objects;
  }

  static final int MAS_CPU_REQUEST = 50;
  static final int MAS_CPU_LIMIT = 500;
  static final int MAS_MEMORY_REQUEST = 128;
  static final int MAS_MEMORY_LIMIT = 256;

  /** The labels that select the instance's MAS pod. */
  static Map<String, String> authSelector(InstanceSpec spec) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(INSTANCE_LABEL, spec.id().toString());
    l.put("app.kubernetes.io/component", "auth");
    return l;
  }

  /**
   * The Matrix Authentication Service beside a Matrix instance (docs/adr/0038): its configuration,
   * secrets, Deployment and Service, and the network policies that let the ingress controller, the
   * server and the realm reach it and it reach them. Routes are in the instance's Ingress ({@link
   * #render}).
   */
  public static List<HasMetadata> authService(InstanceSpec spec, Rendered mas, Cluster cluster) {
    String image = cluster.authServiceImage();
    String name = MasRenderer.MAS_SERVICE;
    Map<String, String> labels = new LinkedHashMap<>(labels(spec));
    labels.put("app.kubernetes.io/name", "matrix-authentication-service");
    labels.put("app.kubernetes.io/component", "auth");
    labels.put("app.kubernetes.io/version", image.substring(image.lastIndexOf(':') + 1));
    java.util.function.Function<String, ObjectMeta> meta =
        n -> new ObjectMetaBuilder(meta(spec, n)).withLabels(labels).build();
    List<HasMetadata> objects = new ArrayList<>();
    Map<String, String> secretData = new LinkedHashMap<>();
    mas.secretFiles().forEach((k, v) -> secretData.put(k, b64(v)));
    objects.add(
        new SecretBuilder()
            .withMetadata(meta.apply(name + "-secrets"))
            .withType("Opaque")
            .withData(secretData)
            .build());
    objects.add(
        new ConfigMapBuilder()
            .withMetadata(meta.apply(name + "-config"))
            .withData(new LinkedHashMap<>(mas.configFiles()))
            .build());
    Probe health =
        new ProbeBuilder()
            .withNewHttpGet()
            .withPath(mas.healthPath())
            .withPort(new IntOrString("compat"))
            .endHttpGet()
            .withPeriodSeconds(10)
            .withFailureThreshold(3)
            .build();
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(name)
            .withImage(image)
            // The image's entry point is mas-cli: the rest of the command line are its arguments.
            .withArgs(mas.command().subList(1, mas.command().size()))
            .addNewPort()
            .withName("http")
            .withContainerPort(MasRenderer.WEB_PORT)
            .endPort()
            .addNewPort()
            .withName("compat")
            .withContainerPort(MasRenderer.COMPAT_PORT)
            .endPort()
            .withReadinessProbe(health)
            .withLivenessProbe(
                new ProbeBuilder(health).withInitialDelaySeconds(30).withPeriodSeconds(20).build())
            .withNewResources()
            .addToRequests("cpu", new Quantity(MAS_CPU_REQUEST + "m"))
            .addToRequests("memory", new Quantity(MAS_MEMORY_REQUEST + "Mi"))
            .addToLimits("cpu", new Quantity(MAS_CPU_LIMIT + "m"))
            .addToLimits("memory", new Quantity(MAS_MEMORY_LIMIT + "Mi"))
            .endResources()
            .withSecurityContext(restrictedContainer())
            .addAllToVolumeMounts(configAndSecretMounts());
    objects.add(
        new DeploymentBuilder()
            .withMetadata(meta.apply(name))
            .withNewSpec()
            .withReplicas(spec.suspended() ? 0 : 1)
            .withNewSelector()
            .withMatchLabels(authSelector(spec))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .addToAnnotations("salons.coop/config-checksum", checksum(mas.configFiles()))
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withSecurityContext(restrictedPod(mas.runAsUser()))
            .addToContainers(container.build())
            .addAllToVolumes(configAndSecretVolumes(name))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    objects.add(
        new ServiceBuilder()
            .withMetadata(meta.apply(name))
            .withNewSpec()
            .withType("ClusterIP")
            .withSelector(authSelector(spec))
            .addNewPort()
            .withName("http")
            .withPort(80)
            .withTargetPort(new IntOrString("http"))
            .endPort()
            .addNewPort()
            .withName("compat")
            .withPort(MasRenderer.COMPAT_PORT)
            .withTargetPort(new IntOrString("compat"))
            .endPort()
            .endSpec()
            .build());
    objects.addAll(authServicePolicies(spec, cluster, meta));
    return objects;
  }

  /**
   * MAS's ways in and out: from the ingress controller (its pages and the Matrix paths it answers);
   * between it and the server (token checks one way, the admin API the other); out to the tenants'
   * database and to the realm over HTTPS. Name resolution is every pod's already ({@code
   * allow-dns}).
   */
  private static List<NetworkPolicy> authServicePolicies(
      InstanceSpec spec, Cluster cluster, java.util.function.Function<String, ObjectMeta> meta) {
    var auth =
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
            .withMatchLabels(authSelector(spec))
            .build();
    var server =
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
            .withMatchLabels(selector(spec))
            .build();
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta.apply("allow-auth-ingress"))
            .withNewSpec()
            .withPodSelector(auth)
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .withFrom(
                new NetworkPolicyPeerBuilder()
                    .withNewNamespaceSelector()
                    .addToMatchLabels("kubernetes.io/metadata.name", cluster.ingressNamespace())
                    .endNamespaceSelector()
                    .build())
            .withPorts(port("TCP", MasRenderer.WEB_PORT), port("TCP", MasRenderer.COMPAT_PORT))
            .endIngress()
            .addNewIngress()
            .withFrom(new NetworkPolicyPeerBuilder().withPodSelector(server).build())
            .withPorts(port("TCP", MasRenderer.WEB_PORT))
            .endIngress()
            .endSpec()
            .build());
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta.apply("allow-auth-egress"))
            .withNewSpec()
            .withPodSelector(auth)
            .withPolicyTypes("Egress")
            .addNewEgress()
            .withTo(new NetworkPolicyPeerBuilder().withPodSelector(server).build())
            .withPorts(port("TCP", SynapseRenderer.PORT))
            .endEgress()
            .addNewEgress()
            .withTo(
                new NetworkPolicyPeerBuilder()
                    .withNewIpBlock()
                    .withCidr(cluster.databaseCidr())
                    .endIpBlock()
                    .build())
            .withPorts(port("TCP", spec.database().port()))
            .endEgress()
            .addNewEgress()
            .withPorts(port("TCP", 443))
            .endEgress()
            .endSpec()
            .build());
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta.apply("allow-server-and-auth"))
            .withNewSpec()
            .withPodSelector(server)
            .withPolicyTypes("Ingress", "Egress")
            .addNewIngress()
            .withFrom(new NetworkPolicyPeerBuilder().withPodSelector(auth).build())
            .withPorts(port("TCP", SynapseRenderer.PORT))
            .endIngress()
            .addNewEgress()
            .withTo(new NetworkPolicyPeerBuilder().withPodSelector(auth).build())
            .withPorts(port("TCP", MasRenderer.WEB_PORT))
            .endEgress()
            .endSpec()
            .build());
    return policies;
  }

  /**
   * A path of the instance's host and the Service that answers it: the chat server's by its port's
   * name; the web client's ExternalName Service by number, since it has no endpoints to name one.
   */
  private static HTTPIngressPath ingressPath(String path, String service) {
    return ingressPath(path, service, "http");
  }

  private static HTTPIngressPath ingressPath(String path, String service, String portName) {
    ServiceBackendPort port =
        WEB_CLIENT_SERVICE.equals(service)
            ? new ServiceBackendPortBuilder().withNumber(80).build()
            : new ServiceBackendPortBuilder().withName(portName).build();
    return new HTTPIngressPathBuilder()
        .withPath(path)
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(service)
        .withPort(port)
        .endService()
        .endBackend()
        .build();
  }

  private static HasMetadata deployment(InstanceSpec spec, Rendered rendered, String name) {
    Probe ready =
        new ProbeBuilder()
            .withNewHttpGet()
            .withPath(rendered.healthPath())
            .withPort(new IntOrString("http"))
            .endHttpGet()
            .withPeriodSeconds(5)
            .withFailureThreshold(3)
            .build();
    Probe live =
        new ProbeBuilder()
            .withNewHttpGet()
            .withPath(rendered.healthPath())
            .withPort(new IntOrString("http"))
            .endHttpGet()
            .withInitialDelaySeconds(60)
            .withPeriodSeconds(20)
            .withFailureThreshold(6)
            .build();
    List<EnvVar> env = new ArrayList<>();
    for (String key : rendered.secretEnv().keySet()) {
      env.add(
          new EnvVarBuilder()
              .withName(key)
              .withNewValueFrom()
              .withNewSecretKeyRef()
              .withName(name + "-secrets")
              .withKey(key)
              .endSecretKeyRef()
              .endValueFrom()
              .build());
    }
    PlanLimits.Requests requests = spec.plan().requests(spec.flavour());
    ContainerBuilder server =
        new ContainerBuilder()
            .withName(name)
            .withImage(spec.imageReference())
            .withCommand(rendered.command())
            .withEnv(env)
            .addNewPort()
            .withName("http")
            .withContainerPort(rendered.port())
            .endPort()
            .withReadinessProbe(ready)
            .withLivenessProbe(live)
            .withNewResources()
            .addToRequests("cpu", new Quantity(requests.cpuMillis() + "m"))
            .addToRequests("memory", new Quantity(requests.memoryMib() + "Mi"))
            .addToLimits("cpu", new Quantity(spec.plan().cpuMillis() * 2 + "m"))
            .addToLimits("memory", new Quantity(spec.plan().memoryMib() + "Mi"))
            .endResources()
            .withSecurityContext(restrictedContainer())
            .addAllToVolumeMounts(configAndSecretMounts())
            .addNewVolumeMount()
            .withName("data")
            .withMountPath(DATA_DIR)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("tmp")
            .withMountPath(RUN_DIR)
            .endVolumeMount();
    if (!rendered.afterStart().isEmpty()) {
      server
          .withNewLifecycle()
          .withNewPostStart()
          .withNewExec()
          .withCommand(rendered.afterStart())
          .endExec()
          .endPostStart()
          .endLifecycle();
    }
    DeploymentBuilder d =
        new DeploymentBuilder()
            .withMetadata(meta(spec, name))
            .withNewSpec()
            .withReplicas(spec.suspended() ? 0 : 1)
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withNewSelector()
            .withMatchLabels(selector(spec))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels(spec))
            .addToAnnotations("salons.coop/generation", String.valueOf(spec.generation()))
            // The server reads its configuration when it starts: a new one restarts it (ADR 19).
            .addToAnnotations("salons.coop/config-checksum", checksum(rendered.configFiles()))
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withSecurityContext(restrictedPod(rendered.runAsUser()))
            .addToContainers(server.build())
            .addAllToVolumes(configAndSecretVolumes(name))
            .addAllToVolumes(dataAndScratchVolumes(name))
            .endSpec()
            .endTemplate()
            .endSpec();
    if (rendered.writableConfig()) {
      // The server rewrites its configuration: it runs from a copy in its data volume.
      d.editSpec()
          .editTemplate()
          .editSpec()
          .addNewInitContainer()
          .withName("copy-config")
          .withImage(spec.imageReference())
          .withCommand("cp", CONFIG_DIR + "/config.json", DATA_DIR + "/config.json")
          .withSecurityContext(restrictedContainer())
          .addNewVolumeMount()
          .withName("config")
          .withMountPath(CONFIG_DIR)
          .withReadOnly(true)
          .endVolumeMount()
          .addNewVolumeMount()
          .withName("data")
          .withMountPath(DATA_DIR)
          .endVolumeMount()
          .endInitContainer()
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return d.build();
  }

  private static List<NetworkPolicy> networkPolicies(
      InstanceSpec spec, Rendered rendered, Cluster cluster) {
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(spec, "default-deny"))
            .withNewSpec()
            .withNewPodSelector()
            .endPodSelector()
            .withPolicyTypes("Ingress", "Egress")
            .endSpec()
            .build());
    policies.add(
        ingressFrom(
            spec,
            "allow-ingress-controller",
            "kubernetes.io/metadata.name",
            cluster.ingressNamespace(),
            rendered.port()));
    policies.add(
        egressTo(
            spec,
            "allow-dns",
            false,
            new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .addToMatchLabels("kubernetes.io/metadata.name", "kube-system")
                .endNamespaceSelector()
                .build(),
            List.of(port("UDP", 53), port("TCP", 53))));
    policies.add(
        egressTo(
            spec,
            "allow-database",
            true,
            new NetworkPolicyPeerBuilder()
                .withNewIpBlock()
                .withCidr(cluster.databaseCidr())
                .endIpBlock()
                .build(),
            List.of(port("TCP", spec.database().port()))));
    policies.add(
        new NetworkPolicyBuilder(
                egressTo(
                    spec,
                    "allow-backup-database",
                    false,
                    new NetworkPolicyPeerBuilder()
                        .withNewIpBlock()
                        .withCidr(cluster.databaseCidr())
                        .endIpBlock()
                        .build(),
                    List.of(port("TCP", spec.database().port()))))
            .editSpec()
            .editPodSelector()
            .withMatchLabels(backupSelector(spec))
            .endPodSelector()
            .endSpec()
            .build());
    // HTTPS out: the Keycloak realm (OIDC), and with open federation the whole Matrix network.
    List<Integer> webPorts = new ArrayList<>(List.of(443));
    if (spec.flavour() == Flavour.MATRIX && spec.federation() == Federation.OPEN) {
      webPorts.add(8448);
    }
    policies.add(
        egressTo(
            spec,
            "allow-https-out",
            true,
            null,
            webPorts.stream().map(p -> port("TCP", p)).toList()));
    if (spec.flavour() == Flavour.MATRIX && spec.federation() == Federation.PLATFORM_ONLY) {
      // Federation from the platform's other instances (their namespaces carry this label).
      policies.add(
          ingressFrom(
              spec,
              "allow-platform-federation",
              "app.kubernetes.io/part-of",
              "salons",
              rendered.port()));
    }
    return policies;
  }

  /**
   * Lets out traffic on some ports, to a peer (any destination when null), from the instance's
   * server ({@code serverOnly}) or from every pod of its namespace.
   */
  private static NetworkPolicy egressTo(
      InstanceSpec spec,
      String name,
      boolean serverOnly,
      io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer to,
      List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort> ports) {
    NetworkPolicyBuilder policy =
        new NetworkPolicyBuilder()
            .withMetadata(meta(spec, name))
            .withNewSpec()
            .withNewPodSelector()
            .endPodSelector()
            .withPolicyTypes("Egress")
            .endSpec();
    if (serverOnly) {
      policy
          .editSpec()
          .editPodSelector()
          .withMatchLabels(selector(spec))
          .endPodSelector()
          .endSpec();
    }
    var egress = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder();
    if (to != null) {
      egress.withTo(to);
    }
    egress.withPorts(ports);
    return policy.editSpec().withEgress(egress.build()).endSpec().build();
  }

  /** Lets in, on one port, traffic from the namespaces with one label. */
  private static NetworkPolicy ingressFrom(
      InstanceSpec spec, String name, String namespaceLabel, String value, int port) {
    return new NetworkPolicyBuilder()
        .withMetadata(meta(spec, name))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(selector(spec))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(
            new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .addToMatchLabels(namespaceLabel, value)
                .endNamespaceSelector()
                .build())
        .withPorts(port("TCP", port))
        .endIngress()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort port(
      String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }

  private static ObjectMeta meta(InstanceSpec spec, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace(spec))
        .withLabels(labels(spec))
        .build();
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A container as Pod Security "restricted" wants it: no privilege, nothing written but volumes.
   */
  private static io.fabric8.kubernetes.api.model.SecurityContext restrictedContainer() {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * A pod run as one user and group, its volumes' files that group's (so that a Secret's 0400 files
   * are readable), with the runtime's default seccomp profile.
   */
  private static io.fabric8.kubernetes.api.model.PodSecurityContext restrictedPod(int user) {
    return new io.fabric8.kubernetes.api.model.PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser((long) user)
        .withRunAsGroup((long) user)
        .withFsGroup((long) user)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** The configuration and secrets folders, read-only, as a server's container mounts them. */
  private static List<io.fabric8.kubernetes.api.model.VolumeMount> configAndSecretMounts() {
    return List.of(
        new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
            .withName("config")
            .withMountPath(CONFIG_DIR)
            .withReadOnly(true)
            .build(),
        new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
            .withName("secrets")
            .withMountPath(SECRETS_DIR)
            .withReadOnly(true)
            .build());
  }

  /** {@code <name>-config} and {@code <name>-secrets} (files 0400) as the pod's volumes. */
  private static List<Volume> configAndSecretVolumes(String name) {
    return List.of(
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(name + "-config")
            .endConfigMap()
            .build(),
        new VolumeBuilder()
            .withName("secrets")
            .withNewSecret()
            .withSecretName(name + "-secrets")
            .withDefaultMode(0400)
            .endSecret()
            .build());
  }

  /**
   * The instance's volume and a scratch directory, as both the server and the backup pod mount
   * them.
   */
  private static List<Volume> dataAndScratchVolumes(String name) {
    return List.of(
        new VolumeBuilder()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName(name + "-data")
            .endPersistentVolumeClaim()
            .build(),
        new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
  }
}
