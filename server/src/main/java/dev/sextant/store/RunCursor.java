package dev.sextant.store;

import dev.sextant.model.Times;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque paging position of {@code GET /v1/runs}: the sort key and run id of the last row
 * served. Every backend pages by it, so a cursor means the same whichever store made it.
 *
 * @param nanos the last start time, for a sort by start time
 * @param value the last duration or cost (-1 for none), for a sort by a number
 */
public record RunCursor(long nanos, double value, String runId) {
  /** The cursor after {@code last} in a sort by {@code sort}. */
  public static String after(RunSummary last, RunQuery.Sort sort) {
    return switch (sort) {
      case DURATION -> encodeValue(sort, last.durationMs() == null ? -1 : last.durationMs(), last.runId());
      case COST -> encodeValue(sort, last.costUsd() == null ? -1 : last.costUsd(), last.runId());
      case START_TIME -> encodeTime(Times.toNanos(last.startTime()), last.runId());
    };
  }

  public static String encodeTime(long startNanos, String runId) {
    return encode("t:" + startNanos + ":" + runId);
  }

  /** A position in a sort by a number (duration, cost). */
  public static String encodeValue(RunQuery.Sort sort, double value, String runId) {
    return encode(tag(sort) + ":" + value + ":" + runId);
  }

  private static String tag(RunQuery.Sort sort) {
    return switch (sort) {
      case START_TIME -> "t";
      case DURATION -> "d";
      case COST -> "c";
    };
  }

  private static String encode(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The position a cursor names, null for none; a cursor of another sort order is refused. */
  public static RunCursor decode(String cursor, RunQuery.Sort sort) {
    if (cursor == null || cursor.isEmpty()) return null;
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = s.split(":", 3);
      if (parts.length != 3 || !parts[0].equals(tag(sort))) throw new IllegalArgumentException();
      return sort == RunQuery.Sort.START_TIME
          ? new RunCursor(Long.parseLong(parts[1]), 0, parts[2])
          : new RunCursor(0, Double.parseDouble(parts[1]), parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cursor is not valid for this sort order; pass the next_cursor of the previous page unchanged");
    }
  }
}
