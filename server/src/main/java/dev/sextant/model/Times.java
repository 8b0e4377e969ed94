package dev.sextant.model;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Nanosecond wall-clock times, carried as epoch nanoseconds and written as RFC 3339. */
public final class Times {
  private static final long NANOS = 1_000_000_000L;

  private Times() {}

  /**
   * Parses an RFC 3339 timestamp with any fraction up to nanoseconds and any offset.
   *
   * @throws IllegalArgumentException with a message that says what is expected
   */
  public static long parse(String text) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return toNanos(t.toInstant());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "must be an RFC 3339 timestamp such as 2026-11-22T10:00:00.123456Z, got \"" + abbreviate(text) + "\"");
    }
  }

  public static long toNanos(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS), instant.getNano());
  }

  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS), Math.floorMod(epochNanos, NANOS));
  }

  public static String format(long epochNanos) {
    return toInstant(epochNanos).toString();
  }

  public static Instant toInstantOrNull(Long epochNanos) {
    return epochNanos == null ? null : toInstant(epochNanos);
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
