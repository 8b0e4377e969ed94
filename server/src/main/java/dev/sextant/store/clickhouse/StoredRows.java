package dev.sextant.store.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.store.sql.RunDerivation;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs and steps as ClickHouse rows (JSON objects named by column), and the field-by-field merge of
 * an arriving record into the stored row, with the same rules as the row stores' upserts: a
 * non-null value replaces, a null keeps what is stored; {@code running} never replaces a reported
 * status; a cost sent by the client clears the computed mark.
 */
final class StoredRows {
  private StoredRows() {}

  /** Columns of {@code runs} that records set, merged with {@code COALESCE}. */
  private static final String[] RUN_COALESCED = {"agent_id", "agent_version", "environment", "name", "session_id",
      "labels", "label_keys", "label_values", "reported_start_ns", "reported_end_ns", "failure_type", "failure_code",
      "failure_message", "failure_step_id", "metadata", "input", "output"};

  /** Merges {@code r} into the stored run {@code row} (an empty object for a new run). */
  static void mergeRun(ObjectNode row, RunRecord r) {
    ObjectNode in = Json.object();
    in.put("agent_id", r.agentId());
    in.put("agent_version", r.agentVersion());
    in.put("environment", r.environment());
    in.put("name", r.name());
    in.put("session_id", r.sessionId());
    if (r.labels() != null) {
      Map<String, String> sorted = new TreeMap<>(r.labels());
      in.put("labels", Json.write(r.labels()));
      ArrayNode keys = in.putArray("label_keys");
      ArrayNode values = in.putArray("label_values");
      sorted.forEach((k, v) -> {
        keys.add(k);
        values.add(v);
      });
    }
    in.put("reported_start_ns", r.startNanos());
    in.put("reported_end_ns", r.endNanos());
    if (r.failure() != null) {
      in.put("failure_type", r.failure().type());
      in.put("failure_code", r.failure().code());
      in.put("failure_message", r.failure().message());
      in.put("failure_step_id", r.failure().stepId());
    }
    in.put("metadata", json(r.metadata()));
    in.put("input", json(r.input()));
    in.put("output", json(r.output()));
    for (String c : RUN_COALESCED) coalesce(row, in, c);
    String reported = r.status() == null ? null : r.status().wire();
    if (reported != null && !("running".equals(reported) && !isNull(row, "reported_status"))) {
      row.put("reported_status", reported);
    }
    if (r.failure() != null && r.failure().type() != null) {
      row.put("failure_inferred", r.failure().inferred() ? 1 : r.failure().stepId() == null ? 2 : 0);
    }
  }

  /** Columns of {@code steps} that records set, merged with {@code COALESCE}. */
  private static final String[] STEP_COALESCED = {"parent_step_id", "seq", "type", "name", "start_ns", "end_ns",
      "status", "attempt", "retry_of", "model", "provider", "input_tokens", "output_tokens", "cache_read_tokens",
      "reasoning_tokens", "ttft_ms", "error_type", "error_code", "error_message", "metadata", "input", "output",
      "events", "normalization"};

  /** Merges {@code s} into the stored step {@code row} (an empty object for a new step). */
  static void mergeStep(ObjectNode row, StepRecord s) {
    ObjectNode in = Json.object();
    in.put("parent_step_id", s.parentStepId());
    in.put("seq", s.seq());
    in.put("type", s.type());
    in.put("name", s.name());
    in.put("start_ns", s.startNanos());
    in.put("end_ns", s.endNanos());
    in.put("status", s.status() == null ? null : s.status().wire());
    in.put("attempt", s.attempt());
    in.put("retry_of", s.retryOf());
    in.put("model", s.model());
    in.put("provider", s.provider());
    in.put("input_tokens", s.inputTokens());
    in.put("output_tokens", s.outputTokens());
    in.put("cache_read_tokens", s.cacheReadTokens());
    in.put("reasoning_tokens", s.reasoningTokens());
    in.put("ttft_ms", s.timeToFirstTokenMs());
    if (s.error() != null) {
      in.put("error_type", s.error().type());
      in.put("error_code", s.error().code());
      in.put("error_message", s.error().message());
    }
    in.put("metadata", json(s.metadata()));
    in.put("input", json(s.input()));
    in.put("output", json(s.output()));
    in.put("events", json(StepEvent.toJson(s.events())));
    in.put("normalization", s.normalization() == null || s.normalization().isEmpty() ? null
        : Json.write(s.normalization()));
    for (String c : STEP_COALESCED) coalesce(row, in, c);
    if (s.costUsd() != null) {
      row.put("cost_usd", s.costUsd());
      row.put("cost_computed", 0);
    }
  }

  /** The step as the run derivation needs it. */
  static RunDerivation.StepFacts facts(ObjectNode s) {
    return new RunDerivation.StepFacts(text(s, "step_id"), text(s, "parent_step_id"), integer(s, "seq"),
        text(s, "type"), text(s, "model"), text(s, "status"), integer(s, "attempt"), text(s, "retry_of"),
        longValue(s, "start_ns"), longValue(s, "end_ns"), longValue(s, "input_tokens"),
        longValue(s, "output_tokens"), doubleValue(s, "cost_usd"), text(s, "error_type"), text(s, "error_code"),
        text(s, "error_message"));
  }

  /** The run's reported fields as the derivation needs them. */
  static RunDerivation.RunFacts facts(String runId, ObjectNode r) {
    Long start = longValue(r, "start_ns");
    Long inferred = longValue(r, "failure_inferred");
    return new RunDerivation.RunFacts(runId, text(r, "agent_id"), text(r, "agent_version"), text(r, "environment"),
        longValue(r, "reported_start_ns"), longValue(r, "reported_end_ns"), text(r, "reported_status"),
        text(r, "failure_type"), text(r, "failure_code"), text(r, "failure_message"), text(r, "failure_step_id"),
        inferred == null ? 0 : inferred.intValue(), start == null ? 0 : start);
  }

  /** Sets the derived columns of a run row, including its contribution to the rollups. */
  static void setDerived(ObjectNode r, RunDerivation.Derived d) {
    r.put("start_ns", d.startNs());
    r.put("end_ns", d.endNs());
    r.put("duration_ms", d.durationMs());
    r.put("status", d.status());
    r.put("step_count", d.stepCount());
    r.put("error_count", d.errorCount());
    r.put("retry_count", d.retryCount());
    r.put("input_tokens", d.inputTokens());
    r.put("output_tokens", d.outputTokens());
    r.put("cost_usd", d.costUsd());
    RunDerivation.FailureFacts f = d.failure();
    r.put("failure_type", f == null ? null : f.type());
    r.put("failure_code", f == null ? null : f.code());
    r.put("failure_message", f == null ? null : f.message());
    r.put("failure_step_id", f == null ? null : f.stepId());
    r.put("c_timed", d.timed() ? 1 : 0);
    r.put("c_duration_ns", d.durationNs());
    r.put("c_cost_sq_usd", d.costSqUsd());
    ArrayNode bins = r.putArray("c_bins");
    for (int b : d.latencyBins()) bins.add(b);
    ArrayNode counts = r.putArray("c_bin_counts");
    for (long c : d.latencyCounts()) counts.add(c);
    ArrayNode type = r.putArray("g_type");
    ArrayNode model = r.putArray("g_model");
    ArrayNode steps = r.putArray("g_steps");
    ArrayNode errors = r.putArray("g_errors");
    ArrayNode retries = r.putArray("g_retries");
    ArrayNode timed = r.putArray("g_timed");
    ArrayNode duration = r.putArray("g_duration_ns");
    ArrayNode in = r.putArray("g_input_tokens");
    ArrayNode out = r.putArray("g_output_tokens");
    ArrayNode cost = r.putArray("g_cost_usd");
    ArrayNode gBins = r.putArray("g_bins");
    ArrayNode gCounts = r.putArray("g_bin_counts");
    for (RunDerivation.StepGroup g : d.stepGroups()) {
      type.add(g.type());
      model.add(g.model());
      steps.add(g.steps());
      errors.add(g.errors());
      retries.add(g.retries());
      timed.add(g.timed());
      duration.add(g.durationNs());
      in.add(g.inputTokens());
      out.add(g.outputTokens());
      cost.add(g.costUsd());
      ArrayNode b = gBins.addArray();
      for (int k : g.bins()) b.add(k);
      ArrayNode c = gCounts.addArray();
      for (long n : g.binCounts()) c.add(n);
    }
  }

  /** Whether two rows hold the same values, leaving out their version and sign. */
  static boolean sameContent(ObjectNode a, ObjectNode b) {
    return covers(a, b) && covers(b, a);
  }

  /** Whether every column of {@code a} but version and sign has the same value in {@code b} (absent = null). */
  private static boolean covers(ObjectNode a, ObjectNode b) {
    Iterator<Map.Entry<String, JsonNode>> it = a.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("version") || e.getKey().equals("sign")) continue;
      if (!same(e.getValue(), b.get(e.getKey()))) return false;
    }
    return true;
  }

  private static boolean same(JsonNode a, JsonNode b) {
    boolean aNull = a == null || a.isNull();
    boolean bNull = b == null || b.isNull();
    if (aNull || bNull) return aNull == bNull;
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() && b.isIntegralNumber()) return a.longValue() == b.longValue();
      // ClickHouse 18.16 reads some doubles from text one unit in the last place off: a value
      // written and read back counts as the same, so a replay inserts nothing
      double x = a.doubleValue();
      double y = b.doubleValue();
      return x == y || Math.abs(x - y) <= Math.ulp(Math.max(Math.abs(x), Math.abs(y)));
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.equals(b);
  }

  private static void coalesce(ObjectNode row, ObjectNode in, String column) {
    JsonNode v = in.get(column);
    if (v != null && !v.isNull()) row.set(column, v);
  }

  static boolean isNull(ObjectNode row, String column) {
    JsonNode v = row.get(column);
    return v == null || v.isNull();
  }

  /** A column holding a JSON document, parsed; null when the column is null. */
  static JsonNode json(ObjectNode row, String column) {
    String v = text(row, column);
    return v == null ? null : Json.read(v);
  }

  /** A column holding a JSON object of texts (labels, a normalization), in its order; null when null. */
  static Map<String, String> textMap(ObjectNode row, String column) {
    JsonNode o = json(row, column);
    if (o == null) return null;
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) out.put(e.getKey(), e.getValue().asText());
    return out;
  }

  static String text(ObjectNode row, String column) {
    JsonNode v = row.get(column);
    return v == null || v.isNull() ? null : v.asText();
  }

  static Long longValue(ObjectNode row, String column) {
    JsonNode v = row.get(column);
    return v == null || v.isNull() ? null : v.asLong();
  }

  static Integer integer(ObjectNode row, String column) {
    JsonNode v = row.get(column);
    return v == null || v.isNull() ? null : v.asInt();
  }

  static Double doubleValue(ObjectNode row, String column) {
    JsonNode v = row.get(column);
    return v == null || v.isNull() ? null : v.asDouble();
  }

  private static String json(JsonNode v) {
    return v == null ? null : Json.write(v);
  }
}
