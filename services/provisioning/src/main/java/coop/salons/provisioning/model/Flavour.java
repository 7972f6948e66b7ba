package coop.salons.provisioning.model;

import java.util.Arrays;
import java.util.Optional;

/** The chat servers the platform hosts. */
public enum Flavour {
  MATRIX("matrix"),
  MATTERMOST("mattermost");

  private final String id;

  Flavour(String id) {
    this.id = id;
  }

  /** The name in the API, the database and labels. */
  public String id() {
    return id;
  }

  /**
   * The image tag of a version: Synapse's images are tagged {@code v1.163.2}, Mattermost's {@code
   * 11.1.0}.
   */
  public String imageTag(String version) {
    return this == MATRIX ? "v" + version : version;
  }

  public static Optional<Flavour> of(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
