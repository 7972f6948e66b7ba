package coop.salons.provisioning.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything an instance needs, from its spec, its place and its secrets: the chat server's
 * configuration files and secret files ({@link Rendered}), and every Kubernetes object that runs
 * it. One pure function, used by the supervisor, the bulk resync and the benchmark alike; the
 * runtimes apply what they are given (the local runtime the files, Kubernetes the objects) and
 * render nothing themselves.
 */
public record DesiredState(Rendered rendered, List<HasMetadata> objects) {

  public static DesiredState of(
      InstanceSpec spec,
      Placement placement,
      Map<String, String> secrets,
      KubernetesManifests.Cluster cluster) {
    Rendered rendered = ChatRenderer.of(spec.flavour()).render(spec, placement, secrets);
    List<HasMetadata> objects =
        new ArrayList<>(KubernetesManifests.render(spec, rendered, cluster, secrets));
    if (spec.authService()) {
      // MAS beside the server (docs/adr/0038): on Kubernetes only so far.
      Rendered mas =
          MasRenderer.render(
              spec, placement, "http://" + KubernetesManifests.serverName(spec), secrets);
      objects.addAll(KubernetesManifests.authService(spec, mas, cluster));
    }
    return new DesiredState(rendered, List.copyOf(objects));
  }
}
