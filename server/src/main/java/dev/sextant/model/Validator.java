package dev.sextant.model;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks one canonical record against the model's rules. Returns the first problem as a message
 * that says what to fix, or null when the record is valid.
 */
public final class Validator {
  /** The system labels the SDK sets; every other {@code sextant_} key stays reserved. */
  public static final java.util.Set<String> SYSTEM_LABELS = java.util.Set.of(
      "sextant_sdk_version", "sextant_runtime", "sextant_host", "sextant_os", "sextant_pid");

  public static final Pattern LABEL_KEY = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");
  /** Earliest accepted time: 1970-01-01T00:00:00Z. */
  public static final long MIN_TIME_NANOS = 0L;
  /**
   * Latest accepted time, 2200-01-01T00:00:00Z: any two accepted times are less than 2^63 ns apart,
   * so no duration overflows.
   */
  public static final long MAX_TIME_NANOS = 7_258_118_400L * 1_000_000_000L;
  /** Most tokens of one kind one step may report: 10^12. Totals of many steps are capped, never overflow. */
  public static final long MAX_TOKENS = 1_000_000_000_000L;
  /** Most one step may cost, in US dollars. */
  public static final double MAX_COST_USD = 1_000_000;
  /** Longest time to first token, in milliseconds: 10^10 ms, about 115 days. */
  public static final double MAX_TTFT_MS = 1e10;

  private final Limits limits;

  public Validator(Limits limits) {
    this.limits = limits;
  }

  public String checkRun(RunRecord r) {
    String p = id("run_id", r.runId());
    if (p != null) return p;
    if ((p = text("agent_id", r.agentId())) != null) return p;
    if ((p = text("agent_version", r.agentVersion())) != null) return p;
    if ((p = text("environment", r.environment())) != null) return p;
    if ((p = text("name", r.name())) != null) return p;
    if ((p = text("session_id", r.sessionId())) != null) return p;
    if ((p = times(r.startNanos(), r.endNanos())) != null) return p;
    if ((p = labels(r.labels())) != null) return p;
    Failure f = r.failure();
    if (f != null) {
      if (f.type() == null || !FailureTaxonomy.TYPES.contains(f.type())) {
        return "failure.type must be one of " + String.join(", ", FailureTaxonomy.TYPES)
            + ", got " + quote(f.type());
      }
      if (f.code() == null || f.code().isEmpty()) return "failure.code is required when failure is given";
      if ((p = text("failure.code", f.code())) != null) return p;
      if (f.stepId() != null && (p = id("failure.step_id", f.stepId())) != null) return p;
    }
    return null;
  }

  public String checkStep(StepRecord s) {
    String p = id("run_id", s.runId());
    if (p != null) return p;
    if ((p = id("step_id", s.stepId())) != null) return p;
    if (s.parentStepId() != null) {
      if ((p = id("parent_step_id", s.parentStepId())) != null) return p;
      if (s.parentStepId().equals(s.stepId())) return "parent_step_id must differ from step_id";
    }
    if (s.retryOf() != null && (p = id("retry_of", s.retryOf())) != null) return p;
    if (s.seq() != null && s.seq() < 0) return "seq must be 0 or greater, got " + s.seq();
    if (s.attempt() != null && s.attempt() < 1) return "attempt must be 1 or greater, got " + s.attempt();
    if ((p = text("type", s.type())) != null) return p;
    if ((p = text("name", s.name())) != null) return p;
    if ((p = text("model", s.model())) != null) return p;
    if ((p = text("provider", s.provider())) != null) return p;
    if ((p = times(s.startNanos(), s.endNanos())) != null) return p;
    if ((p = tokens("input_tokens", s.inputTokens())) != null) return p;
    if ((p = tokens("output_tokens", s.outputTokens())) != null) return p;
    if ((p = tokens("cache_read_tokens", s.cacheReadTokens())) != null) return p;
    if ((p = tokens("reasoning_tokens", s.reasoningTokens())) != null) return p;
    if (s.costUsd() != null && !(s.costUsd() >= 0 && s.costUsd() <= MAX_COST_USD)) {
      return "cost_usd must be a number from 0 to " + (long) MAX_COST_USD + ", got " + s.costUsd();
    }
    if (s.timeToFirstTokenMs() != null && !(s.timeToFirstTokenMs() >= 0 && s.timeToFirstTokenMs() <= MAX_TTFT_MS)) {
      return "time_to_first_token_ms must be a number from 0 to 10000000000, got " + s.timeToFirstTokenMs();
    }
    if (s.events() != null && s.events().size() > limits.maxEventsPerStep()) {
      return "events has " + s.events().size() + " entries; at most " + limits.maxEventsPerStep()
          + " are accepted per step";
    }
    if (s.error() != null) {
      if ((p = text("error.type", s.error().type())) != null) return p;
      if ((p = text("error.code", s.error().code())) != null) return p;
    }
    return null;
  }

  private String id(String field, String value) {
    if (value == null || value.isEmpty()) return field + " is required";
    if (value.length() > limits.maxIdLength()) {
      return field + " must be at most " + limits.maxIdLength() + " characters, got " + value.length();
    }
    if (!printableAscii(value)) return field + " must be printable ASCII without spaces, got " + quote(value);
    return null;
  }

  /** Every character in U+0021..U+007E (checked for every id of every record, so without a regex). */
  static boolean printableAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch < 0x21 || ch > 0x7e) return false;
    }
    return true;
  }

  private String text(String field, String value) {
    if (value != null && value.length() > limits.maxNameLength()) {
      return field + " must be at most " + limits.maxNameLength() + " characters, got " + value.length();
    }
    return null;
  }

  private static String times(Long start, Long end) {
    String p = inRange("start_time", start);
    if (p != null || (p = inRange("end_time", end)) != null) return p;
    if (start != null && end != null && end < start) {
      return "end_time " + Times.format(end) + " is before start_time " + Times.format(start);
    }
    return null;
  }

  private static String inRange(String field, Long t) {
    if (t == null || (t >= MIN_TIME_NANOS && t < MAX_TIME_NANOS)) return null;
    return field + " must be from 1970-01-01T00:00:00Z to before 2200-01-01T00:00:00Z, got " + Times.format(t);
  }

  private static String tokens(String field, Long v) {
    if (v == null || (v >= 0 && v <= MAX_TOKENS)) return null;
    return field + " must be from 0 to " + MAX_TOKENS + " (10^12) per step, got " + v;
  }

  private String labels(Map<String, String> labels) {
    if (labels == null) return null;
    if (labels.size() > limits.maxLabels()) {
      return "labels has " + labels.size() + " entries; at most " + limits.maxLabels() + " are allowed";
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String k = e.getKey();
      if (!LABEL_KEY.matcher(k).matches()) {
        return "label key " + quote(k) + " must match ^[a-z][a-z0-9_]{0,62}$";
      }
      if (k.startsWith("sextant_") && !SYSTEM_LABELS.contains(k)) {
        return "label key " + quote(k) + " uses the reserved prefix sextant_";
      }
      String v = e.getValue();
      if (v == null) return "label " + k + " needs a string value";
      if (v.codePointCount(0, v.length()) > limits.maxLabelValueLength()) {
        return "label " + k + " value must be at most " + limits.maxLabelValueLength() + " characters";
      }
    }
    return null;
  }

  static String quote(String s) {
    return s == null ? "null" : "\"" + Text.abbreviate(s, 64) + "\"";
  }
}
