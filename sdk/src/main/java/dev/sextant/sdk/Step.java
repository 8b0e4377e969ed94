package dev.sextant.sdk;

import java.util.Map;

/**
 * One action inside a run: an LLM call, a tool call, a retrieval, a plan. A step starts when it is
 * created and ends with {@link #close()}; use it with try-with-resources. Every method is safe to call
 * from any thread, never throws, and does nothing after the step ended.
 *
 * <p>A step becomes the current step of the thread that started it, so steps started inside it on
 * that thread nest under it. For work on other threads, nest explicitly with {@link #child} or
 * {@link #parent}.
 *
 * <p>{@code close()} cannot see an exception thrown inside the try block. Report it with
 * {@link #fail(Throwable)} in a catch block, or run the code through {@link Run#step(String, String,
 * StepBody)}, which does that for you.
 */
public sealed interface Step extends AutoCloseable permits SpanStep, NoopStep {

  /** This step's id (16 hex characters), or {@code null} when the SDK is disabled. */
  String id();

  /** Adds a safe metadata value; see the privacy rules in the SDK documentation. */
  Step metadata(String key, String value);

  Step metadata(String key, long value);

  Step metadata(String key, double value);

  Step metadata(String key, boolean value);

  /** Records the step's input; ignored unless content capture is enabled. */
  Step input(Object input);

  /** Records the step's output; ignored unless content capture is enabled. */
  Step output(Object output);

  /** The model of an LLM step, such as {@code gpt-4o-mini}. */
  Step model(String model);

  /** The provider of an LLM step, such as {@code openai}. */
  Step provider(String provider);

  Step inputTokens(long tokens);

  Step outputTokens(long tokens);

  /** Input and output token counts in one call. */
  Step tokens(long inputTokens, long outputTokens);

  /** Input tokens the provider read from its prompt cache (part of the input tokens). */
  Step cacheReadTokens(long tokens);

  /** Output tokens the model spent on reasoning (part of the output tokens). */
  Step reasoningTokens(long tokens);

  Step costUsd(double cost);

  /** Marks now as the moment the first token arrived; only the first call counts. */
  Step firstToken();

  Step timeToFirstTokenMs(double millis);

  /** Adds an event without attributes. */
  Step emit(String name);

  /**
   * Adds an event with safe attribute values. Thread-safe and cheap; past the per-step limit the
   * event is counted and dropped. The first event of a {@code stream} or {@code llm} step marks
   * its time to first token, unless one was set already.
   */
  Step emit(String name, Map<String, ?> attributes);

  /** Starts a step whose parent is this step, on any thread. */
  Step child(String type, String name);

  /** Sets this step's parent explicitly; {@code parent} must belong to the same run. */
  Step parent(Step parent);

  /** Marks this step as a retry of {@code previous}: attempt {@code previous + 1}, same retry chain. */
  Step retryOf(Step previous);

  /** Records an error without an exception; the step ends with status {@code error}. */
  Step error(String type, String code, String message);

  /**
   * Records an exception: status {@code timeout} for timeouts, {@code cancelled} for interruption and
   * cancellation, otherwise {@code error}, with a failure type and code derived from the step type
   * and the exception. The exception itself is not changed.
   */
  Step fail(Throwable error);

  /** Overrides the status the step ends with. */
  Step status(StepStatus status);

  /**
   * Stops this step being the current step of the thread that started it, without ending it; call
   * it on that thread right after starting a step that ends on another thread (an asynchronous model
   * call), so later steps of the caller do not nest under it. Does nothing on other threads.
   */
  Step detach();

  /** Ends the step. Later calls do nothing. */
  @Override
  void close();
}
