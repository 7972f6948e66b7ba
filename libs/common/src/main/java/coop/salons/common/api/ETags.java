package coop.salons.common.api;

import jakarta.ws.rs.core.EntityTag;

/** ETags are a resource's version number; {@code If-Match} carries one back. */
public final class ETags {

  private ETags() {}

  public static EntityTag of(long version) {
    return new EntityTag(Long.toString(version));
  }

  /** The version in an If-Match header, or {@code null} when there is none (or it is "*"). */
  public static Long ifMatch(String header) {
    if (header == null || header.isBlank() || header.strip().equals("*")) {
      return null;
    }
    String v = header.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ProblemException.invalid("If-Match", "must be an ETag this API gave");
    }
  }
}
