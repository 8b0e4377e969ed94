package dev.sextant.store.sql;

/**
 * Where the rollup reads ({@link RollupScan}, {@link RollupReader}) get their rows, for one project
 * and one filter: the row stores' tables through JDBC ({@link JdbcRollupRows}), or another
 * backend's. Rollup rows carry dimensions as stored ({@link Rollup#dim}); only the filter's run
 * dimensions apply to them, while raw runs match the whole filter.
 */
public interface RollupRows {
  /** Sends each run rollup row of tier {@code tier} (seconds) with a bucket in {@code [from, to)}. */
  void runs(long tier, long from, long to, Rollup.Sink sink);

  /** Sends each step rollup row of tier {@code tier} with a bucket in {@code [from, to)}. */
  void steps(long tier, long from, long to, Rollup.Sink sink);

  /**
   * Sends what each raw run starting in {@code [from, to)} contributes ({@link Rollup#contribute}),
   * with its steps when {@code withSteps}; the sink gets the run's start as the bucket.
   */
  void raw(long from, long to, boolean withSteps, Rollup.Sink sink);

  /** The first ({@code first}) or last bucket start of tier {@code tier} in {@code [from, to)}; null for none. */
  Long edgeBucket(boolean first, long tier, long from, long to);

  /** The earliest ({@code first}) or latest raw run start in {@code [from, to)}; null for none. */
  Long edgeStart(boolean first, long from, long to);

  /** Run totals by point of a timeseries ({@link #points}). */
  interface PointSink {
    /** The sums of one point's rows of one status; {@code sums.latency} is left empty. */
    void totals(long point, String status, Rollup.RunAgg sums);

    /** Latency bins to add to a point. */
    void latency(long point, LatencyBins bins);
  }

  /**
   * The run totals of tier {@code tier}'s rows in {@code [from, to)} by point, where point {@code p}
   * holds buckets in {@code [origin + p × width, origin + (p + 1) × width)}. By default summed here
   * from {@link #runs}; a backend may sum where the rows are.
   */
  default void points(long tier, long from, long to, long origin, long width, PointSink sink) {
    runs(tier, from, to, new Rollup.Sink() {
      @Override
      public void run(long bucket, Rollup.RunDims dims, Rollup.RunAgg agg) {
        long point = Math.floorDiv(bucket - origin, width);
        LatencyBins bins = new LatencyBins();
        bins.addAll(agg.latency, 1);
        agg.latency.addAll(bins, -1);
        sink.totals(point, dims.status(), agg);
        if (!bins.isEmpty()) sink.latency(point, bins);
      }

      @Override
      public void step(long bucket, Rollup.StepDims dims, Rollup.StepAgg agg) {}
    });
  }
}
