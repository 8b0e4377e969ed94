package dev.sextant.sdk;

import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * How an exception becomes a step status, failure type and failure code. The type comes from the
 * step's type; the code from the exception class and its causes, using the JDK's timeout and
 * cancellation types and common class names of provider SDKs (rate limit, authentication, context
 * length).
 */
final class Failures {

  private static final int MAX_CAUSES = 8;

  private Failures() {}

  /** The failure types a step type can map to, by {@link #typeIndex}. */
  private static final String[] STEP_FAILURE_TYPES = {"tool", "model", "retrieval", "guardrail", "orchestration"};


  static String typeForStep(String stepType) {
    int i = typeIndex(stepType);
    return i < 0 ? "unknown" : STEP_FAILURE_TYPES[i];
  }

  /** The index of the failure type of {@code stepType} in {@link #STEP_FAILURE_TYPES}, or -1 for unknown. */
  static int typeIndex(String stepType) {
    switch (stepType) {
      case "tool":
        return 0;
      case "llm":
      case "embedding":
      case "stream":
        return 1;
      case "retrieval":
      case "rerank":
      case "memory":
        return 2;
      case "guardrail":
      case "evaluator":
        return 3;
      case "agent":
      case "plan":
      case "chain":
      case "respond":
        return 4;
      default:
        return -1;
    }
  }

  /** The index of a failure type in {@link #STEP_FAILURE_TYPES}, or -1 ({@code unknown}: no step type maps to it). */
  static int failureTypeIndex(String failureType) {
    for (int i = 0; i < STEP_FAILURE_TYPES.length; i++) {
      if (STEP_FAILURE_TYPES[i].equals(failureType)) {
        return i;
      }
    }
    return -1;
  }

  static StepStatus status(Throwable error) {
    if (isTimeout(error)) {
      return StepStatus.TIMEOUT;
    }
    if (isCancellation(error)) {
      return StepStatus.CANCELLED;
    }
    return StepStatus.ERROR;
  }

  static String code(Throwable error, String stepType) {
    if (isTimeout(error)) {
      return "timeout";
    }
    if (isCancellation(error)) {
      return "cancelled";
    }
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      if (name.contains("ratelimit") || name.contains("toomanyrequests")) {
        return "rate_limited";
      }
      if (name.contains("unauthorized")
          || name.contains("authentication")
          || name.contains("permissiondenied")
          || name.contains("forbidden")) {
        return "auth_failed";
      }
      if (name.contains("contextlength") || name.contains("contextwindow") || name.contains("tokenlimit")) {
        return "context_overflow";
      }
      if (name.contains("jsonprocessing") || name.contains("jsonparse") || name.contains("malformed")) {
        return "malformed_output";
      }
      if ("tool".equals(stepType) && name.contains("toolnotfound")) {
        return "tool_not_found";
      }
    }
    return "internal";
  }

  static String message(Throwable error) {
    String text = error.getMessage();
    String name = error.getClass().getName();
    return Values.message(text == null ? name : name + ": " + text);
  }

  static boolean isTimeout(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.http.HttpTimeoutException) {
        return true;
      }
      String name = t.getClass().getSimpleName();
      if (name.contains("Timeout") || name.contains("TimedOut")) {
        return true;
      }
    }
    return false;
  }

  static boolean isCancellation(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
      if (t instanceof InterruptedException
          || t instanceof CancellationException
          || t instanceof java.io.InterruptedIOException
          || t instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }
}
