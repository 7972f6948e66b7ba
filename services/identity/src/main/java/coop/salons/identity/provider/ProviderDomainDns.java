package coop.salons.identity.provider;

import coop.salons.common.db.SingleReplica;
import coop.salons.common.dns.DomainLookup;
import coop.salons.identity.IdentityConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * DNS as identity asks it (the server the hoster names, else this machine's), and the periodic
 * look-up of the email domains waiting for their proof, on one replica at a time.
 */
@ApplicationScoped
public class ProviderDomainDns {

  @Inject Vertx vertx;
  @Inject IdentityConfig config;
  @Inject SingleReplica singleReplica;
  @Inject jakarta.enterprise.inject.Instance<ProviderService> providers;

  private DomainLookup lookup;

  synchronized DomainLookup lookup() {
    if (lookup == null) {
      lookup = new DomainLookup(vertx, config.domains().dnsServer().orElse(""));
    }
    return lookup;
  }

  @Scheduled(
      every = "${salons.identity.domains.check-every:5m}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void checkWaiting() {
    try {
      singleReplica.run(
          "identity provider domains",
          () -> {
            int proven = providers.get().checkWaitingDomains();
            if (proven > 0) {
              Log.infof("%d identity provider domain(s) proven", proven);
            }
          });
    } catch (RuntimeException e) {
      Log.warnf("Could not check the providers' domains: %s", e.getMessage());
    }
  }
}
