package coop.salons.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on this machine, for the tests: etcd, kube-apiserver (RBAC,
 * admission with Pod Security, quotas and validating admission policies, as on any cluster),
 * kube-controller-manager (Deployments, ReplicaSets, namespaces' deletion, volumes bound by its
 * host-path provisioner), kube-scheduler, and KWOK, which plays the kubelet of one node: it marks
 * pods running and ready without running them. Nothing runs in a container; everything else is the
 * real thing (ADR 24).
 *
 * <p>The binaries are built once from Go modules by {@code libs/control-plane/build} and kept
 * outside the build tree. The administrator signs in with a static bearer token (group {@code
 * system:masters}) over TLS from a CA made here with openssl.
 */
public final class ControlPlane implements AutoCloseable {

  /** The simulated node's name, and its storage class (the cluster's default). */
  public static final String NODE = "kwok-node-1";

  public static final String STORAGE_CLASS = "salons-test";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final List<Process> processes;
  private final String url;
  private final Path caCert;
  private final String token;
  private final Path kubeconfig;

  private ControlPlane(
      List<Process> processes, String url, Path caCert, String token, Path kubeconfig) {
    this.processes = processes;
    this.url = url;
    this.caCert = caCert;
    this.token = token;
    this.kubeconfig = kubeconfig;
  }

  /** The API server's address ({@code https://127.0.0.1:<port>}). */
  public String url() {
    return url;
  }

  /** The CA that signed the API server's certificate. */
  public Path caCert() {
    return caCert;
  }

  /** The administrator's bearer token (group system:masters). */
  public String token() {
    return token;
  }

  /** A kubeconfig for the administrator (kubectl, helm, an IDE). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Builds the binaries if needed (once per machine), then starts everything in {@code dir}. */
  public static ControlPlane start(Path dir) throws Exception {
    Path bin =
        Progress.step(
            "the Kubernetes control plane's binaries (built once)", ControlPlane::binaries);
    return Progress.step(
        "a Kubernetes control plane (etcd, API server, KWOK)", () -> run(bin, dir));
  }

  /** Runs {@code libs/control-plane/build}, which answers the folder of the binaries. */
  static Path binaries() throws IOException, InterruptedException {
    Path script = LocalLayout.projectRoot().resolve("libs/control-plane/build");
    Process build =
        new ProcessBuilder(script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out;
    try (InputStream in = build.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    if (build.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          "could not build the Kubernetes control plane (" + script + " failed)");
    }
    return Path.of(out);
  }

  private static ControlPlane run(Path bin, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path pki = dir.resolve("pki");
    Files.createDirectories(pki);
    certificates(pki);
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    Files.writeString(
        pki.resolve("tokens.csv"),
        token + ",admin,admin,\"system:masters\"\n",
        StandardCharsets.UTF_8);
    int etcdPort = LocalPlatform.freePort();
    int apiPort = LocalPlatform.freePort();
    String url = "https://127.0.0.1:" + apiPort;
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfig(url, pki.resolve("ca.crt"), token));
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    List<Process> started = new ArrayList<>();
    try {
      started.add(
          spawn(
              logs,
              bin.resolve("etcd"),
              "--name=salons-test",
              "--data-dir=" + dir.resolve("etcd"),
              "--listen-client-urls=http://127.0.0.1:" + etcdPort,
              "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
              "--listen-peer-urls=http://127.0.0.1:" + LocalPlatform.freePort(),
              // A test cluster's data need not survive a power cut: no fsync, much faster.
              "--unsafe-no-fsync=true",
              "--quota-backend-bytes=4294967296",
              "--log-level=warn"));
      started.add(
          spawn(
              logs,
              bin.resolve("kube-apiserver"),
              "--etcd-servers=http://127.0.0.1:" + etcdPort,
              "--bind-address=127.0.0.1",
              "--advertise-address=127.0.0.1",
              "--secure-port=" + apiPort,
              "--tls-cert-file=" + pki.resolve("apiserver.crt"),
              "--tls-private-key-file=" + pki.resolve("apiserver.key"),
              "--client-ca-file=" + pki.resolve("ca.crt"),
              "--token-auth-file=" + pki.resolve("tokens.csv"),
              "--authorization-mode=RBAC",
              "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
              "--service-account-key-file=" + pki.resolve("sa.pub"),
              "--service-account-signing-key-file=" + pki.resolve("sa.key"),
              "--service-cluster-ip-range=10.96.0.0/16",
              // As on most clusters (kubeadm): Pod Security is what refuses privileged pods.
              "--allow-privileged=true",
              // The loopback address may not be the "kubernetes" Service's endpoint: none then.
              "--endpoint-reconciler-type=none",
              // KWOK's node answers exec on 127.0.0.1 (its name resolves nowhere).
              "--kubelet-preferred-address-types=InternalIP",
              "--v=0"));
      waitUntil(url, caCertTrust(pki.resolve("ca.crt")), token, "/readyz", "the API server");
      execKind(new Api(url, caCertTrust(pki.resolve("ca.crt")), token));
      started.add(
          spawn(
              logs,
              bin.resolve("kube-controller-manager"),
              "--kubeconfig=" + kubeconfig,
              "--authentication-kubeconfig=" + kubeconfig,
              "--authorization-kubeconfig=" + kubeconfig,
              "--bind-address=127.0.0.1",
              "--secure-port=" + LocalPlatform.freePort(),
              "--leader-elect=false",
              "--use-service-account-credentials=false",
              "--service-account-private-key-file=" + pki.resolve("sa.key"),
              "--root-ca-file=" + pki.resolve("ca.crt"),
              // Volumes for the claims of the test storage class (testing only, one machine).
              "--enable-hostpath-provisioner=true",
              "--pv-recycler-pod-template-filepath-hostpath=",
              "--concurrent-deployment-syncs=10",
              "--concurrent-replicaset-syncs=10",
              "--concurrent-namespace-syncs=10",
              "--kube-api-qps=200",
              "--kube-api-burst=400",
              "--v=0"));
      started.add(
          spawn(
              logs,
              bin.resolve("kube-scheduler"),
              "--kubeconfig=" + kubeconfig,
              "--authentication-kubeconfig=" + kubeconfig,
              "--authorization-kubeconfig=" + kubeconfig,
              "--bind-address=127.0.0.1",
              "--secure-port=" + LocalPlatform.freePort(),
              "--leader-elect=false",
              "--v=0"));
      Path stages = dir.resolve("kwok-stages.yaml");
      try (InputStream in = ControlPlane.class.getResourceAsStream("/kwok/stages.yaml")) {
        Files.write(stages, in.readAllBytes());
      }
      int nodePort = LocalPlatform.freePort();
      started.add(
          spawn(
              logs,
              bin.resolve("kwok"),
              "--kubeconfig=" + kubeconfig,
              "--config=" + stages,
              "--manage-all-nodes=false",
              "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
              "--node-lease-duration-seconds=40",
              // The node's "kubelet" endpoint: exec into a pod runs, on this machine, what the
              // pod's Exec object (kwok.x-k8s.io) says: a folder and an environment of its own.
              "--node-ip=127.0.0.1",
              "--node-port=" + nodePort,
              "--server-address=127.0.0.1:" + nodePort,
              "--enable-crds=Exec",
              "--cidr=10.0.0.1/16"));
      ControlPlane plane =
          new ControlPlane(List.copyOf(started), url, pki.resolve("ca.crt"), token, kubeconfig);
      plane.bootstrap();
      return plane;
    } catch (Exception e) {
      started.forEach(p -> Processes.stop(p, Duration.ofSeconds(5)));
      throw e;
    }
  }

  /**
   * The kind KWOK reads to simulate exec into one pod ({@code Exec}, group {@code kwok.x-k8s.io}):
   * the folder and environment on this machine in which what is run "in" the pod runs. KWOK watches
   * the kind but does not declare it; declared before KWOK starts so its first watch finds it.
   */
  private static void execKind(Api api) throws IOException, InterruptedException {
    api.create(
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        """
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "execs.kwok.x-k8s.io"},
         "spec": {"group": "kwok.x-k8s.io", "scope": "Namespaced",
           "names": {"kind": "Exec", "listKind": "ExecList", "plural": "execs",
                     "singular": "exec"},
           "versions": [{"name": "v1alpha1", "served": true, "storage": true,
             "subresources": {"status": {}},
             "schema": {"openAPIV3Schema": {"type": "object",
               "x-kubernetes-preserve-unknown-fields": true}}}]}}
        """);
    Instant giveUp = Instant.now().plus(START_TIMEOUT);
    while (!api.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/execs.kwok.x-k8s.io")
        .contains("\"type\":\"Established\",\"status\":\"True\"")) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("the API server did not establish the Exec kind");
      }
      Thread.sleep(100);
    }
  }

  /** The node KWOK plays and the default storage class, then waits until the node is ready. */
  private void bootstrap() throws Exception {
    Api api = new Api(url, caCertTrust(caCert), token);
    api.create(
        "/api/v1/nodes",
        """
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "%s",
           "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
           "labels": {"kubernetes.io/hostname": "%s", "kubernetes.io/os": "linux",
                      "kubernetes.io/arch": "amd64", "type": "kwok"}},
         "status": {"allocatable": {"cpu": "10k", "memory": "64Ti", "pods": "20000"},
                    "capacity": {"cpu": "10k", "memory": "64Ti", "pods": "20000"}}}
        """
            .formatted(NODE, NODE));
    api.create(
        "/apis/storage.k8s.io/v1/storageclasses",
        """
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
         "metadata": {"name": "%s",
           "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
         "provisioner": "kubernetes.io/host-path", "reclaimPolicy": "Delete",
         "allowVolumeExpansion": true, "volumeBindingMode": "Immediate"}
        """
            .formatted(STORAGE_CLASS));
    Instant giveUp = Instant.now().plus(START_TIMEOUT);
    while (!api.get("/api/v1/nodes/" + NODE).contains("\"type\":\"Ready\",\"status\":\"True\"")) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("KWOK did not make its node ready: see the logs");
      }
      Thread.sleep(200);
    }
  }

  /** Writes what the tests need to reach the API server. */
  public void describe(Properties p) {
    p.setProperty("kubernetes.url", url);
    p.setProperty("kubernetes.ca-cert", caCert.toString());
    p.setProperty("kubernetes.token", token);
    p.setProperty("kubernetes.kubeconfig", kubeconfig.toString());
  }

  private static Process spawn(Path logs, Path binary, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Path log = logs.resolve(binary.getFileName() + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** A CA, the API server's certificate (for 127.0.0.1 and localhost), a service-account key. */
  private static void certificates(Path pki) throws IOException, InterruptedException {
    openssl(
        pki,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=salons-test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    openssl(
        pki,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=kube-apiserver",
        "-keyout",
        "apiserver.key",
        "-out",
        "apiserver.csr");
    Files.writeString(
        pki.resolve("apiserver.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
            + "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1\n");
    openssl(
        pki,
        "x509",
        "-req",
        "-in",
        "apiserver.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "30",
        "-extfile",
        "apiserver.ext",
        "-out",
        "apiserver.crt");
    openssl(pki, "genrsa", "-out", "sa.key", "2048");
    openssl(pki, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("openssl.log").toFile()))
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("openssl " + args[0] + " failed: see " + dir);
    }
  }

  private static String kubeconfig(String url, Path ca, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: salons-test
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: admin
          user:
            token: %s
        contexts:
        - name: salons-test
          context:
            cluster: salons-test
            user: admin
        current-context: salons-test
        """
        .formatted(url, ca, token);
  }

  static SSLContext caCertTrust(Path caCert) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  private static void waitUntil(String url, SSLContext ssl, String token, String path, String what)
      throws Exception {
    Api api = new Api(url, ssl, token);
    Instant giveUp = Instant.now().plus(START_TIMEOUT);
    while (true) {
      try {
        if (api.status(path) == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException(what + " did not become ready in " + START_TIMEOUT);
      }
      Thread.sleep(200);
    }
  }

  /** The few requests the start needs, with the administrator's token. */
  private record Api(String url, SSLContext ssl, String token) {

    HttpClient client() {
      return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create(url + path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token);
    }

    int status(String path) throws IOException, InterruptedException {
      return client()
          .send(request(path).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }

    String get(String path) throws IOException, InterruptedException {
      return client().send(request(path).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    void create(String path, String json) throws IOException, InterruptedException {
      HttpResponse<String> r =
          client()
              .send(
                  request(path)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201 && r.statusCode() != 409) {
        throw new IllegalStateException(
            "POST " + path + " answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  @Override
  public void close() {
    List<Process> reversed = new ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    reversed.forEach(p -> Processes.stop(p, Duration.ofSeconds(10)));
  }
}
