package dev.sextant.protocol.langsmith;

import dev.sextant.model.Times;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * LangSmith's {@code dotted_order}: one segment per ancestor, root first, each a start time
 * ({@code 20261122T031941866001Z}, 3 or 6 fractional digits) followed by the run's 36-character id.
 * It names the trace (first id) and the parent (second to last id) when a message leaves them out.
 *
 * @param traceId the first segment's id
 * @param parentId the second to last segment's id, null for a root
 * @param startNanos the last segment's time, null when it does not parse
 */
record DottedOrder(String traceId, String parentId, String runId, Long startNanos) {
  private static final int ID_LENGTH = 36;
  private static final Pattern TIME = Pattern.compile("^\\d{8}T\\d{6}(\\d{3}|\\d{6})Z$");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

  /** Parses {@code text}; null when it is absent or not in the documented form. */
  static DottedOrder parse(String text) {
    if (text == null || text.isEmpty()) return null;
    String[] segments = text.split("\\.", -1);
    String[] ids = new String[segments.length];
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (s.length() <= ID_LENGTH || !TIME.matcher(s.substring(0, s.length() - ID_LENGTH)).matches()) return null;
      ids[i] = s.substring(s.length() - ID_LENGTH);
    }
    String last = segments[segments.length - 1];
    return new DottedOrder(ids[0], segments.length > 1 ? ids[segments.length - 2] : null,
        ids[segments.length - 1], time(last.substring(0, last.length() - ID_LENGTH)));
  }

  private static Long time(String stamp) {
    try {
      LocalDateTime t = LocalDateTime.parse(stamp.substring(0, 15), SECONDS);
      String frac = stamp.substring(15, stamp.length() - 1);
      long nanos = Long.parseLong(frac) * (frac.length() == 3 ? 1_000_000L : 1_000L);
      return Times.toNanos(t.toInstant(ZoneOffset.UTC)) + nanos;
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }
}
