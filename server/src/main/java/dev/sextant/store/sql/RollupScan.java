package dev.sextant.store.sql;

import dev.sextant.store.RunQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the totals of a time range {@code [from, to)} for one filter: the whole days inside it from
 * the day tier, the whole hours left at its edges from the hour tier, the whole minutes left from
 * the minute tier, and the sub-minute edges (and minutes no longer kept) from raw runs. Every run is
 * counted once, in the piece that holds its start. {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}
 * stand for an open end. The rows come from a {@link RollupRows}, so every backend splits ranges alike.
 */
public final class RollupScan {
  /** One part of a range: a tier (index into {@link Rollup#TIERS}) or raw rows ({@code -1}). */
  record Piece(int level, long from, long to) {}

  private final RollupRows rows;
  private final RunQuery q;
  private final long minuteFloor;

  /** @param rows the rows of the project under {@code q} */
  RollupScan(RollupRows rows, RunQuery q, long nowNs) {
    this.rows = rows;
    this.q = q;
    this.minuteFloor = Rollup.minuteFloor(nowNs);
  }

  /** Whether rollups can answer {@code q}: only filters on run dimensions and start time. */
  public static boolean answers(RunQuery q) {
    return q.session() == null && q.labels().isEmpty() && q.scores().isEmpty()
        && (q.text() == null || q.text().isEmpty())
        && q.minDurationMs() == null && q.maxDurationMs() == null;
  }

  /** Splits {@code [from, to)} into pieces no coarser than tier {@code maxLevel}. */
  List<Piece> pieces(long from, long to, int maxLevel) {
    List<Piece> out = new ArrayList<>();
    split(from, to, maxLevel, out);
    return out;
  }

  private void split(long a, long b, int level, List<Piece> out) {
    if (a >= b) return;
    if (level < 0) {
      out.add(new Piece(-1, a, b));
      return;
    }
    long w = Rollup.TIERS[level] * 1_000_000_000L;
    long lo = a == Long.MIN_VALUE ? a : a > Long.MAX_VALUE - w ? Long.MAX_VALUE : Math.floorDiv(a + w - 1, w) * w;
    long hi = b == Long.MAX_VALUE ? b : Math.floorDiv(b, w) * w;
    if (level == 0 && lo < minuteFloor) lo = Math.max(lo, minuteFloor);
    if (lo >= hi) {
      split(a, b, level - 1, out);
      return;
    }
    out.add(new Piece(level, lo, hi));
    split(a, lo, level - 1, out);
    split(hi, b, level - 1, out);
  }

  /** Sends every run (and, if {@code withSteps}, step) total of the pieces to {@code sink}. */
  void scan(List<Piece> pieces, boolean withSteps, Rollup.Sink sink) {
    List<RollupRows.Range> ranges = new ArrayList<>(pieces.size());
    for (Piece p : pieces) ranges.add(range(p));
    rows.scan(ranges, withSteps, sink);
  }

  /**
   * The run totals of the pieces by point, where point {@code p} holds starts in {@code [origin + p
   * × width, origin + (p + 1) × width)}: tier pieces through {@link RollupRows#points}, raw pieces
   * through {@code raw}. Each piece lies inside one point: {@code width} is a multiple of the pieces' tier.
   */
  void scanPoints(List<Piece> pieces, long origin, long width, RollupRows.PointSink points, Rollup.Sink raw) {
    List<RollupRows.Range> tiers = new ArrayList<>();
    List<RollupRows.Range> raws = new ArrayList<>();
    for (Piece p : pieces) (p.level() < 0 ? raws : tiers).add(range(p));
    if (!tiers.isEmpty()) rows.points(tiers, origin, width, points);
    if (!raws.isEmpty()) rows.scan(raws, false, raw);
  }

  private static RollupRows.Range range(Piece p) {
    return new RollupRows.Range(p.level() < 0 ? 0 : Rollup.TIERS[p.level()], p.from(), p.to());
  }

  /**
   * The earliest ({@code first}) or latest start among the matching runs inside the query's time
   * range, narrowed tier by tier from days to raw rows; where finer data is no longer kept, the start
   * of the finest bucket that holds it. Null when nothing matches. A bucket that the range cuts holds
   * runs on both sides of the cut: when none of its raw runs is inside, the search goes on past it.
   */
  Long boundary(boolean first) {
    long lo = q.fromNanos() != null ? q.fromNanos() : Long.MIN_VALUE;
    long hi = q.toNanos() != null ? q.toNanos() : Long.MAX_VALUE;
    while (lo < hi) {
      Piece found = finestBucket(first, lo, hi);
      if (found == null) return null;
      long bucket = found.from();
      long end = found.to();
      Long start = rows.edgeStart(first, Math.max(bucket, lo), Math.min(end, hi));
      if (start != null) return start;
      if (bucket >= lo && end <= hi) return first ? bucket : end - 1; // raw rows no longer kept
      if (first) lo = end;
      else hi = bucket;
    }
    return null;
  }

  /** The first or last bucket with matching runs that overlaps {@code [lo, hi)}, in the finest tier kept. */
  private Piece finestBucket(boolean first, long lo, long hi) {
    Piece bucket = null;
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (int level = Rollup.TIERS.length - 1; level >= 0; level--) {
      long w = Rollup.TIERS[level] * 1_000_000_000L;
      if (level == 0) from = Math.max(from, minuteFloor);
      // buckets that overlap [lo, hi): starting before hi and ending after lo
      long overlapFrom = lo == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(lo, w) * w;
      Long b = rows.edgeBucket(first, Rollup.TIERS[level], Math.max(from, overlapFrom), Math.min(to, hi));
      if (b == null) break;
      bucket = new Piece(level, b, b + w);
      from = b;
      to = b + w;
    }
    return bucket;
  }
}
