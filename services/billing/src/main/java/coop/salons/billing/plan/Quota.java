package coop.salons.billing.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What a plan limits; the names are the API's and the database's. */
public enum Quota {
  INSTANCES("instances"),
  MEMBERS("members"),
  STORAGE_GB("storage-gb"),
  CPU_MILLICORES("cpu-millicores"),
  MEMORY_MIB("memory-mib");

  private final String wire;

  Quota(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static Optional<Quota> parse(String s) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(s)).findFirst();
  }

  @JsonCreator
  static Quota fromJson(String s) {
    return parse(s).orElseThrow(() -> new IllegalArgumentException("unknown quota " + s));
  }
}
