package coop.salons.commons.server;

import coop.salons.commons.CommonsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Where the commons server is, asked of provisioning and kept a little while: its Matrix name (in
 * aliases and user ids), its client URL, and whether it answers yet.
 */
@ApplicationScoped
public class CommonsServerAddress {

  /** The alias of the Space that groups the thematic rooms: {@code #communs:<server>}. */
  public static final String SPACE_ALIAS = "communs";

  @Inject @RestClient ProvisioningCommons provisioning;
  @Inject CommonsConfig config;

  private volatile ProvisioningCommons.Server known;
  private volatile Instant until = Instant.EPOCH;

  /** The server, if provisioning has one with a place. */
  public Optional<ProvisioningCommons.Server> get() {
    if (Instant.now().isAfter(until)) {
      try {
        known = provisioning.get();
      } catch (RuntimeException e) {
        // No commons server (404) or provisioning unreachable: keep what was known.
        if (known == null) {
          return Optional.empty();
        }
      }
      until = Instant.now().plus(config.serverCache());
    }
    return Optional.ofNullable(known);
  }

  /** The server, only once it is ready to be talked to. */
  public Optional<ProvisioningCommons.Server> ready() {
    return get().filter(s -> "ready".equals(s.state()) && s.url() != null);
  }

  /** Forgets the server's address: the next call asks provisioning again. */
  public void forget() {
    until = Instant.EPOCH;
  }
}
