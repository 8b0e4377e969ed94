package dev.sextant.durability;

import java.time.Instant;

/** Realistic native ingest bodies for load and crash tests: runs of n steps. */
public final class LoadBodies {
  private LoadBodies() {}

  public static String run(String runId, int steps) {
    return runs(runId, 1, steps);
  }

  /** {@code runs} runs of {@code steps} steps each, named {@code prefix}, or {@code prefix-0}, {@code prefix-1}, … when more than one. */
  public static String runs(String prefix, int runs, int steps) {
    StringBuilder b = new StringBuilder(256 + runs * steps * 300);
    b.append("{\"runs\":[");
    for (int r = 0; r < runs; r++) {
      if (r > 0) b.append(',');
      run(b, runs == 1 ? prefix : prefix + "-" + r, steps);
    }
    b.append("],\"steps\":[");
    for (int r = 0; r < runs; r++) {
      if (r > 0) b.append(',');
      steps(b, runs == 1 ? prefix : prefix + "-" + r, steps);
    }
    return b.append("]}").toString();
  }

  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  private static void run(StringBuilder b, String runId, int steps) {
    Instant t = T;
    b.append("{\"run_id\":\"").append(runId).append("\",\"agent_id\":\"load-agent\",\"agent_version\":\"v1\",")
        .append("\"environment\":\"test\",\"name\":\"handle_ticket\",\"start_time\":\"").append(t)
        .append("\",\"end_time\":\"").append(t.plusMillis(steps * 10L + 5)).append("\",\"status\":\"success\"}");
  }

  private static void steps(StringBuilder b, String runId, int steps) {
    Instant t = T;
    String[] types = {"plan", "llm", "tool", "retrieval", "llm"};
    for (int i = 0; i < steps; i++) {
      if (i > 0) b.append(',');
      String type = types[i % types.length];
      b.append("{\"run_id\":\"").append(runId).append("\",\"step_id\":\"").append(runId).append("-").append(i)
          .append("\",\"seq\":").append(i + 1).append(",\"type\":\"").append(type).append("\",\"name\":\"")
          .append(type).append('_').append(i).append("\",\"start_time\":\"").append(t.plusMillis(i * 10L))
          .append("\",\"end_time\":\"").append(t.plusMillis(i * 10L + 8)).append("\",\"status\":\"ok\"");
      if (type.equals("llm")) {
        b.append(",\"model\":\"gpt-4o-mini\",\"provider\":\"openai\",\"input_tokens\":812,\"output_tokens\":96,\"cost_usd\":0.00018");
      } else if (type.equals("tool")) {
        b.append(",\"metadata\":{\"tool\":\"billing_api\",\"http_status\":200}");
      }
      b.append('}');
    }
  }
}
