package dev.sextant.store.sql;

import dev.sextant.model.FailureTaxonomy;
import dev.sextant.store.sql.Rollup.RunAgg;
import dev.sextant.store.sql.Rollup.RunDims;
import dev.sextant.store.sql.Rollup.StepAgg;
import dev.sextant.store.sql.Rollup.StepDims;
import dev.sextant.store.sql.Rollup.StepRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run's stored steps and reported fields imply, computed in Java for a backend that cannot
 * run the row stores' recomputation statements (ClickHouse has no {@code UPDATE}): totals, start,
 * end, duration and status as {@code SqlWriter}'s recomputation sets them, the cause of an inferred
 * failure as its derivation picks it, and the run's contribution to the rollups as
 * {@link Rollup#contribute} counts it. Totals and contributions go through the same code as the row
 * stores ({@link RunTotals}, {@link Rollup}), so the backends cannot count differently; the
 * conformance suite pins the rest.
 */
public final class RunDerivation {
  private RunDerivation() {}

  /** A stored step as the derivation needs it (what the row stores read back from {@code step_rows}). */
  public record StepFacts(String stepId, String parentStepId, Integer seq, String type, String model, String status,
      Integer attempt, String retryOf, Long startNs, Long endNs, Long inputTokens, Long outputTokens, Double costUsd,
      String errorType, String errorCode, String errorMessage) {
    Double durationMs() {
      return startNs == null || endNs == null || endNs < startNs ? null : (endNs - startNs) / 1_000_000.0;
    }

    boolean failed() {
      return "error".equals(status) || "timeout".equals(status);
    }

    int attemptOrOne() {
      return attempt == null ? 1 : attempt;
    }
  }

  /** A stored run's reported fields and stated failure, after merging what arrived. */
  public record RunFacts(String runId, String agentId, String agentVersion, String environment, Long reportedStartNs,
      Long reportedEndNs, String reportedStatus, String failureType, String failureCode, String failureMessage,
      String failureStepId, int failureInferred, long startNs) {}

  /** A failure as stored: type, code, message and step. */
  public record FailureFacts(String type, String code, String message, String stepId) {}

  /** What the run contributes to one step rollup row: its steps of one type and model. */
  public record StepGroup(String type, String model, long steps, long errors, long retries, long timed, long durationNs,
      long inputTokens, long outputTokens, double costUsd, int[] bins, long[] binCounts) {}

  /**
   * The derived fields of a run.
   *
   * @param failure the failure after derivation: the stated one, or for an inferred failure its cause
   * @param latencyBins the run duration's latency bin ({@link LatencyBins#forEach} keys), empty when untimed
   */
  public record Derived(long startNs, Long endNs, Double durationMs, String status, long stepCount, long errorCount,
      long retryCount, Long inputTokens, Long outputTokens, Double costUsd, FailureFacts failure, boolean timed,
      long durationNs, double costSqUsd, int[] latencyBins, long[] latencyCounts, List<StepGroup> stepGroups) {}

  /** A run's start, end, duration and status, from what was reported and its totals. */
  record Placement(long startNs, Long endNs, Double durationMs, String status) {}

  /**
   * A run's start (reported, else its first step's, else its reported end, else what it had, else
   * {@code firstSeenNs}), end, duration and status (reported, unless {@code running} after an end;
   * else from its end, failure and unrecovered steps).
   *
   * @param storedStartNs the start the run has, 0 when it has none yet
   */
  static Placement place(Long reportedStartNs, Long reportedEndNs, String reportedStatus, String failureType,
      long storedStartNs, RunTotals t, long firstSeenNs) {
    Long firstStart = t.firstStartNs();
    long start = reportedStartNs != null ? reportedStartNs
        : firstStart != null ? firstStart
        : reportedEndNs != null ? reportedEndNs
        : storedStartNs == 0 ? firstSeenNs : storedStartNs;
    Long timedStart = reportedStartNs != null ? reportedStartNs : firstStart;
    Long end = reportedEndNs;
    Double durationMs = timedStart == null || end == null || end < timedStart ? null : (end - timedStart) / 1_000_000.0;
    String status;
    if (reportedStatus != null && !("running".equals(reportedStatus) && end != null)) {
      status = reportedStatus;
    } else if (end == null) {
      status = "running";
    } else if (failureType != null) {
      status = "failure";
    } else if (t.unrecovered() > 0) {
      status = "partial";
    } else {
      status = "success";
    }
    return new Placement(start, end, durationMs, status);
  }

  /**
   * Derives a run's fields from {@code run} and all of its stored {@code steps}.
   *
   * @param firstSeenNs the start of a run that reports no time and has no timed step, when it has none yet
   */
  public static Derived derive(RunFacts run, List<StepFacts> steps, long firstSeenNs) {
    List<RunTotals.Step> rows = new ArrayList<>(steps.size());
    for (StepFacts s : steps) rows.add(totalsStep(run.runId(), s));
    RunTotals t = RunTotals.of(rows);
    Placement placed = place(run.reportedStartNs(), run.reportedEndNs(), run.reportedStatus(), run.failureType(),
        run.startNs(), t, firstSeenNs);
    long start = placed.startNs();
    Long end = placed.endNs();
    Double durationMs = placed.durationMs();
    String status = placed.status();
    FailureFacts failure = run.failureType() == null && run.failureCode() == null && run.failureMessage() == null
        && run.failureStepId() == null ? null
        : new FailureFacts(run.failureType(), run.failureCode(), run.failureMessage(), run.failureStepId());
    if (run.failureInferred() == 1 || run.failureInferred() == SqlWriter.STEP_INFERRED) {
      StepFacts cause = cause(steps);
      if (cause != null) {
        failure = run.failureInferred() == SqlWriter.STEP_INFERRED
            ? new FailureFacts(run.failureType(), run.failureCode(), run.failureMessage(), cause.stepId())
            : new FailureFacts(FailureTaxonomy.failureType(cause.errorType(), cause.type()),
                cause.errorCode() == null || cause.errorCode().isEmpty() ? "error" : cause.errorCode(),
                cause.errorMessage(), cause.stepId());
      }
    }
    return contribution(run, start, end, durationMs, status, t, failure, rows);
  }

  private static Derived contribution(RunFacts run, long start, Long end, Double durationMs, String status,
      RunTotals t, FailureFacts failure, List<RunTotals.Step> rows) {
    RunDims dims = new RunDims(Rollup.dim(run.agentId()), Rollup.dim(run.agentVersion()),
        Rollup.dim(run.environment()), status, Rollup.dim(failure == null ? null : failure.type()),
        Rollup.dim(failure == null ? null : failure.code()));
    Rollup.RunRow row = new Rollup.RunRow(run.runId(), start, dims, durationMs,
        durationMs == null ? null : end - start, t.retries(), t.inputTokens() == null ? 0 : t.inputTokens(),
        t.outputTokens() == null ? 0 : t.outputTokens(), t.costUsd() == null ? 0 : t.costUsd());
    List<StepRow> stepRows = new ArrayList<>(rows.size());
    for (RunTotals.Step s : rows) stepRows.add(s.row());
    RunAgg[] runAgg = new RunAgg[1];
    List<StepGroup> groups = new ArrayList<>();
    Rollup.contribute(row, stepRows, new Rollup.Sink() {
      @Override
      public void run(long startNs, RunDims d, RunAgg agg) {
        runAgg[0] = agg;
      }

      @Override
      public void step(long startNs, StepDims d, StepAgg a) {
        List<long[]> bins = a.latency.bins();
        groups.add(new StepGroup(d.type(), d.model(), a.steps, a.errors, a.retries, a.timed, a.durationNs,
            a.inputTokens, a.outputTokens, a.costUsd, keys(bins), counts(bins)));
      }
    });
    groups.sort(Comparator.comparing(StepGroup::type).thenComparing(StepGroup::model));
    RunAgg r = runAgg[0];
    List<long[]> bins = r.latency.bins();
    return new Derived(start, end, durationMs, status, t.steps(), t.errors(), t.retries(), t.inputTokens(),
        t.outputTokens(), t.costUsd(), failure, r.timed == 1, r.durationNs, r.costSqUsd, keys(bins), counts(bins),
        groups);
  }

  /** The bins of an encoded latency histogram of the row stores' rollups, as {key, count} pairs (null: none). */
  public static List<long[]> decodeBins(byte[] encoded) {
    return LatencyBins.decode(encoded).bins();
  }

  private static int[] keys(List<long[]> bins) {
    int[] k = new int[bins.size()];
    for (int i = 0; i < k.length; i++) k[i] = (int) bins.get(i)[0];
    return k;
  }

  private static long[] counts(List<long[]> bins) {
    long[] c = new long[bins.size()];
    for (int i = 0; i < c.length; i++) c[i] = bins.get(i)[1];
    return c;
  }

  private static RunTotals.Step totalsStep(String runId, StepFacts s) {
    boolean retry = s.retryOf() != null || s.attemptOrOne() > 1;
    Double ms = s.durationMs();
    StepRow row = new StepRow(runId, s.type() == null ? "custom" : s.type(), Rollup.dim(s.model()), s.failed(), retry,
        ms, ms == null ? null : s.endNs() - s.startNs(), s.inputTokens() == null ? 0 : s.inputTokens(),
        s.outputTokens() == null ? 0 : s.outputTokens(), s.costUsd() == null ? 0 : s.costUsd());
    return new RunTotals.Step(row, s.stepId(), s.parentStepId(), s.retryOf(), s.attemptOrOne(), s.startNs(),
        s.inputTokens(), s.outputTokens(), s.costUsd());
  }

  /**
   * The cause of an inferred failure, as {@code SqlWriter}'s derivation picks it: the first-ending
   * unrecovered failed step below the root without an unrecovered failed child.
   */
  private static StepFacts cause(List<StepFacts> steps) {
    Map<String, Integer> lastAttemptOf = new HashMap<>();
    for (StepFacts s : steps) {
      if (s.retryOf() != null) lastAttemptOf.merge(s.retryOf(), s.attemptOrOne(), Math::max);
    }
    Set<String> parentsOfUnrecovered = new HashSet<>();
    List<StepFacts> unrecovered = new ArrayList<>();
    for (StepFacts s : steps) {
      if (!s.failed() || recovered(s, lastAttemptOf)) continue;
      unrecovered.add(s);
      if (s.parentStepId() != null) parentsOfUnrecovered.add(s.parentStepId());
    }
    StepFacts best = null;
    for (StepFacts s : unrecovered) {
      if (s.parentStepId() == null || parentsOfUnrecovered.contains(s.stepId())) continue;
      if (best == null || CAUSE_ORDER.compare(s, best) < 0) best = s;
    }
    return best;
  }

  /** Ending first; steps without an end last; then by seq (none first, as SQLite sorts) and id. */
  private static final Comparator<StepFacts> CAUSE_ORDER = Comparator
      .comparing((StepFacts s) -> s.endNs() == null ? 1 : 0)
      .thenComparing(StepFacts::endNs, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(StepFacts::seq, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(StepFacts::stepId);

  private static boolean recovered(StepFacts failed, Map<String, Integer> lastAttemptOf) {
    Integer ofThis = lastAttemptOf.get(failed.stepId());
    if (ofThis != null && ofThis > failed.attemptOrOne()) return true;
    Integer ofSame = failed.retryOf() == null ? null : lastAttemptOf.get(failed.retryOf());
    return ofSame != null && ofSame > failed.attemptOrOne();
  }
}
