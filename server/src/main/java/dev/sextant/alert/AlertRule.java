package dev.sextant.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.protocol.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One alert rule of a project. Which fields matter depends on {@code kind}; see docs/alerts.md.
 *
 * @param agent the agent watched, or null for every agent (required by {@code no_data})
 * @param environment the environment watched, or null for every one
 * @param stepType {@code latency_p95} of this step type instead of whole runs
 * @param period {@code budget}: {@code day}, {@code week} (from Monday) or {@code month}, in UTC
 * @param amountUsd {@code budget}: the budget of one period
 * @param thresholds {@code budget}: fractions of the amount that fire, default 0.8 and 1.0
 * @param windowSeconds the window looked back over (for {@code no_data}, the silence allowed)
 * @param minRuns {@code error_rate}: fewer runs in the window never fire
 * @param threshold the value compared with: a ratio, milliseconds or a count
 * @param forSeconds how long the condition must hold before pending becomes firing
 * @param version {@code version_worse}: the version watched
 * @param baseline {@code version_worse}: the version it is compared with
 * @param metric {@code version_worse}: {@code error_rate} (default), {@code latency_p95} or {@code cost_per_run}
 */
public record AlertRule(
    String id,
    String name,
    String kind,
    String agent,
    String environment,
    String stepType,
    String failureType,
    String failureCode,
    String period,
    Double amountUsd,
    List<Double> thresholds,
    long windowSeconds,
    long minRuns,
    Double threshold,
    long forSeconds,
    List<String> channels,
    boolean enabled,
    String version,
    String baseline,
    String metric) {

  static final Set<String> KINDS =
      Set.of("budget", "error_rate", "latency_p95", "failure_count", "no_data", "version_worse");
  static final Set<String> METRICS = Set.of("error_rate", "latency_p95", "cost_per_run");
  private static final Set<String> PERIODS = Set.of("day", "week", "month");

  public AlertRule {
    thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  /** The rule a request body describes, with {@code id}; an {@link IllegalArgumentException} says what to fix. */
  public static AlertRule parse(String id, JsonNode o) {
    String name = text(o, "name");
    if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
    String kind = text(o, "kind");
    if (kind == null || !KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind must be one of budget, error_rate, latency_p95, failure_count, no_data,"
          + " version_worse; got "
          + (kind == null ? "nothing" : "\"" + kind + "\""));
    }
    String period = text(o, "period");
    Double amount = JsonFields.number(o, "amount_usd");
    List<Double> thresholds = new ArrayList<>();
    Double threshold = JsonFields.number(o, "threshold");
    long window = whole(o, "window_seconds", 0);
    long minRuns = whole(o, "min_runs", 0);
    long forSeconds = whole(o, "for_seconds", 0);
    switch (kind) {
      case "budget" -> {
        if (period == null || !PERIODS.contains(period)) {
          throw new IllegalArgumentException("period must be day, week or month for a budget rule");
        }
        if (amount == null || amount <= 0) throw new IllegalArgumentException("amount_usd must be a number above 0");
        JsonNode t = o.get("thresholds");
        if (t == null || t.isNull()) {
          thresholds = List.of(0.8, 1.0);
        } else {
          if (!t.isArray() || t.isEmpty()) {
            throw new IllegalArgumentException("thresholds must be a non-empty array of fractions, e.g. [0.8, 1.0]");
          }
          for (JsonNode v : t) {
            if (!v.isNumber() || v.asDouble() <= 0) {
              throw new IllegalArgumentException("thresholds must be fractions of amount_usd above 0, e.g. [0.8, 1.0]");
            }
            if (!thresholds.contains(v.asDouble())) thresholds.add(v.asDouble());
          }
          thresholds.sort(null);
        }
      }
      case "error_rate" -> {
        requireWindow(window);
        if (threshold == null || threshold < 0 || threshold > 1) {
          throw new IllegalArgumentException("threshold must be an error rate between 0 and 1, e.g. 0.1");
        }
        if (minRuns < 1) minRuns = 1;
      }
      case "latency_p95" -> {
        requireWindow(window);
        if (threshold == null || threshold <= 0) {
          throw new IllegalArgumentException("threshold must be the p95 in milliseconds above which to fire");
        }
      }
      case "failure_count" -> {
        requireWindow(window);
        if (threshold == null || threshold < 1) {
          throw new IllegalArgumentException("threshold must be a count of failures of 1 or more");
        }
      }
      case "version_worse" -> {
        requireWindow(window);
        if (text(o, "agent") == null) throw new IllegalArgumentException("agent is required for a version_worse rule");
        if (text(o, "version") == null || text(o, "baseline") == null) {
          throw new IllegalArgumentException("version and baseline are required for a version_worse rule:"
              + " the version watched and the one it is compared with");
        }
        if (text(o, "version").equals(text(o, "baseline"))) {
          throw new IllegalArgumentException("version and baseline must differ");
        }
        String m = text(o, "metric");
        if (m != null && !METRICS.contains(m)) {
          throw new IllegalArgumentException("metric must be error_rate, latency_p95 or cost_per_run; got \"" + m + "\"");
        }
      }
      default -> { // no_data
        requireWindow(window);
        if (text(o, "agent") == null) throw new IllegalArgumentException("agent is required for a no_data rule");
      }
    }
    boolean versions = kind.equals("version_worse");
    List<String> channels = new ArrayList<>();
    JsonNode c = o.get("channels");
    if (c != null && !c.isNull()) {
      if (!c.isArray()) throw new IllegalArgumentException("channels must be an array of channel ids");
      for (JsonNode v : c) {
        if (!v.isTextual()) throw new IllegalArgumentException("channels must be an array of channel ids");
        channels.add(v.asText());
      }
    }
    JsonNode enabled = o.get("enabled");
    if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
      throw new IllegalArgumentException("enabled must be true or false");
    }
    return new AlertRule(id, name, kind, text(o, "agent"), text(o, "environment"), text(o, "step_type"),
        text(o, "failure_type"), text(o, "failure_code"), kind.equals("budget") ? period : null,
        kind.equals("budget") ? amount : null, thresholds, window, minRuns, kind.equals("budget") ? null : threshold,
        forSeconds, channels, enabled == null || enabled.isNull() || enabled.asBoolean(),
        versions ? text(o, "version") : null, versions ? text(o, "baseline") : null,
        versions ? (text(o, "metric") == null ? "error_rate" : text(o, "metric")) : null);
  }

  /** The rule as the API shows and the store keeps it. */
  public ObjectNode toJson() {
    return Json.MAPPER.valueToTree(this);
  }

  /** A rule the store kept. */
  public static AlertRule fromJson(String json) {
    try {
      return Json.MAPPER.readValue(json, AlertRule.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable alert rule: " + e.getMessage(), e);
    }
  }

  private static void requireWindow(long window) {
    if (window < 60) throw new IllegalArgumentException("window_seconds must be 60 or more (the evaluation step)");
  }

  private static String text(JsonNode o, String field) {
    return JsonFields.nonBlankText(o, field);
  }

  private static long whole(JsonNode o, String field, long dflt) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return dflt;
    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
      throw new IllegalArgumentException(field + " must be a whole number of 0 or more");
    }
    return v.asLong();
  }
}
