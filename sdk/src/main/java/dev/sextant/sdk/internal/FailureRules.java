package dev.sextant.sdk.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one failure taxonomy table, shared by the SDK and the server so that a failure gets the same
 * type, code and step status whichever client or protocol reported it. Not API: it may change in
 * any release.
 */
public final class FailureRules {
  /** The failure type of a step type that has none of its own. */
  public static final String UNKNOWN = "unknown";

  /** Step type → failure type, in the order of the documented table. */
  private static final Map<String, String> BY_STEP_TYPE = new LinkedHashMap<>();

  /** Parts of an exception's or error's name → documented code, checked in this order. */
  private static final String[][] CODE_WORDS = {
    {"timeout", "timeout"}, {"timedout", "timeout"}, {"deadlineexceeded", "timeout"},
    {"ratelimit", "rate_limited"}, {"toomanyrequests", "rate_limited"}, {"resourceexhausted", "rate_limited"},
    {"quotaexceeded", "rate_limited"},
    {"unauthorized", "auth_failed"}, {"authenticat", "auth_failed"}, {"permissiondenied", "auth_failed"},
    {"forbidden", "auth_failed"},
    {"contextlength", "context_overflow"}, {"contextwindow", "context_overflow"}, {"tokenlimit", "context_overflow"},
    {"cancel", "cancelled"}, {"aborterror", "cancelled"},
    {"recursionlimit", "max_iterations"}, {"maxiteration", "max_iterations"},
    {"toolnotfound", "tool_not_found"},
    {"jsonprocessing", "malformed_output"}, {"jsonparse", "malformed_output"}, {"jsondecode", "malformed_output"},
    {"malformed", "malformed_output"},
  };

  static {
    put("tool", "tool");
    put("model", "llm", "embedding", "stream");
    put("retrieval", "retrieval", "rerank", "memory");
    put("guardrail", "guardrail", "evaluator");
    put("orchestration", "agent", "plan", "chain", "respond");
  }

  private FailureRules() {}

  private static void put(String failureType, String... stepTypes) {
    for (String s : stepTypes) BY_STEP_TYPE.put(s, failureType);
  }

  /** The failure type of an error in a step of {@code stepType} (lower case, aliases already mapped). */
  public static String failureType(String stepType) {
    if (stepType == null) return UNKNOWN;
    return BY_STEP_TYPE.getOrDefault(stepType, UNKNOWN);
  }

  /** Every step type that has a failure type of its own, with that type (unmodifiable, in table order). */
  public static Map<String, String> failureTypes() {
    return java.util.Collections.unmodifiableMap(BY_STEP_TYPE);
  }

  /**
   * The documented code that an exception's or error's name means ({@code RateLimitError} →
   * {@code rate_limited}, {@code DEADLINE_EXCEEDED} → {@code timeout}), or null when it means none.
   * Case, {@code -}, {@code _} and spaces are ignored.
   */
  public static String code(String name) {
    if (name == null) return null;
    String s = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    for (String[] w : CODE_WORDS) {
      if (s.contains(w[0])) return w[1];
    }
    return null;
  }

  /** The step status an error with this code gives: {@code timeout}, {@code cancelled} or {@code error}. */
  public static String status(String code) {
    if ("timeout".equals(code)) return "timeout";
    if ("cancelled".equals(code)) return "cancelled";
    return "error";
  }
}
