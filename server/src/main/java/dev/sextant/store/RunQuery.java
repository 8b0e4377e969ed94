package dev.sextant.store;

import java.util.List;

/**
 * Filters and paging of {@code GET /v1/runs}; the filters alone serve {@code /v1/stats}. Null
 * means "no filter". Times are epoch nanoseconds.
 */
public record RunQuery(
    String agent,
    String version,
    String environment,
    String status,
    String failureType,
    String failureCode,
    String session,
    List<LabelFilter> labels,
    String text,
    Long fromNanos,
    Long toNanos,
    Double minDurationMs,
    Double maxDurationMs,
    Sort sort,
    int limit,
    String cursor,
    List<ScoreFilter> scores) {

  public enum Sort { START_TIME, DURATION, COST }

  public record LabelFilter(String key, String value) {}

  /**
   * Runs with a score named {@code name} (on the run or one of its steps) whose value is within
   * the bounds; null bounds are open, and with both null any score of that name matches.
   */
  public record ScoreFilter(String name, Double min, Double max) {}

  /** Without score filters. */
  public RunQuery(String agent, String version, String environment, String status, String failureType,
      String failureCode, String session, List<LabelFilter> labels, String text, Long fromNanos, Long toNanos,
      Double minDurationMs, Double maxDurationMs, Sort sort, int limit, String cursor) {
    this(agent, version, environment, status, failureType, failureCode, session, labels, text, fromNanos, toNanos,
        minDurationMs, maxDurationMs, sort, limit, cursor, List.of());
  }

  public static RunQuery all() {
    return new RunQuery(null, null, null, null, null, null, null, List.of(), null, null, null, null, null,
        Sort.START_TIME, 50, null);
  }

  public RunQuery withVersion(String v) {
    return new RunQuery(agent, v, environment, status, failureType, failureCode, session, labels, text,
        fromNanos, toNanos, minDurationMs, maxDurationMs, sort, limit, cursor, scores);
  }

  /** The same filters over {@code [fromNanos, toNanos)} instead (nulls: open). */
  public RunQuery withTimes(Long fromNanos, Long toNanos) {
    return new RunQuery(agent, version, environment, status, failureType, failureCode, session, labels, text,
        fromNanos, toNanos, minDurationMs, maxDurationMs, sort, limit, cursor, scores);
  }

  public RunQuery withSort(Sort sort) {
    return new RunQuery(agent, version, environment, status, failureType, failureCode, session, labels, text,
        fromNanos, toNanos, minDurationMs, maxDurationMs, sort, limit, cursor, scores);
  }

  public RunQuery withPage(int limit, String cursor) {
    return new RunQuery(agent, version, environment, status, failureType, failureCode, session, labels, text,
        fromNanos, toNanos, minDurationMs, maxDurationMs, sort, limit, cursor, scores);
  }
}
