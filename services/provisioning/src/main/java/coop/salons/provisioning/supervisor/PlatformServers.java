package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The server names of the platform's Matrix instances: the federation whitelist of those that
 * federate only within the platform (the commons). It is the list as it stood at the last daily
 * boundary ({@code salons.provisioning.federation-list-at}, UTC): the servers made before it and
 * not deleted before it. Within a day it does not change, so no server restarts for it; after the
 * boundary the resync gives every platform-only server the new list, and the configuration's
 * checksum restarts it (docs/adr/0019). Every replica computes the same list for the same boundary.
 */
@ApplicationScoped
public class PlatformServers {

  @Inject ProvisioningConfig config;

  private volatile OffsetDateTime cachedFor;
  private volatile List<String> cached = List.of();

  /** The list for the boundary last passed. */
  public List<String> list() {
    return list(OffsetDateTime.now(ZoneOffset.UTC));
  }

  /** The list for the last boundary before {@code now}: read once per boundary. */
  List<String> list(OffsetDateTime now) {
    OffsetDateTime boundary = boundary(now, config.federationListAt());
    if (!boundary.equals(cachedFor)) {
      cached =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      Instance.<Instance>list(
                              "flavour = 'matrix' and createdAt < ?1 and (state <> 'deleted' or"
                                  + " lastTransitionAt >= ?1)",
                              boundary)
                          .stream()
                          .map(i -> InstanceService.host(i, config.baseDomain()))
                          .sorted()
                          .distinct()
                          .toList());
      cachedFor = boundary;
    }
    return cached;
  }

  /** The last moment at {@code at} (UTC) not after {@code now}. */
  static OffsetDateTime boundary(OffsetDateTime now, LocalTime at) {
    OffsetDateTime utc = now.withOffsetSameInstant(ZoneOffset.UTC);
    OffsetDateTime today = utc.toLocalDate().atTime(at).atOffset(ZoneOffset.UTC);
    return today.isAfter(utc) ? today.minusDays(1) : today;
  }
}
