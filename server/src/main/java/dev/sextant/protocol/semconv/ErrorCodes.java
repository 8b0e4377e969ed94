package dev.sextant.protocol.semconv;

import dev.sextant.protocol.ErrorClassifier;
import java.util.Locale;

/**
 * Maps what instrumentations put in {@code error.type} or {@code exception.type} (exception class
 * names, provider error codes, HTTP statuses) onto the documented failure codes where the meaning
 * is unambiguous, and onto the step type's failure type.
 */
public final class ErrorCodes {
  private ErrorCodes() {}

  /**
   * A documented code when the raw value clearly means one; else, for an exception class name, its
   * simple name in snake case ({@code java.lang.IllegalStateException} → {@code illegal_state_exception});
   * else the raw value itself.
   */
  public static String code(String raw) {
    if (raw == null || raw.isBlank()) return null;
    String s = raw.trim().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    if (s.contains("timeout") || s.contains("timedout") || s.contains("deadlineexceeded") || s.equals("504")
        || s.equals("408")) {
      return "timeout";
    }
    if (s.contains("ratelimit") || s.equals("429") || s.contains("toomanyrequests") || s.contains("resourceexhausted")
        || s.contains("quotaexceeded")) {
      return "rate_limited";
    }
    if (s.equals("401") || s.equals("403") || s.contains("authenticat") || s.contains("unauthorized")
        || s.contains("permissiondenied") || s.contains("forbidden")) {
      return "auth_failed";
    }
    if (s.contains("contextlength") || s.contains("context_length") || s.contains("contextwindow")
        || s.contains("tokenlimit")) {
      return "context_overflow";
    }
    if (s.contains("cancel")) return "cancelled";
    if (s.equals("_other")) return "internal";
    // an exception class name gets the same free code as on the LangSmith and Langfuse paths
    String classified = ErrorClassifier.code(raw);
    return classified.equals("error") ? raw.trim() : classified;
  }

  /** The failure type of an error in a step of this (normalised) type. */
  public static String failureType(String stepType) {
    if (stepType == null) return "unknown";
    switch (stepType) {
      case "llm":
      case "embedding":
        return "model";
      case "tool":
        return "tool";
      case "retrieval":
      case "rerank":
        return "retrieval";
      case "guardrail":
        return "guardrail";
      case "agent":
      case "chain":
      case "plan":
        return "orchestration";
      default:
        return "unknown";
    }
  }
}
