package coop.salons.provisioning.backup;

import coop.salons.provisioning.model.InstanceSpec;
import java.util.UUID;

/**
 * An instance's desired state and its server's port on this machine, as the supervisor makes them.
 */
public interface InstanceSpecs {

  InstanceSpec specOf(UUID instanceId);

  /** The port of its server on this machine (the local runtime), or null. */
  Integer localPortOf(UUID instanceId);
}
