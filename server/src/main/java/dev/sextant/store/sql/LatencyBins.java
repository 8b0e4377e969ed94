package dev.sextant.store.sql;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A latency histogram in DDSketch's logarithmic bins (relative accuracy 1 %), with exact integer
 * counts. Because a bin's count is a plain integer, a value can be taken out exactly as it was put
 * in — which a {@link DDSketch} itself does not offer — so a rollup row can subtract the old
 * duration of a run that changed. Quantiles are answered by DDSketch over the same bins.
 *
 * <p>Encoded as zigzag varints: the zero count, then for the positive and the negative side the
 * number of non-empty bins and, per bin, its index as a difference from the previous one and its count.
 */
public final class LatencyBins {
  /** Relative accuracy of every quantile read from rollups. */
  static final double RELATIVE_ACCURACY = 0.01;

  static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

  private final Side positive = new Side();
  private final Side negative = new Side();
  private long zero;

  /** Adds ({@code count > 0}) or removes ({@code count < 0}) {@code |count|} copies of {@code value}. */
  public void add(double value, long count) {
    if (value > MAPPING.minIndexableValue()) positive.add(MAPPING.index(value), count);
    else if (value < -MAPPING.minIndexableValue()) negative.add(MAPPING.index(-value), count);
    else zero += count;
  }

  public void addAll(LatencyBins other, long sign) {
    positive.addAll(other.positive, sign);
    negative.addAll(other.negative, sign);
    zero += sign * other.zero;
  }

  public long count() {
    return zero + positive.total() + negative.total();
  }

  public boolean isEmpty() {
    return zero == 0 && positive.isEmpty() && negative.isEmpty();
  }

  /** The values at the given quantiles (0..1), or nulls when there are none. */
  public Double[] quantiles(double... qs) {
    Double[] out = new Double[qs.length];
    if (count() <= 0) return out;
    UnboundedSizeDenseStore pos = new UnboundedSizeDenseStore();
    UnboundedSizeDenseStore neg = new UnboundedSizeDenseStore();
    positive.copyTo(pos);
    negative.copyTo(neg);
    DDSketch sketch = DDSketch.of(MAPPING, neg, pos, zero);
    for (int i = 0; i < qs.length; i++) out[i] = sketch.getValueAtQuantile(qs[i]);
    return out;
  }

  /**
   * Adds the counts of these bins to {@code out}: at index i those counted at most
   * {@code bounds[i]} (ascending, positive) and above the previous bound, at the last index those
   * above every bound. A bin is counted at the first bound whose own bin is not below it, so a
   * value at or below a bound is never counted above it, and a value counted at a bound is less
   * than one bin width (a factor 1.0202) above it. Zero and negative values go to the first bucket.
   */
  public void addBucketCounts(double[] bounds, long[] out) {
    int[] boundBins = new int[bounds.length];
    for (int k = 0; k < bounds.length; k++) boundBins[k] = MAPPING.index(bounds[k]);
    out[0] += zero + negative.total();
    for (int i = 0; i < positive.counts.length; i++) {
      long c = positive.counts[i];
      if (c == 0) continue;
      int bin = positive.offset + i;
      int k = 0;
      while (k < bounds.length && boundBins[k] < bin) k++;
      out[k] += c;
    }
  }

  /** The key of the zero bin in {@link #bins}. */
  static final int ZERO_KEY = Integer.MIN_VALUE;

  /**
   * The non-empty bins as {key, count} pairs, ascending by key, for a store that keeps them as a
   * map: index {@code i} of the positive side has key {@code 2i}, of the negative side {@code 2i + 1},
   * the zero bin {@link #ZERO_KEY}.
   */
  public List<long[]> bins() {
    List<long[]> out = new ArrayList<>();
    if (zero != 0) out.add(new long[] {ZERO_KEY, zero});
    positive.forEach((i, c) -> out.add(new long[] {2L * i, c}));
    negative.forEach((i, c) -> out.add(new long[] {2L * i + 1, c}));
    out.sort(java.util.Comparator.comparingLong(b -> b[0]));
    return out;
  }

  /** Adds {@code count} to the bin of {@code key} as {@link #bins} names it. */
  public void addBin(long key, long count) {
    if (key == ZERO_KEY) zero += count;
    else if ((key & 1) == 0) positive.add((int) (key >> 1), count);
    else negative.add((int) (key >> 1), count);
  }

  /** Null when empty, so that rows without timings store nothing. */
  byte[] encode() {
    if (isEmpty()) return null;
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    writeVarLong(out, zero);
    positive.encode(out);
    negative.encode(out);
    return out.toByteArray();
  }

  /** Adds the bins encoded in {@code bytes} (null adds nothing) times {@code sign}. */
  void addEncoded(byte[] bytes, long sign) {
    if (bytes == null) return;
    int[] at = {0};
    zero += sign * readVarLong(bytes, at);
    positive.decode(bytes, at, sign);
    negative.decode(bytes, at, sign);
  }

  static LatencyBins decode(byte[] bytes) {
    LatencyBins b = new LatencyBins();
    b.addEncoded(bytes, 1);
    return b;
  }

  /** One side's bins: a dense array of counts from bin index {@code offset} on. */
  private static final class Side {
    private long[] counts = new long[0];
    private int offset;

    void add(int index, long count) {
      if (count == 0) return;
      if (counts.length == 0) {
        counts = new long[8];
        offset = index;
      } else if (index < offset || index >= offset + counts.length) {
        // grow at least twofold, the room on the side that missed, so that misses stay rare
        int hi = Math.max(offset + counts.length, index + 1);
        int length = Math.max(hi - Math.min(offset, index), counts.length * 2);
        int lo = index < offset ? hi - length : offset;
        long[] grown = new long[length];
        System.arraycopy(counts, 0, grown, offset - lo, counts.length);
        counts = grown;
        offset = lo;
      }
      counts[index - offset] += count;
    }

    void forEach(java.util.function.BiConsumer<Integer, Long> each) {
      for (int i = 0; i < counts.length; i++) if (counts[i] != 0) each.accept(offset + i, counts[i]);
    }

    void addAll(Side other, long sign) {
      for (int i = 0; i < other.counts.length; i++) {
        if (other.counts[i] != 0) add(other.offset + i, sign * other.counts[i]);
      }
    }

    long total() {
      long t = 0;
      for (long c : counts) t += c;
      return t;
    }

    boolean isEmpty() {
      for (long c : counts) if (c != 0) return false;
      return true;
    }

    void copyTo(UnboundedSizeDenseStore store) {
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) store.add(offset + i, (double) counts[i]);
      }
    }

    void encode(ByteArrayOutputStream out) {
      int n = 0;
      for (long c : counts) if (c != 0) n++;
      writeVarLong(out, n);
      int previous = 0;
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) continue;
        int index = offset + i;
        writeVarLong(out, index - previous);
        writeVarLong(out, counts[i]);
        previous = index;
      }
    }

    void decode(byte[] bytes, int[] at, long sign) {
      long n = readVarLong(bytes, at);
      int index = 0;
      for (long i = 0; i < n; i++) {
        index += (int) readVarLong(bytes, at);
        add(index, sign * readVarLong(bytes, at));
      }
    }
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void writeVarLong(ByteArrayOutputStream out, long v) {
    long u = zigzag(v);
    while ((u & ~0x7FL) != 0) {
      out.write((int) ((u & 0x7F) | 0x80));
      u >>>= 7;
    }
    out.write((int) u);
  }

  private static long readVarLong(byte[] bytes, int[] at) {
    long u = 0;
    int shift = 0;
    while (true) {
      byte b = bytes[at[0]++];
      u |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
    }
    return unzigzag(u);
  }
}
