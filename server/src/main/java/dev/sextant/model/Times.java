package dev.sextant.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
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
    Instant common = common(text);
    if (common != null) return common;
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be an RFC 3339 timestamp such as 2026-11-22T10:00:00.123456Z, got \"" + Text.abbreviate(text, 64) + "\"");
    }
  }

  /**
   * The usual shape, {@code 2026-11-22T10:00:00[.f…]Z} or with a {@code ±hh:mm} offset, read
   * without the general parser (which costs microseconds per timestamp, and ingest reads two per
   * step); null for anything else, or anything out of range, which the general parser then reads
   * or refuses with its own message.
   */
  static Instant common(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int nano = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(t.charAt(i))) nano = nano * 10 + (t.charAt(i++) - '0');
      if (i == start || (i < n && isDigit(t.charAt(i)))) return null;
      for (int k = i - start; k < 9; k++) nano *= 10;
    }
    int offset;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offset = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om > 0)) return null;
      offset = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
    } else {
      return null;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3600 + minute * 60 + second - offset, nano);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The non-negative number in {@code count} digits at {@code from}, or -1 when they are not all digits. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (!isDigit(c)) return -1;
      v = v * 10 + (c - '0');
    }
    return v;
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
