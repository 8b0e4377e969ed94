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
    String cursor) {

  public enum Sort { START_TIME, DURATION }

  public record LabelFilter(String key, String value) {}

  public static RunQuery all() {
    return new RunQuery(null, null, null, null, null, null, null, List.of(), null, null, null, null, null,
        Sort.START_TIME, 50, null);
  }

  public RunQuery withVersion(String v) {
    return new RunQuery(agent, v, environment, status, failureType, failureCode, session, labels, text,
        fromNanos, toNanos, minDurationMs, maxDurationMs, sort, limit, cursor);
  }

  public RunQuery withPage(int limit, String cursor) {
    return new RunQuery(agent, version, environment, status, failureType, failureCode, session, labels, text,
        fromNanos, toNanos, minDurationMs, maxDurationMs, sort, limit, cursor);
  }
}
