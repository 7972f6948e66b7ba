package coop.salons.provisioning.model;

import java.util.Arrays;
import java.util.Optional;

/** Which Matrix servers an instance talks to. */
public enum Federation {
  /** The whole Matrix network. */
  OPEN("open"),
  /** Only the platform's own instances (the commons), the default. */
  PLATFORM_ONLY("platform-only"),
  /** Nobody: a closed server. */
  OFF("off");

  private final String id;

  Federation(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static Optional<Federation> of(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
