package coop.salons.provisioning;

import coop.salons.local.ControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The test control plane's one node, cordoned while a test needs servers that do not start yet (no
 * room for their pods: they stay Pending, as on a full cluster) and uncordoned after.
 */
public final class Nodes {

  private Nodes() {}

  /** New pods wait: the scheduler places none until {@link #release}. */
  public static void hold(KubernetesClient kube) {
    unschedulable(kube, true);
  }

  /** The node takes pods again (the waiting ones at once). */
  public static void release(KubernetesClient kube) {
    unschedulable(kube, false);
  }

  private static void unschedulable(KubernetesClient kube, boolean value) {
    Node node = kube.nodes().withName(ControlPlane.NODE).get();
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable()) != value) {
      kube.nodes()
          .withName(ControlPlane.NODE)
          .edit(
              n -> {
                n.getSpec().setUnschedulable(value);
                return n;
              });
    }
  }
}
