package dev.sextant.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Text;
import dev.sextant.model.Times;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as third-party SDKs write them: RFC 3339 with an offset, ISO local date-times without
 * one (Python's naive {@code datetime.isoformat()}, read as UTC), or epoch numbers. A number is
 * epoch milliseconds unless its size says seconds, microseconds or nanoseconds.
 */
public final class LenientTimes {
  private LenientTimes() {}

  /**
   * Reads {@code field} of {@code o} as epoch nanoseconds; null when absent.
   *
   * @throws IllegalArgumentException naming the field when the value is not a time
   */
  public static Long read(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    try {
      return parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " " + e.getMessage());
    }
  }

  /** Parses one value; see the class comment for what is accepted. */
  public static long parse(JsonNode v) {
    if (v.isNumber()) return fromNumber(v.doubleValue(), v.isIntegralNumber() ? v.longValue() : null);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("must be a timestamp string or epoch milliseconds, got " + JsonFields.kind(v));
    }
    return parse(v.textValue());
  }

  static long parse(String raw) {
    String s = raw.trim();
    if (!s.isEmpty() && isNumeric(s)) {
      try {
        return fromNumber(Double.parseDouble(s), s.indexOf('.') < 0 ? Long.parseLong(s) : null);
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    // Python's str(datetime) separates date and time with a space.
    if (s.length() > 10 && s.charAt(10) == ' ') s = s.substring(0, 10) + 'T' + s.substring(11);
    try {
      return Times.toNanos(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException | ArithmeticException e) {
      // try without an offset
    }
    try {
      return Times.toNanos(LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("must be an ISO-8601 timestamp such as 2026-11-22T10:00:00.123456Z"
          + " or epoch milliseconds, got \"" + Text.abbreviate(raw, 64) + "\"");
    }
  }

  private static long fromNumber(double d, Long exact) {
    if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
      throw new IllegalArgumentException("must be a positive epoch time, got " + d);
    }
    // 1e11 ms is 1973, 1e11 s is the year 5138: the magnitude tells the unit apart.
    if (d >= 1e17) return exact != null ? exact : (long) d;
    if (d >= 1e14) return exact != null ? exact * 1_000L : (long) (d * 1e3);
    if (d >= 1e11) return exact != null ? exact * 1_000_000L : Math.round(d * 1e6);
    // seconds with a fraction (Python's time.time()): scale the decimal the JSON held, not the
    // binary double, so 1764669600.125 is exactly .125 s and not .124999936
    return exact != null ? exact * 1_000_000_000L
        : BigDecimal.valueOf(d).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private static boolean isNumeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && c != '.') return false;
    }
    return true;
  }
}
