package coop.salons.provisioning.supervisor;

import coop.salons.provisioning.ProvisioningConfig;
import coop.salons.provisioning.commons.CommonsServer;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.instance.InstanceService;
import coop.salons.provisioning.instance.InstanceState;
import coop.salons.provisioning.runtime.ChatRuntime;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The server names of the platform's Matrix instances: the federation whitelist of those that
 * federate only within the platform (the commons). By default ({@code federation-list=nightly}) it
 * is the list as it stood at the last daily boundary ({@code
 * salons.provisioning.federation-list-at}, UTC): the servers made before it and not deleted before
 * it. Within a day it does not change, so no server restarts for it; after the boundary the resync
 * gives every platform-only server the new list, and the configuration's checksum restarts it
 * (docs/adr/0019). Every replica computes the same list for the same boundary. The commons server
 * is in every list from the start, and itself takes the live list (docs/adr/0021): a new
 * association reaches the thematic rooms at once.
 */
@ApplicationScoped
public class PlatformServers {

  @Inject ProvisioningConfig config;
  @Inject ChatRuntime runtime;
  @Inject CommonsServer commons;

  private volatile OffsetDateTime cachedFor;
  private volatile List<String> cached = List.of();

  /** The list a platform-only server federates with: settled (or live), with the commons. */
  public List<String> list() {
    if (immediate()) {
      return live();
    }
    TreeSet<String> names = new TreeSet<>(list(OffsetDateTime.now(ZoneOffset.UTC)));
    QuarkusTransaction.joiningExisting()
        .run(() -> commons.find().flatMap(commons::serverName).ifPresent(names::add));
    return List.copyOf(names);
  }

  /** Every platform Matrix server that has a name now (the commons server's list). */
  public List<String> live() {
    return QuarkusTransaction.joiningExisting()
        .call(
            () ->
                names(
                    Instance.<Instance>list("flavour = 'matrix' and state <> 'deleted'").stream()
                        .toList()));
  }

  private boolean immediate() {
    return "immediate".equals(config.federationList());
  }

  /**
   * After a Matrix instance's state changed (in the caller's transaction): when a server came up
   * for the first time or was deleted, the servers whose list follows at once are due again, to
   * take it in (the commons server; every platform-only server in {@code immediate} mode).
   */
  void stateChanged(Instance i, InstanceState before) {
    boolean joined = i.state() == InstanceState.READY && before == InstanceState.PROVISIONING;
    boolean left = i.state() == InstanceState.DELETED;
    if (!"matrix".equals(i.flavour) || !(joined || left)) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.now();
    if (immediate()) {
      Instance.update(
          "nextAttemptAt = ?1 where flavour = 'matrix' and federation = 'platform-only'"
              + " and state = 'ready' and id <> ?2 and leaseOwner is null",
          now,
          i.id);
    } else {
      commons
          .find()
          .filter(c -> !c.id.equals(i.id) && c.leaseOwner == null)
          .ifPresent(c -> c.nextAttemptAt = now);
    }
  }

  /** The list for the last boundary before {@code now}: read once per boundary. */
  List<String> list(OffsetDateTime now) {
    OffsetDateTime boundary = boundary(now, config.federationListAt());
    if (!boundary.equals(cachedFor)) {
      cached =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      names(
                          Instance.<Instance>list(
                              "flavour = 'matrix' and createdAt < ?1 and (state <> 'deleted' or"
                                  + " lastTransitionAt >= ?1)",
                              boundary)));
      cachedFor = boundary;
    }
    return cached;
  }

  private List<String> names(List<Instance> instances) {
    return instances.stream()
        .map(i -> runtime.serverName(InstanceService.host(i, config.baseDomain()), i.localPort))
        .filter(Objects::nonNull)
        .sorted()
        .distinct()
        .toList();
  }

  /** The last moment at {@code at} (UTC) not after {@code now}. */
  static OffsetDateTime boundary(OffsetDateTime now, LocalTime at) {
    OffsetDateTime utc = now.withOffsetSameInstant(ZoneOffset.UTC);
    OffsetDateTime today = utc.toLocalDate().atTime(at).atOffset(ZoneOffset.UTC);
    return today.isAfter(utc) ? today.minusDays(1) : today;
  }
}
