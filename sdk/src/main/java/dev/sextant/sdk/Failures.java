package dev.sextant.sdk;

import dev.sextant.sdk.internal.FailureRules;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * How an exception becomes a step status, failure type and failure code. The type comes from the
 * step's type; the code from the exception class and its causes, using the JDK's timeout and
 * cancellation types and common class names of provider SDKs (rate limit, authentication, context
 * length). The step-type table and the class-name words are {@link FailureRules}, which the server
 * applies to every protocol.
 */
final class Failures {

  private static final int MAX_CAUSES = 8;

  private Failures() {}

  /** The failure types a step type can map to, by {@link #typeIndex}. */
  private static final String[] STEP_FAILURE_TYPES = {"tool", "model", "retrieval", "guardrail", "orchestration"};


  /** The failure type of an error in a step of {@code stepType}: the table the server uses too. */
  static String typeForStep(String stepType) {
    return FailureRules.failureType(stepType);
  }

  /** The index of the failure type of {@code stepType} in {@link #STEP_FAILURE_TYPES}, or -1 for unknown. */
  static int typeIndex(String stepType) {
    return failureTypeIndex(FailureRules.failureType(stepType));
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

  /** {@code timeout} or {@code cancelled} when the code says so (the server's rule too), else {@code error}. */
  static StepStatus status(Throwable error) {
    switch (FailureRules.status(code(error, null))) {
      case "timeout":
        return StepStatus.TIMEOUT;
      case "cancelled":
        return StepStatus.CANCELLED;
      default:
        return StepStatus.ERROR;
    }
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
      String code = FailureRules.code(t.getClass().getSimpleName());
      if (code != null) {
        return code;
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
