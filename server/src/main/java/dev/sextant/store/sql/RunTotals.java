package dev.sextant.store.sql;

import static dev.sextant.store.sql.Sql.getDouble;
import static dev.sextant.store.sql.Sql.getLong;

import dev.sextant.store.sql.Rollup.StepRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's totals from every step stored for it: step, error and retry counts, tokens and cost of
 * the leaf steps, the first step start, and how many failed steps no later attempt recovered. The
 * writer computes them from the steps it reads anyway for the run's rollup contribution, so one
 * read of a run's steps per write serves both.
 *
 * @param inputTokens null when no leaf step reports input tokens (as SQL's {@code sum} of nothing)
 * @param costUsd null when no leaf step reports a cost
 * @param firstStartNs null when no step has a start
 */
record RunTotals(long steps, long errors, long retries, Long inputTokens, Long outputTokens, Double costUsd,
    Long firstStartNs, long unrecovered) {
  /** The largest total stored; larger sums are capped here rather than wrapping around. */
  static final double MAX_TOTAL = Double.parseDouble(Sql.MAX_TOTAL);

  /** A stored step as the writer reads it back: its rollup view and what the totals need besides. */
  record Step(StepRow row, String stepId, String parentStepId, String retryOf, int attempt, Long startNs,
      Long inputTokens, Long outputTokens, Double costUsd) {
    /** {@link Rollup#STEP_COLUMNS} followed by the step's id and its parent's. */
    static final String COLUMNS = Rollup.STEP_COLUMNS + ", s.step_id, s.parent_step_id";

    static Step read(ResultSet rs) throws SQLException {
      StepRow row = StepRow.read(rs);
      int attempt = rs.getInt(5);
      if (rs.wasNull()) attempt = 1;
      return new Step(row, rs.getString(13), rs.getString(14), rs.getString(6), attempt, getLong(rs, 7),
          getLong(rs, 10), getLong(rs, 11), getDouble(rs, 12));
    }

    /** Whether the step reports tokens or a cost of its own. */
    boolean hasUsage() {
      return inputTokens != null || outputTokens != null || costUsd != null;
    }
  }

  /**
   * The totals of a run whose stored steps are {@code steps}. Usage is counted at the leaves: a step
   * with a child that reports usage is a parent whose own figures already include the child's (an
   * agent span summing its model calls), so only the child counts.
   */
  static RunTotals of(List<Step> steps) {
    Set<String> parentsOfUsage = new HashSet<>();
    Map<String, Integer> lastAttemptOf = new HashMap<>();
    for (Step s : steps) {
      if (s.hasUsage() && s.parentStepId() != null) parentsOfUsage.add(s.parentStepId());
      if (s.retryOf() != null) lastAttemptOf.merge(s.retryOf(), s.attempt(), Math::max);
    }
    long errors = 0;
    long retries = 0;
    long unrecovered = 0;
    Long firstStart = null;
    Sum in = new Sum();
    Sum out = new Sum();
    Sum cost = new Sum();
    for (Step s : steps) {
      if (s.row().failed()) {
        errors++;
        if (!recovered(s, lastAttemptOf)) unrecovered++;
      }
      if (s.row().retry()) retries++;
      if (s.startNs() != null && (firstStart == null || s.startNs() < firstStart)) firstStart = s.startNs();
      if (s.hasUsage() && !parentsOfUsage.contains(s.stepId())) {
        in.add(s.inputTokens());
        out.add(s.outputTokens());
        cost.add(s.costUsd());
      }
    }
    return new RunTotals(steps.size(), errors, retries, in.capped(), out.capped(), cost.value(), firstStart,
        unrecovered);
  }

  /**
   * Whether a later attempt of the same action exists: a step retrying this one, or retrying what
   * this one retried, with a higher attempt number.
   */
  private static boolean recovered(Step failed, Map<String, Integer> lastAttemptOf) {
    Integer ofThis = lastAttemptOf.get(failed.stepId());
    if (ofThis != null && ofThis > failed.attempt()) return true;
    Integer ofSame = failed.retryOf() == null ? null : lastAttemptOf.get(failed.retryOf());
    return ofSame != null && ofSame > failed.attempt();
  }

  /**
   * A sum of doubles, null until a value is added, compensated (Neumaier) as SQLite's {@code sum}
   * is, so that many small costs do not drift.
   */
  private static final class Sum {
    private double sum;
    private double compensation;
    private boolean any;

    void add(Number v) {
      if (v == null) return;
      double x = v.doubleValue();
      double t = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
      sum = t;
      any = true;
    }

    Double value() {
      return any ? sum + compensation : null;
    }

    /** The sum as a whole number, capped at {@link #MAX_TOTAL}. */
    Long capped() {
      Double v = value();
      return v == null ? null : (long) Math.min(v, MAX_TOTAL);
    }
  }
}
