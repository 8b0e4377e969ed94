package dev.sextant.store.clickhouse;

import static dev.sextant.store.clickhouse.ClickHouseClient.quote;

import dev.sextant.store.RunQuery;
import java.util.Collection;
import java.util.function.BiFunction;

/**
 * The filters of a {@link RunQuery} as a condition over the latest rows of runs (read with
 * {@code FINAL} from {@code runs_by_start}, whose key lets a start-time range skip granules, or
 * from {@code runs}, which has the same columns), with the row stores' meaning: runs retention has
 * not deleted, equality on the run's fields, every label pair, text contained in the run's or one
 * of its steps' names whatever its case, start time in {@code [from, to)}, duration bounds
 * inclusive, and a score of each named kind within its bounds.
 */
final class ChRunFilter {
  private ChRunFilter() {}

  /** The matching runs' steps of their current incarnation, as a condition over {@code steps}. */
  static String stepsOf(String projectId, RunQuery q,
      BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns) {
    return "project_id = " + quote(projectId) + " AND (run_id, incarnation) IN (SELECT run_id, incarnation FROM"
        + " runs_by_start FINAL WHERE " + where(projectId, q, scoredRuns) + ")";
  }

  /**
   * @param scoredRuns the ids of the project's runs with a score matching a filter (scores live in
   *     the transactional store)
   */
  static String where(String projectId, RunQuery q,
      BiFunction<String, RunQuery.ScoreFilter, Collection<String>> scoredRuns) {
    StringBuilder w = new StringBuilder("project_id = ").append(quote(projectId)).append(" AND deleted = 0");
    eq(w, "agent_id", q.agent());
    eq(w, "agent_version", q.version());
    eq(w, "environment", q.environment());
    eq(w, "status", q.status());
    eq(w, "failure_type", q.failureType());
    eq(w, "failure_code", q.failureCode());
    eq(w, "session_id", q.session());
    for (RunQuery.LabelFilter l : q.labels()) {
      w.append(" AND arrayExists((k, v) -> k = ").append(quote(l.key())).append(" AND v = ")
          .append(quote(l.value())).append(", label_keys, label_values)");
    }
    if (q.text() != null && !q.text().isEmpty()) {
      String text = quote(q.text());
      w.append(" AND (positionCaseInsensitiveUTF8(ifNull(name, ''), ").append(text).append(") > 0")
          .append(" OR (run_id, incarnation) IN (SELECT run_id, incarnation FROM steps FINAL WHERE project_id = ")
          .append(quote(projectId))
          .append(" AND positionCaseInsensitiveUTF8(ifNull(name, ''), ").append(text).append(") > 0))");
    }
    for (RunQuery.ScoreFilter f : q.scores()) {
      Collection<String> ids = scoredRuns.apply(projectId, f);
      w.append(ids.isEmpty() ? " AND 0" : " AND run_id IN (" + ClickHouseClient.quoteAll(ids) + ")");
    }
    if (q.fromNanos() != null) w.append(" AND start_ns >= ").append(q.fromNanos());
    if (q.toNanos() != null) w.append(" AND start_ns < ").append(q.toNanos());
    if (q.minDurationMs() != null) w.append(" AND duration_ms >= ").append(number(q.minDurationMs()));
    if (q.maxDurationMs() != null) w.append(" AND duration_ms <= ").append(number(q.maxDurationMs()));
    return w.toString();
  }

  private static void eq(StringBuilder w, String column, String value) {
    if (value != null) w.append(" AND ").append(column).append(" = ").append(quote(value));
  }

  /** A double as a literal ClickHouse reads back exactly. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("not a finite number: " + v);
    return "toFloat64(" + Double.toString(v) + ")";
  }
}
