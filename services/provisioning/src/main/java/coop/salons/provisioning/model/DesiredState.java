package coop.salons.provisioning.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an instance needs, from its spec, its place and its secrets: the chat server's
 * configuration files and secret files ({@link Rendered}), those of the Matrix Authentication
 * Service beside it when its members sign in through one, and every Kubernetes object that runs
 * them. One pure function, used by the supervisor, the bulk resync and the benchmark alike; the
 * runtimes apply what they are given (the local runtime the files, Kubernetes the objects) and
 * render nothing themselves.
 */
public record DesiredState(
    Rendered rendered, Optional<Rendered> authService, List<HasMetadata> objects) {

  public static DesiredState of(
      InstanceSpec spec,
      Placement placement,
      Map<String, String> secrets,
      KubernetesManifests.Cluster cluster) {
    Rendered rendered = ChatRenderer.of(spec.flavour()).render(spec, placement, secrets);
    List<HasMetadata> objects =
        new ArrayList<>(KubernetesManifests.render(spec, rendered, cluster, secrets));
    Optional<Rendered> mas =
        spec.authService()
            ? Optional.of(MasRenderer.render(spec, placement, secrets))
            : Optional.empty();
    mas.ifPresent(m -> objects.addAll(KubernetesManifests.authService(spec, m, cluster)));
    return new DesiredState(rendered, mas, List.copyOf(objects));
  }
}
