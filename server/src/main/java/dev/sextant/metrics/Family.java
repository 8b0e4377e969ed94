package dev.sextant.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric family of a project's answer while it is built: its series by label values. A
 * counter or gauge series holds one value; a histogram series holds its non-cumulative bucket
 * counts, then the sum of observations.
 */
final class Family {
  enum Type { COUNTER, GAUGE, HISTOGRAM }

  final String name;
  final Type type;
  final String help;
  final List<String> labels;
  /** Labels whose values are few by nature (status, direction): kept when a series folds into {@code other}. */
  final List<String> bounded;
  final double[] boundsSeconds;
  final Map<List<String>, double[]> series = new LinkedHashMap<>();

  Family(String name, Type type, String help, List<String> labels, List<String> bounded, double[] boundsSeconds) {
    this.name = name;
    this.type = type;
    this.help = help;
    this.labels = List.copyOf(labels);
    this.bounded = List.copyOf(bounded);
    this.boundsSeconds = boundsSeconds;
  }

  static Family counter(String name, String help, List<String> labels, List<String> bounded) {
    return new Family(name, Type.COUNTER, help, labels, bounded, null);
  }

  static Family gauge(String name, String help, List<String> labels) {
    return new Family(name, Type.GAUGE, help, labels, List.of(), null);
  }

  static Family histogram(String name, String help, List<String> labels, List<String> bounded, double[] bounds) {
    return new Family(name, Type.HISTOGRAM, help, labels, bounded, bounds);
  }

  int width() {
    return type == Type.HISTOGRAM ? boundsSeconds.length + 2 : 1;
  }

  /** Adds {@code value} to a counter or gauge series. */
  void add(List<String> labelValues, double value) {
    series.computeIfAbsent(labelValues, k -> new double[1])[0] += value;
  }

  /** Adds non-cumulative bucket counts and a sum of observations to a histogram series. */
  void observe(List<String> labelValues, long[] buckets, double sumSeconds) {
    double[] v = series.computeIfAbsent(labelValues, k -> new double[width()]);
    for (int i = 0; i < buckets.length; i++) v[i] += buckets[i];
    v[width() - 1] += sumSeconds;
  }

  /** How much a series weighs when the series limit chooses which to keep: its value or count. */
  static double weight(Type type, double[] v) {
    if (type != Type.HISTOGRAM) return v[0];
    return Arrays.stream(v, 0, v.length - 1).sum();
  }

  /** The label values of {@code key} with every label that is not bounded replaced by {@code other}. */
  List<String> folded(List<String> key) {
    List<String> out = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) out.add(bounded.contains(labels.get(i)) ? key.get(i) : AgentMetrics.OTHER);
    return out;
  }
}
