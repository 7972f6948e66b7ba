package coop.salons.provisioning.instance;

import coop.salons.common.dns.DomainLookup;
import coop.salons.provisioning.ProvisioningConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Looks the instances' custom domains up in DNS and records whether each leads to the platform, so
 * that its owners are told (the instance's {@code DomainPointed} condition) which record is still
 * missing. Nothing waits on it: the Ingress and its certificate are made either way.
 */
@ApplicationScoped
public class DomainChecks {

  /** The most domains one round looks up. */
  static final int BATCH = 200;

  @Inject ProvisioningConfig config;
  @Inject Vertx vertx;

  private DomainLookup lookup;

  @PostConstruct
  void start() {
    try {
      lookup = new DomainLookup(vertx, config.domains().dnsServer().orElse(""));
    } catch (RuntimeException e) {
      // No DNS client (no resolver configured on this machine): the domains stay Unknown.
      Log.warnf("Custom domains will not be looked up: %s", e.getMessage());
    }
  }

  @Scheduled(
      every = "${salons.provisioning.domains.check-every:5m}",
      delayed = "20s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduled() {
    try {
      checkDue();
    } catch (RuntimeException e) {
      Log.warnf("Could not look up the custom domains: %s", e.getMessage());
    }
  }

  /**
   * Looks up the domains due (never looked up, not pointed yet, or found pointed longer ago than
   * {@code recheck-after}), the longest unchecked first; answers how many.
   */
  public int checkDue() {
    OffsetDateTime trustedSince = OffsetDateTime.now().minus(config.domains().recheckAfter());
    List<Instance> due =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Instance.<Instance>find(
                            "customDomain is not null and state <> 'deleted' and (domainPointed is"
                                + " null or domainPointed = false or domainProvenAt is null"
                                + " or domainCheckedAt < ?1) order by"
                                + " domainCheckedAt nulls first",
                            trustedSince)
                        .page(0, BATCH)
                        .list());
    due.forEach(this::check);
    return due.size();
  }

  /** Looks one instance's domain up now (outside any transaction) and records what was found. */
  public void check(Instance i) {
    Boolean pointed;
    try {
      if (lookup == null) {
        throw new DomainLookup.Failed(i.customDomain, new IllegalStateException("no DNS client"));
      }
      pointed = lookup.leadsTo(i.customDomain, i.platformHost(config.baseDomain()));
    } catch (DomainLookup.Failed e) {
      // DNS did not answer: what was known stays, and the next round asks again.
      Log.infof("Could not look up %s: %s", i.customDomain, e.getMessage());
      pointed = i.domainPointed;
    }
    boolean provenNow = false;
    if (i.domainProvenAt == null && lookup != null) {
      try {
        provenNow = lookup.holdsText(i.domainProofRecord(), i.domainProofValue());
      } catch (DomainLookup.Failed e) {
        Log.infof("Could not look up %s: %s", i.domainProofRecord(), e.getMessage());
      }
    }
    Boolean found = pointed;
    OffsetDateTime now = OffsetDateTime.now();
    if (provenNow) {
      // Proven: the domain now enters routing, certificates and federation lists (a new
      // generation, due for the supervisor at once). A proof is never taken back.
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  Instance.update(
                      "domainProvenAt = ?1, generation = generation + 1, nextAttemptAt = ?1,"
                          + " version = version + 1 where id = ?2 and domainProvenAt is null",
                      now,
                      i.id));
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (Objects.equals(found, i.domainPointed)) {
                // Nothing the API answers changed: neither its version nor its ETag does.
                Instance.update("domainCheckedAt = ?1 where id = ?2", now, i.id);
              } else {
                Instance.update(
                    "domainPointed = ?1, domainChangedAt = ?2, domainCheckedAt = ?2,"
                        + " version = version + 1 where id = ?3",
                    found,
                    now,
                    i.id);
              }
            });
  }
}
