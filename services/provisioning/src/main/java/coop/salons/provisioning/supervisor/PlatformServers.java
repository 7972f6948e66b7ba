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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

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

  private static final java.util.Set<InstanceState> COMING_UP =
      java.util.EnumSet.of(
          InstanceState.REQUESTED,
          InstanceState.PROVISIONING,
          InstanceState.READY,
          InstanceState.UPDATING);

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
   * A Matrix server has just been given its name (in the caller's transaction): the servers whose
   * list follows at once are due again to take it in (the commons server; every platform-only
   * server in {@code immediate} mode), while the newcomer itself is still starting.
   */
  void named(Instance i) {
    if ("matrix".equals(i.flavour) && !CommonsServer.is(i)) {
      wake(i.id);
    }
  }

  /** After a Matrix instance's state changed (in the caller's transaction): a deletion. */
  void stateChanged(Instance i, InstanceState before) {
    if ("matrix".equals(i.flavour) && i.state() == InstanceState.DELETED) {
      wake(i.id);
    }
  }

  private void wake(UUID except) {
    OffsetDateTime now = OffsetDateTime.now();
    for (Instance other : takingNewcomersIn(except)) {
      if (other.leaseOwner == null && other.nextAttemptAt.isAfter(now)) {
        other.nextAttemptAt = now;
      }
    }
  }

  /**
   * What a new Matrix server waits for before it is ready: every server, running or coming up, that
   * takes newcomers in at once and does not answer with a list naming it yet (each is made due
   * again). Empty when none: then a person of the new association reaches the thematic rooms, and a
   * room joined over federation gets its whole state from the commons server, at the first try. (A
   * server restarting for the newcomer while it joined a room made Synapse give up fetching the
   * room's state until its own next restart: docs/adr/0021.)
   */
  public Optional<String> awaitedBy(UUID id, String serverName) {
    return QuarkusTransaction.joiningExisting()
        .call(
            () -> {
              Instance self = Instance.findById(id);
              if (self != null && !listed(self)) {
                return Optional.<String>empty(); // in no list until proven: nothing to wait for
              }
              List<String> waiting = new ArrayList<>();
              for (Instance other : takingNewcomersIn(id)) {
                if (!"running".equals(other.desired) || !COMING_UP.contains(other.state())) {
                  continue; // a server stopped or failed does not hold the newcomer back
                }
                List<String> serving =
                    other.federationServing == null
                        ? List.of()
                        : List.of(other.federationServing.split(","));
                if (!serving.contains(serverName)) {
                  waiting.add(
                      CommonsServer.is(other)
                          ? "the commons server"
                          : other.slug + "." + other.organizationSlug);
                  if (other.leaseOwner == null
                      && other.nextAttemptAt.isAfter(OffsetDateTime.now())) {
                    other.nextAttemptAt = OffsetDateTime.now();
                  }
                }
              }
              return waiting.isEmpty()
                  ? Optional.<String>empty()
                  : Optional.of(
                      "waiting for " + String.join(", ", waiting) + " to take this server in");
            });
  }

  /** The servers that take a new one in at once: the commons server, and in immediate mode all. */
  private List<Instance> takingNewcomersIn(UUID except) {
    List<Instance> out = new ArrayList<>();
    if (immediate()) {
      out.addAll(
          Instance.<Instance>list(
              "flavour = 'matrix' and federation = 'platform-only' and state <> 'deleted'"
                  + " and id <> ?1",
              except));
    }
    commons
        .find()
        .filter(c -> !c.id.equals(except) && out.stream().noneMatch(o -> o.id.equals(c.id)))
        .ifPresent(out::add);
    return out;
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

  /**
   * Whether a server enters the federation lists: not while its name is a custom domain the
   * association has not proven (docs/adr/0028). A server named otherwise (the local runtime's
   * {@code localhost:<port>}) claims no domain.
   */
  private boolean listed(Instance i) {
    return i.hostProven()
        || !i.customDomain.equals(
            runtime.serverName(InstanceService.host(i, config.baseDomain()), i.localPort));
  }

  private List<String> names(List<Instance> instances) {
    return instances.stream()
        .filter(this::listed)
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
