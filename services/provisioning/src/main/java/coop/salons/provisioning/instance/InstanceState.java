package coop.salons.provisioning.instance;

import coop.salons.common.api.ProblemException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of an instance and the only transitions it allows:
 *
 * <pre>
 * REQUESTED → PROVISIONING → READY ⇄ UPDATING
 *                  ↓           ↓        ↓
 *               FAILED     SUSPENDED (scaled to 0, data kept)
 *                              ↓
 *              DELETION_REQUESTED → (grace period, final backup) → DELETED
 * </pre>
 *
 * A deletion can be requested from any live state and cancelled during its grace period (back to
 * UPDATING); a FAILED instance is retried by any change (back to UPDATING).
 */
public enum InstanceState {
  REQUESTED("requested"),
  PROVISIONING("provisioning"),
  READY("ready"),
  UPDATING("updating"),
  SUSPENDED("suspended"),
  DELETION_REQUESTED("deletion-requested"),
  DELETED("deleted"),
  FAILED("failed");

  private final String id;

  InstanceState(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static InstanceState of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown state " + id));
  }

  /** The states this one may move to. */
  public Set<InstanceState> next() {
    return switch (this) {
      case REQUESTED -> EnumSet.of(PROVISIONING, DELETION_REQUESTED);
      case PROVISIONING -> EnumSet.of(READY, SUSPENDED, FAILED, DELETION_REQUESTED);
      case READY -> EnumSet.of(UPDATING, DELETION_REQUESTED);
      case UPDATING -> EnumSet.of(READY, SUSPENDED, FAILED, DELETION_REQUESTED);
      case SUSPENDED -> EnumSet.of(UPDATING, DELETION_REQUESTED);
      case DELETION_REQUESTED -> EnumSet.of(UPDATING, DELETED, FAILED);
      case FAILED -> EnumSet.of(UPDATING, DELETION_REQUESTED);
      case DELETED -> EnumSet.noneOf(InstanceState.class);
    };
  }

  public boolean canMoveTo(InstanceState target) {
    return next().contains(target);
  }

  /** Refuses (409) a transition the state machine does not allow. */
  public void requireCanMoveTo(InstanceState target) {
    if (!canMoveTo(target)) {
      throw ProblemException.conflict(
          "An instance that is " + id + " cannot become " + target.id + ".");
    }
  }

  /** Whether the supervisor still has work to do on an instance in this state. */
  public boolean live() {
    return this != DELETED && this != FAILED;
  }
}
