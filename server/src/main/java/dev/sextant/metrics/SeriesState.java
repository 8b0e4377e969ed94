package dev.sextant.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this process remembers about one project's series between scrapes: which label sets the
 * series limit admitted (for good, so a series never moves into {@code other} and back), and a
 * floor per counter value, so that what Prometheus sees never decreases while the process runs
 * even when a rollup total does (rollup retention deleting old buckets, a run's status corrected).
 */
final class SeriesState {
  private final int limit;
  private final Map<String, Set<List<String>>> admitted = new HashMap<>();
  private final Map<String, Floor[]> floors = new HashMap<>();

  SeriesState(int limit) {
    this.limit = limit;
  }

  /**
   * Returns {@code family}'s series with those beyond the limit summed into {@code other} series,
   * and the number of label sets that were folded.
   */
  long fold(Family family) {
    Set<List<String>> kept = admitted.computeIfAbsent(family.name, k -> new HashSet<>());
    List<Map.Entry<List<String>, double[]>> fresh = new ArrayList<>();
    for (Map.Entry<List<String>, double[]> e : family.series.entrySet()) {
      if (!kept.contains(e.getKey())) fresh.add(e);
    }
    // the heaviest first, then by labels, so that which series are kept does not depend on read order
    fresh.sort(Comparator.<Map.Entry<List<String>, double[]>>comparingDouble(e -> -Family.weight(family.type, e.getValue()))
        .thenComparing(e -> String.join("\u0000", e.getKey())));
    long foldedSets = 0;
    Map<List<String>, double[]> others = new LinkedHashMap<>();
    for (Map.Entry<List<String>, double[]> e : fresh) {
      if (kept.size() < limit) {
        kept.add(e.getKey());
        continue;
      }
      foldedSets++;
      family.series.remove(e.getKey());
      double[] o = others.computeIfAbsent(family.folded(e.getKey()), k -> new double[family.width()]);
      for (int i = 0; i < o.length; i++) o[i] += e.getValue()[i];
    }
    others.forEach((k, v) -> {
      double[] into = family.series.computeIfAbsent(k, x -> new double[family.width()]);
      for (int i = 0; i < v.length; i++) into[i] += v[i];
    });
    return foldedSets;
  }

  /** Replaces each counter value by its floored value (gauges are left alone). */
  void floor(Family family) {
    if (family.type == Family.Type.GAUGE) return;
    for (Map.Entry<List<String>, double[]> e : family.series.entrySet()) {
      double[] v = e.getValue();
      Floor[] f = floors.computeIfAbsent(family.name + "\u0001" + String.join("\u0000", e.getKey()),
          k -> newFloors(v.length));
      for (int i = 0; i < v.length; i++) v[i] = f[i].apply(v[i]);
    }
  }

  /** A floored value of a series that disappeared stays exported, so its counter does not restart. */
  void keepVanished(Family family) {
    if (family.type == Family.Type.GAUGE) return;
    String prefix = family.name + "\u0001";
    for (Map.Entry<String, Floor[]> e : floors.entrySet()) {
      if (!e.getKey().startsWith(prefix)) continue;
      List<String> key = List.of(e.getKey().substring(prefix.length()).split("\u0000", -1));
      if (key.size() != family.labels.size() || family.series.containsKey(key)) continue;
      double[] v = new double[e.getValue().length];
      for (int i = 0; i < v.length; i++) v[i] = e.getValue()[i].apply(0);
      family.series.put(key, v);
    }
  }

  private static Floor[] newFloors(int n) {
    Floor[] f = new Floor[n];
    for (int i = 0; i < n; i++) f[i] = new Floor();
    return f;
  }

  /** The last raw value and what has been lost from it so far. */
  private static final class Floor {
    double last;
    double offset;

    double apply(double raw) {
      if (raw < last) offset += last - raw;
      last = raw;
      return raw + offset;
    }
  }
}
