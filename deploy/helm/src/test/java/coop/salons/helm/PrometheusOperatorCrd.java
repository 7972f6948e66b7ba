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
 * The Prometheus Operator's PrometheusRule kind, as its CRD declares it (the schema left open), in
 * the build's control plane for as long as a test needs it: what a cluster with the operator has.
 */
final class PrometheusOperatorCrd implements AutoCloseable {

  static final String NAME = "prometheusrules.monitoring.coreos.com";

  private final KubernetesClient admin;

  private PrometheusOperatorCrd(KubernetesClient admin) {
    this.admin = admin;
  }

  static PrometheusOperatorCrd install() {
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
            .withName(NAME)
            .endMetadata()
            .withNewSpec()
            .withGroup("monitoring.coreos.com")
            .withScope("Namespaced")
            .withNewNames()
            .withKind("PrometheusRule")
            .withListKind("PrometheusRuleList")
            .withPlural("prometheusrules")
            .withSingular("prometheusrule")
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
        .withName(NAME)
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            60,
            TimeUnit.SECONDS);
    return new PrometheusOperatorCrd(admin);
  }

  @Override
  public void close() {
    admin.apiextensions().v1().customResourceDefinitions().withName(NAME).delete();
    admin.close();
  }
}
