package dev.sextant.metrics;

import java.util.List;
import java.util.Map;

/** Writes a {@link Family} in the Prometheus text exposition format 0.0.4. */
final class PromText {
  private PromText() {}

  static void write(StringBuilder out, String projectId, Family f) {
    String base = f.name;
    out.append("# HELP ").append(base).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    out.append("# TYPE ").append(base).append(' ').append(f.type.name().toLowerCase(java.util.Locale.ROOT))
        .append('\n');
    for (Map.Entry<List<String>, double[]> e : f.series.entrySet()) {
      StringBuilder labels = new StringBuilder("project=\"").append(escape(projectId)).append('"');
      for (int i = 0; i < f.labels.size(); i++) {
        labels.append(',').append(f.labels.get(i)).append("=\"").append(escape(e.getKey().get(i))).append('"');
      }
      double[] v = e.getValue();
      if (f.type != Family.Type.HISTOGRAM) {
        sample(out, f.name, labels, null, v[0]);
        continue;
      }
      double cumulative = 0;
      for (int i = 0; i < f.boundsSeconds.length; i++) {
        cumulative += v[i];
        sample(out, f.name + "_bucket", labels, number(f.boundsSeconds[i]), cumulative);
      }
      cumulative += v[f.boundsSeconds.length];
      sample(out, f.name + "_bucket", labels, "+Inf", cumulative);
      sample(out, f.name + "_sum", labels, null, v[v.length - 1]);
      sample(out, f.name + "_count", labels, null, cumulative);
    }
  }

  private static void sample(StringBuilder out, String name, CharSequence labels, String le, double value) {
    out.append(name).append('{').append(labels);
    if (le != null) out.append(",le=\"").append(le).append('"');
    out.append("} ").append(number(value)).append('\n');
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
