package coop.salons.common.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Reading the columns of native SQL queries, whose Java types depend on Hibernate's version. */
public final class NativeRows {

  private NativeRows() {}

  /** A {@code timestamptz} column: an {@link OffsetDateTime} or an {@link Instant} (as UTC). */
  public static OffsetDateTime offsetDateTime(Object column) {
    return column instanceof OffsetDateTime t ? t : ((Instant) column).atOffset(ZoneOffset.UTC);
  }
}
