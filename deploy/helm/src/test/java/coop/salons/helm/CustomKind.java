package coop.salons.helm;

import coop.salons.testing.TestServers;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.TimeUnit;

/**
 * A kind another project defines (the Prometheus Operator's PrometheusRule, cert-manager's
 * ClusterIssuer), declared by its CRD (the schema left open) in the build's control plane for as
 * long as a test needs it: what a cluster with that project installed has.
 */
final class CustomKind implements AutoCloseable {

  private final KubernetesClient admin;
  private final String name;

  private CustomKind(KubernetesClient admin, String name) {
    this.admin = admin;
    this.name = name;
  }

  /** The Prometheus Operator's rules. */
  static CustomKind prometheusRule() {
    return install("monitoring.coreos.com", "PrometheusRule", "prometheusrules", "Namespaced");
  }

  /** cert-manager's cluster-wide issuers. */
  static CustomKind clusterIssuer() {
    return install("cert-manager.io", "ClusterIssuer", "clusterissuers", "Cluster");
  }

  static CustomKind install(String group, String kind, String plural, String scope) {
    String name = plural + "." + group;
    TestServers.Kubernetes cluster = TestServers.get().kubernetes();
    Config config =
        new ConfigBuilder()
            .withMasterUrl(cluster.url())
            .withCaCertFile(cluster.caCert().toString())
            .withOauthToken(cluster.token())
            .build();
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(config).build();
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withGroup(group)
            .withScope(scope)
            .withNewNames()
            .withKind(kind)
            .withListKind(kind + "List")
            .withPlural(plural)
            .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    admin.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(name)
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            60,
            TimeUnit.SECONDS);
    return new CustomKind(admin, name);
  }

  @Override
  public void close() {
    admin.apiextensions().v1().customResourceDefinitions().withName(name).delete();
    admin.close();
  }
}
