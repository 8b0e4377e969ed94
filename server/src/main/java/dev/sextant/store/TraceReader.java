package dev.sextant.store;

import java.util.List;
import java.util.Optional;

/** Reading runs, steps and their aggregates, and exporting them: what the query API and alerts need. */
public interface TraceReader {
  RunPage listRuns(String projectId, RunQuery query);

  Optional<RunDetail> getRun(String projectId, String runId);

  Optional<StepDetail> getStep(String projectId, String runId, String stepId);

  /**
   * Aggregates of the runs matching {@code filter}. Filters on agent, version, environment, status,
   * failure and start time are answered from rollups, whose cost does not grow with history; the
   * others (session, labels, text, duration bounds) from raw rows.
   */
  Stats stats(String projectId, RunQuery filter);

  Timeseries timeseries(String projectId, RunQuery filter, int buckets);

  List<AgentSummary> agents(String projectId);

  /**
   * The project's rollup totals over all time, by agent, version, environment, status and failure
   * (runs) and by step type and model (steps), with duration histograms at the given bounds in
   * milliseconds (ascending). Read from rollups only, so its cost does not grow with raw rows;
   * buckets deleted by rollup retention no longer count.
   */
  AgentTotals agentTotals(String projectId, double[] runBoundsMs, double[] stepBoundsMs);

  /**
   * The same answers computed from raw rows alone, ignoring rollups: the reference that the rollups
   * are tested against (exact percentiles; runs deleted by retention are missing).
   */
  Stats statsFromRows(String projectId, RunQuery filter);

  /**
   * Count, sum and sum of squares of cost per run under {@code filter} (a run without a cost counts
   * 0), for a test of the difference of two means: from the rollups where they answer the filter
   * (leaving out runs whose rollup rows were written before the squares were kept), else from raw rows.
   */
  RunMoments costPerRun(String projectId, RunQuery filter);

  /**
   * Run durations under {@code filter} at the fractions {@code qs} (0..1): from the rollups' merged
   * sketches where they answer the filter (within their 1 % relative error), exactly from raw rows
   * otherwise or when few runs match — the same source as {@link #stats}' run percentiles.
   */
  RunQuantiles runQuantiles(String projectId, RunQuery filter, double... qs);

  Timeseries timeseriesFromRows(String projectId, RunQuery filter, int buckets);

  List<AgentSummary> agentsFromRows(String projectId);


  /**
   * Hands every run matching {@code filter} (newest first; the filter's page size and cursor are
   * ignored) with all of its steps to {@code sink}, as records that re-ingested give the same runs.
   * Runs are read a page at a time and steps are streamed, so memory stays bounded however many
   * runs match.
   */
  default void exportRuns(String projectId, RunQuery filter, RecordSink sink) {
    String cursor = null;
    do {
      RunPage page = listRuns(projectId, filter.withPage(EXPORT_PAGE, cursor));
      for (RunSummary run : page.runs()) exportRun(projectId, run.runId(), sink);
      cursor = page.nextCursor();
    } while (cursor != null);
  }

  /** Runs read per page by {@link #exportRuns}. */
  int EXPORT_PAGE = 500;

  /** Like {@link #exportRuns} for one run; false (and nothing sent) when the run does not exist. */
  boolean exportRun(String projectId, String runId, RecordSink sink);
}
