package dev.sextant.store.sql;

import java.util.List;

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

  /** A range of a tier's buckets (tier in seconds), or of raw runs' starts (tier 0). */
  record Range(long tier, long from, long to) {}

  /**
   * Sends the rows of every range: rollup rows of tier ranges (and, if {@code withSteps}, step
   * rollup rows), raw contributions of raw ones. By default one read per range and table; a
   * backend whose reads cost a round trip each may read them all at once.
   */
  default void scan(List<Range> ranges, boolean withSteps, Rollup.Sink sink) {
    for (Range r : ranges) {
      if (r.tier() == 0) {
        raw(r.from(), r.to(), withSteps, sink);
      } else {
        runs(r.tier(), r.from(), r.to(), sink);
        if (withSteps) steps(r.tier(), r.from(), r.to(), sink);
      }
    }
  }

  /** {@link #points} of every tier range, by default one after another. */
  default void points(List<Range> ranges, long origin, long width, PointSink sink) {
    for (Range r : ranges) points(r.tier(), r.from(), r.to(), origin, width, sink);
  }

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
