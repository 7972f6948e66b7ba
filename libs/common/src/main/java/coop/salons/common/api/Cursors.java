package coop.salons.common.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque list cursors: the sort key of the last item of a page, base64url-encoded. A script author
 * passes them back as they are; a cursor that was tampered with is a 400.
 */
public final class Cursors {

  private static final String PREFIX = "v1:";

  private Cursors() {}

  public static String encode(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  /** The sort key in a cursor, or {@code null} for no cursor (the first page). */
  public static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!raw.startsWith(PREFIX)) {
        throw new IllegalArgumentException();
      }
      return raw.substring(PREFIX.length());
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("cursor", "is not a cursor this API gave");
    }
  }

  /** The limit asked for, bounded to [1, max]; {@code null} gives the default. */
  public static int limit(Integer requested, int defaultLimit, int max) {
    if (requested == null) {
      return defaultLimit;
    }
    if (requested < 1 || requested > max) {
      throw ProblemException.invalid("limit", "must be between 1 and " + max);
    }
    return requested;
  }
}
