package coop.salons.provisioning.model;

import java.util.Map;

/** Turns an instance's spec into its chat server's configuration. Pure: no I/O. */
public interface ChatRenderer {

  /**
   * @param secrets the instance's secrets by name (see {@link InstanceSecrets})
   */
  Rendered render(InstanceSpec spec, Placement placement, Map<String, String> secrets);

  /** The renderer of a flavour. */
  static ChatRenderer of(Flavour flavour) {
    return flavour == Flavour.MATRIX ? new SynapseRenderer() : new MattermostRenderer();
  }
}
