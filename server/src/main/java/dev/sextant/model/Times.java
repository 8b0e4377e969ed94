package dev.sextant.model;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Nanosecond wall-clock times, carried as epoch nanoseconds and written as RFC 3339. */
public final class Times {
  private static final long NANOS = 1_000_000_000L;
  private static final Instant MIN = toInstant(Long.MIN_VALUE);
  private static final Instant MAX = toInstant(Long.MAX_VALUE);

  private Times() {}

  /**
   * Parses an RFC 3339 timestamp with any fraction up to nanoseconds and any offset.
   *
   * @throws IllegalArgumentException with a message that says what is expected
   */
  public static long parse(String text) {
    Instant t = instant(text);
    try {
      return toNanos(t);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("must lie between " + MIN + " and " + MAX
          + " (epoch nanoseconds in 64 bits), got \"" + Text.abbreviate(text, 64) + "\"");
    }
  }

  /**
   * Parses a query bound: like {@link #parse}, but a valid time outside the range that epoch
   * nanoseconds can hold is clamped to that range, since it still bounds every stored time.
   */
  public static long parseBound(String text) {
    Instant t = instant(text);
    if (t.isBefore(MIN)) return Long.MIN_VALUE;
    if (t.isAfter(MAX)) return Long.MAX_VALUE;
    return toNanos(t);
  }

  /** The current wall-clock time in epoch nanoseconds. */
  public static long nowNanos() {
    return toNanos(Instant.now());
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be an RFC 3339 timestamp such as 2026-11-22T10:00:00.123456Z, got \"" + Text.abbreviate(text, 64) + "\"");
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
}
