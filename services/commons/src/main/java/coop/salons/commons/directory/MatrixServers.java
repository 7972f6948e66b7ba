package coop.salons.commons.directory;

import coop.salons.commons.CommonsConfig;
import coop.salons.commons.directory.ProvisioningServers.MatrixServer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The associations' Matrix servers, asked of provisioning and kept a little while. */
@ApplicationScoped
public class MatrixServers {

  @Inject @RestClient ProvisioningServers provisioning;
  @Inject CommonsConfig config;

  private volatile List<MatrixServer> known = List.of();
  private volatile Instant until = Instant.EPOCH;

  /** Every association's Matrix server with a place. */
  public List<MatrixServer> all() {
    if (Instant.now().isAfter(until)) {
      try {
        known = List.copyOf(provisioning.list());
        until = Instant.now().plus(config.serverCache());
      } catch (RuntimeException e) {
        Log.warnf("Could not list the associations' Matrix servers: %s", e.getMessage());
      }
    }
    return known;
  }

  /** The organisation's Matrix servers. */
  public List<MatrixServer> of(String org) {
    List<MatrixServer> found = all().stream().filter(s -> s.organization().equals(org)).toList();
    if (found.isEmpty()) {
      forget(); // a server made a moment ago
      found = all().stream().filter(s -> s.organization().equals(org)).toList();
    }
    return found;
  }

  /** Forgets the list: the next call asks provisioning again. */
  public void forget() {
    until = Instant.EPOCH;
  }
}
