package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The server names of the platform's Matrix instances: the federation whitelist of those that
 * federate only within the platform. Read at most once a minute; an instance that joins is added to
 * the others' configuration at their next resync (and taken into account when they restart).
 */
@ApplicationScoped
public class PlatformServers {

  private static final long TTL_MILLIS = 60_000;

  @Inject ProvisioningConfig config;

  private volatile List<String> cached = List.of();
  private volatile long readAt;

  @Transactional
  public List<String> list() {
    long now = System.currentTimeMillis();
    if (now - readAt > TTL_MILLIS) {
      cached =
          Instance.<Instance>list("flavour = 'matrix' and state <> 'deleted'").stream()
              .map(i -> InstanceService.host(i, config.baseDomain()))
              .sorted()
              .distinct()
              .toList();
      readAt = now;
    }
    return cached;
  }
}
