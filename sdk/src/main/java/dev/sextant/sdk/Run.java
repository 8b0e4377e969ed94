package dev.sextant.sdk;

import java.time.Duration;

/**
 * One execution of an agent. A run starts with {@link Sextant#startRun} and ends with {@link
 * #close()}; use it with try-with-resources. Its status is set when it ends: {@code failure} if a
 * failure was recorded, {@code partial} if a step failed and was not recovered by a retry, else
 * {@code success}; {@link #status} overrides that. Every method is thread-safe and never throws;
 * changes after the end are ignored.
 */
public sealed interface Run extends AutoCloseable permits SpanRun, NoopRun {

  /**
   * This run's id, a version 7 UUID that begins with the run's start in milliseconds (ids of runs
   * started later sort later), or {@code null} when the SDK is disabled.
   */
  String id();

  /** The conversation or thread this run belongs to. */
  Run sessionId(String sessionId);

  /**
   * Adds a label. Keys match {@code ^[a-z][a-z0-9_]{0,62}$} and may not start with {@code sextant_};
   * values have at most 256 characters; a run has at most 64 labels. An invalid label is dropped with
   * a logged warning.
   */
  Run label(String key, String value);

  /** The value of label {@code key}, system labels included, or {@code null}. */
  String labelValue(String key);

  /** A copy of this run's labels, system labels included. */
  java.util.Map<String, String> labels();

  /** Removes label {@code key}; system labels ({@code sextant_…}) stay. */
  Run removeLabel(String key);

  /**
   * Replaces every label set so far (system labels stay) by {@code labels}, each checked as by
   * {@link #label}.
   */
  Run replaceLabels(java.util.Map<String, String> labels);

  Run metadata(String key, String value);

  Run metadata(String key, long value);

  Run metadata(String key, double value);

  Run metadata(String key, boolean value);

  /** Records the run's input; ignored unless content capture is enabled. */
  Run input(Object input);

  /** Records the run's output; ignored unless content capture is enabled. */
  Run output(Object output);

  /** Overrides the status the run ends with. {@link RunStatus#RUNNING} is ignored. */
  Run status(RunStatus status);

  /**
   * Starts a step. Its parent is the current step of this run on the calling thread, if any. Types
   * are an open set, normalised to lower case: {@code agent, plan, llm, tool, retrieval, embedding,
   * memory, chain, respond, stream, guardrail, rerank, evaluator, custom}.
   */
  Step step(String type, String name);

  /** Runs {@code body} in a new step; an exception it throws is recorded and rethrown unchanged. */
  <T, E extends Throwable> T step(String type, String name, StepBody<T, E> body) throws E;

  /** Starts a step of type {@code stream}, for {@link Step#emit} events. */
  Step stream(String name);

  /**
   * Runs {@code body} up to {@code maxAttempts} times until it returns normally. Each attempt is its
   * own step, numbered by {@code attempt}, and every retry points at the first attempt through {@code
   * retry_of}. The last exception is rethrown unchanged; errors ({@link Error}) are not retried.
   */
  <T, E extends Throwable> T retry(String type, String name, int maxAttempts, StepBody<T, E> body)
      throws E;

  /**
   * Like {@link #retry(String, String, int, StepBody)}, waiting {@code backoff}, then twice that, and so
   * on between attempts. An interrupt during a wait ends the retries and rethrows the last exception.
   */
  <T, E extends Throwable> T retry(
      String type, String name, int maxAttempts, Duration backoff, StepBody<T, E> body) throws E;

  /**
   * Records why the run failed and marks it {@code failure}. The first recorded failure is kept. The
   * failure points at a step of this run: the current step on the calling thread; else the most
   * recent failed step; else the step that ended last among those whose type maps to the failure
   * type ({@code tool}: tool; {@code model}: llm, embedding, stream; {@code retrieval}: retrieval,
   * rerank, memory; {@code guardrail}: guardrail, evaluator; {@code orchestration}: agent, plan,
   * chain, respond); else none.
   *
   * <p>A step the failure points at that has no error of its own fails with it: it gets the
   * failure's type, code and message as its error and status {@code timeout} (code {@code timeout})
   * or {@code error}. An ended step can only change while it has not been handed to the exporter: in
   * inline mode until the run ends, in async mode while it waits in the queue (normally up to the
   * flush interval after its end).
   */
  Run recordFailure(String type, String code, String message);

  /**
   * Records why the run failed, caused by {@code step}, which fails with it as described above. The
   * first recorded failure is kept.
   */
  Run recordFailure(String type, String code, String message, Step step);

  /**
   * Records an exception that ended the run. If it is the exception a step of this run failed with,
   * the failure takes that step's type, code and id.
   */
  Run fail(Throwable error);

  /**
   * Stops this run being the current run of the thread that started it, without ending it; for a run
   * that ends on another thread. Does nothing on other threads.
   */
  Run detach();

  /** Ends the run and hands it to the exporter. Later calls do nothing. */
  @Override
  void close();
}
