package dev.sextant.sdk;

/**
 * The code-running helpers shared by real and no-op runs, so that disabling the SDK never changes
 * what user code does: bodies still run, retries still retry, exceptions pass through unchanged.
 */
final class Bodies {

  private Bodies() {}

  static <T, E extends Throwable> T inStep(Step step, StepBody<T, E> body) throws E {
    try {
      return body.apply(step);
    } catch (Throwable error) {
      step.fail(error);
      throw error;
    } finally {
      step.close();
    }
  }

  static <T, E extends Throwable> T inRun(Run run, RunBody<T, E> body) throws E {
    try {
      return body.apply(run);
    } catch (Throwable error) {
      run.fail(error);
      throw error;
    } finally {
      run.close();
    }
  }

  static <T, E extends Throwable> T retry(
      Run run,
      String type,
      String name,
      int maxAttempts,
      long backoffNanos,
      Sleeper sleeper,
      StepBody<T, E> body)
      throws E {
    int attempts = Math.max(1, maxAttempts);
    Step previous = null;
    for (int attempt = 1; ; attempt++) {
      Step step = run.step(type, name);
      if (previous != null) {
        step.retryOf(previous);
      }
      try {
        T result = body.apply(step);
        step.close();
        return result;
      } catch (Throwable error) {
        boolean willRetry = attempt < attempts && !(error instanceof Error);
        if (willRetry && step instanceof SpanStep span) {
          span.markRetried();
        }
        step.fail(error);
        step.close();
        if (!willRetry) {
          throw error;
        }
        if (backoffNanos > 0 && !pause(backoffNanos, attempt, sleeper)) {
          if (step instanceof SpanStep span) {
            span.run.countUnrecovered();
          }
          throw error;
        }
        previous = step;
      }
    }
  }

  /** Waits {@code backoff * 2^(attempt-1)}; false when interrupted (the flag is restored). */
  private static boolean pause(long backoffNanos, int attempt, Sleeper sleeper) {
    long wait = backoffNanos << Math.min(attempt - 1, 20);
    if (wait < 0) {
      wait = Long.MAX_VALUE;
    }
    try {
      sleeper.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
