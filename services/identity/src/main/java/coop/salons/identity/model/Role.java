package coop.salons.identity.model;

import java.util.Locale;
import java.util.Optional;

/** A member's role in an organisation; each role can do what the ones below it can. */
public enum Role {
  MEMBER,
  ADMIN,
  OWNER;

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  /** The role's name in the API and the database. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.id().equals(value)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
