package dev.sextant.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@link Run}. Wall-clock time is read once, at the start; every later timestamp of the run
 * and its steps is that anchor plus monotonic time elapsed, which is cheaper than reading the wall
 * clock per step and immune to clock steps during the run.
 */
final class SpanRun extends ScopeNode implements Run {

  final Sextant sdk;
  final String id;
  final String name;
  private final long anchorEpochNanos;
  private final long anchorNanoTime;
  private final AtomicInteger seq = new AtomicInteger();
  private final AtomicBoolean announced = new AtomicBoolean();

  private volatile boolean ended;
  private long endNanoTime;
  private String sessionId;
  private final Map<String, String> labels;
  private Map<String, Object> metadata;
  private Object input;
  private Object output;
  private RunStatus statusOverride;
  private Failure failure;
  private int unrecoveredErrors;
  /** How many of {@link #unrecoveredErrors} each retry chain (the id of its first attempt) holds; a later attempt recovers them. */
  private Map<Long, Integer> unrecoveredByChain;
  private SpanStep lastFailedStep;
  private Throwable lastStepThrowable;
  private SpanStep lastThrowableStep;
  private List<StepData> inlineSteps;

  SpanRun(Sextant sdk, String name) {
    this.sdk = sdk;
    this.anchorEpochNanos = sdk.clock.epochNanos();
    this.anchorNanoTime = sdk.clock.nanoTime();
    this.id = Ids.runId(Math.floorDiv(anchorEpochNanos, 1_000_000L));
    this.name = Values.name(name, "run", sdk, "run name");
    this.labels = new LinkedHashMap<>(sdk.config.labels());
    if (sdk.config.systemLabels()) {
      labels.putAll(SystemLabels.get());
    }
  }

  /** Also true once the SDK is closed, so a run the application forgot to close stops being current. */
  @Override
  boolean isEnded() {
    return ended || sdk.isClosed();
  }

  long epochNanosAt(long nanoTime) {
    return anchorEpochNanos + (nanoTime - anchorNanoTime);
  }

  int nextSeq() {
    return seq.incrementAndGet();
  }

  /** True exactly once: for the caller that gets to send the {@code running} snapshot. */
  boolean announce() {
    return !announced.get() && announced.compareAndSet(false, true);
  }

  // ---- Run (user API) ----

  @Override
  public String id() {
    return id;
  }

  @Override
  public Run sessionId(String value) {
    try {
      String id = Values.name(value, null, sdk, "session id");
      synchronized (this) {
        if (!ended) {
          sessionId = id;
        }
      }
    } catch (Throwable t) {
      sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Run label(String key, String value) {
    try {
      String problem = Values.labelKeyProblem(key);
      if (problem == null) {
        problem = Values.labelValueProblem(key, value);
      }
      if (problem != null) {
        sdk.reject("label", problem + "; the label was dropped");
        return this;
      }
      synchronized (this) {
        if (ended) {
          return this;
        }
        if (!labels.containsKey(key) && labels.size() >= Values.MAX_LABELS) {
          sdk.reject("label-limit", "run '" + name + "' has 64 labels already; label '" + key + "' was dropped");
          return this;
        }
        labels.put(key, value);
      }
    } catch (Throwable t) {
      sdk.internalError(t);
    }
    return this;
  }

  @Override
  public synchronized String labelValue(String key) {
    return labels.get(key);
  }

  @Override
  public synchronized Map<String, String> labels() {
    return Map.copyOf(labels);
  }

  @Override
  public Run removeLabel(String key) {
    if (key != null && !key.startsWith(Values.SYSTEM_LABEL_PREFIX)) {
      synchronized (this) {
        if (!ended) {
          labels.remove(key);
        }
      }
    }
    return this;
  }

  @Override
  public Run replaceLabels(Map<String, String> replacement) {
    synchronized (this) {
      if (ended) {
        return this;
      }
      labels.keySet().removeIf(k -> !k.startsWith(Values.SYSTEM_LABEL_PREFIX));
    }
    if (replacement != null) {
      replacement.forEach(this::label);
    }
    return this;
  }

  @Override
  public Run metadata(String key, String value) {
    return putMetadata(key, value);
  }

  @Override
  public Run metadata(String key, long value) {
    return putMetadata(key, value);
  }

  @Override
  public Run metadata(String key, double value) {
    return putMetadata(key, value);
  }

  @Override
  public Run metadata(String key, boolean value) {
    return putMetadata(key, value);
  }

  private Run putMetadata(String key, Object value) {
    try {
      Object safe = Values.validMetadataKey(key) ? Values.safeValue(value, sdk.config.captureContent()) : null;
      if (safe == null) {
        sdk.reject("metadata", "metadata '" + (key == null ? "null" : Values.shorten(key)) + "' on run '" + name
            + "' was dropped: keys are identifiers of at most 64 characters, values numbers, booleans or"
            + " short identifier-like strings (enable content capture for free text)");
        return this;
      }
      synchronized (this) {
        if (ended) {
          return this;
        }
        if (metadata == null) {
          metadata = new LinkedHashMap<>();
        }
        if (!metadata.containsKey(key) && metadata.size() >= Values.MAX_METADATA_ENTRIES) {
          sdk.reject("metadata-limit", "run '" + name + "' has more than 64 metadata values; '" + key + "' was dropped");
          return this;
        }
        metadata.put(key, safe);
      }
    } catch (Throwable t) {
      sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Run input(Object value) {
    if (sdk.config.captureContent()) {
      try {
        Object copy = Values.content(value);
        synchronized (this) {
          if (!ended) {
            input = copy;
          }
        }
      } catch (Throwable t) {
        sdk.internalError(t);
      }
    }
    return this;
  }

  @Override
  public Run output(Object value) {
    if (sdk.config.captureContent()) {
      try {
        Object copy = Values.content(value);
        synchronized (this) {
          if (!ended) {
            output = copy;
          }
        }
      } catch (Throwable t) {
        sdk.internalError(t);
      }
    }
    return this;
  }

  @Override
  public synchronized Run status(RunStatus value) {
    if (!ended && value != null && value != RunStatus.RUNNING) {
      statusOverride = value;
    }
    return this;
  }

  @Override
  public Step step(String type, String name) {
    return startStep(type, name, null);
  }

  @Override
  public <T, E extends Throwable> T step(String type, String name, StepBody<T, E> body) throws E {
    return Bodies.inStep(step(type, name), body);
  }

  @Override
  public Step stream(String name) {
    return startStep("stream", name, null);
  }

  @Override
  public <T, E extends Throwable> T retry(String type, String name, int maxAttempts, StepBody<T, E> body)
      throws E {
    return Bodies.retry(this, type, name, maxAttempts, 0, sdk.sleeper, body);
  }

  @Override
  public <T, E extends Throwable> T retry(
      String type, String name, int maxAttempts, Duration backoff, StepBody<T, E> body) throws E {
    long nanos = backoff == null || backoff.isNegative() ? 0 : saturatedNanos(backoff);
    return Bodies.retry(this, type, name, maxAttempts, nanos, sdk.sleeper, body);
  }

  @Override
  public Run recordFailure(String type, String code, String message) {
    return recordFailure(type, code, message, null);
  }

  @Override
  public Run recordFailure(String type, String code, String message, Step step) {
    try {
      String failureType = Values.failureType(type);
      if (failureType == null) {
        sdk.reject("failure-type", "failure type '" + type
            + "' is not one of tool, model, retrieval, orchestration, guardrail, unknown; recorded as unknown");
        failureType = "unknown";
      }
      String failureCode = Values.failureCode(code, sdk);
      String text = Values.message(message);
      SpanStep cause = step instanceof SpanStep s && s.run == this ? s : Contexts.currentStepOf(this);
      synchronized (this) {
        if (ended || failure != null) {
          return this;
        }
        if (cause == null) {
          cause = lastFailedStep;
        }
        if (cause == null) {
          int typeIndex = Failures.failureTypeIndex(failureType);
          if (typeIndex >= 0) {
            cause = sdk.pipeline.lastEndedStep(this, typeIndex);
          }
        }
        if (cause != null && cause.error() == null) {
          // the step the failure points at fails too, with the failure's type and code
          StepError error = new StepError(failureType, failureCode, text);
          if (!cause.failIfOpen(error)) {
            sdk.pipeline.failEnded(this, cause, error);
          }
        }
        failure = new Failure(failureType, failureCode, text, cause == null ? null : cause.id());
      }
    } catch (Throwable t) {
      sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Run fail(Throwable error) {
    if (error == null) {
      return this;
    }
    try {
      synchronized (this) {
        if (ended || failure != null) {
          return this;
        }
        SpanStep cause = causingStep(error);
        StepError stepError = cause == null ? null : cause.error();
        if (stepError != null) {
          failure = new Failure(stepError.type(), stepError.code(), stepError.message(), cause.id());
        } else {
          failure = new Failure("unknown", Failures.code(error, "custom"), Failures.message(error), null);
        }
      }
    } catch (Throwable t) {
      sdk.internalError(t);
    }
    return this;
  }

  private SpanStep causingStep(Throwable error) {
    Throwable t = error;
    for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
      if (t == lastStepThrowable) {
        return lastThrowableStep;
      }
    }
    return null;
  }

  @Override
  public Run detach() {
    Contexts.pop(this);
    return this;
  }

  @Override
  public void close() {
    try {
      long now = sdk.clock.nanoTime();
      RunData snapshot;
      synchronized (this) {
        if (ended) {
          return;
        }
        endNanoTime = now;
        ended = true;
        snapshot = snapshot(finalStatus());
        lastStepThrowable = null;
        lastThrowableStep = null;
      }
      Contexts.pop(this);
      sdk.pipeline.runEnded(this, snapshot);
    } catch (Throwable t) {
      sdk.internalError(t);
    }
  }

  private RunStatus finalStatus() {
    if (statusOverride != null) {
      return statusOverride;
    }
    if (failure != null) {
      return RunStatus.FAILURE;
    }
    return unrecoveredErrors > 0 ? RunStatus.PARTIAL : RunStatus.SUCCESS;
  }

  // ---- used by steps and pipelines ----

  Step startStep(String type, String stepName, SpanStep explicitParent) {
    try {
      Contexts.Slot slot = Contexts.slot();
      ScopeNode current = slot.top;
      SpanStep parent = explicitParent != null ? explicitParent : Contexts.stepOf(this, current);
      SpanStep step = new SpanStep(this, Values.stepType(type, sdk), stepName, parent);
      slot.push(step, current);
      return step;
    } catch (Throwable t) {
      sdk.internalError(t);
      return NoopStep.INSTANCE;
    }
  }

  void stepEnded(SpanStep step) {
    StepStatus status = step.status();
    boolean failed = status == StepStatus.ERROR || status == StepStatus.TIMEOUT;
    if (failed || step.isRetry()) {
      noteAttempt(step, failed);
    }
    sdk.pipeline.stepEnded(this, step);
  }

  /**
   * Counts a failed step as unrecovered unless a retry is promised for it, and un-counts the failed
   * earlier attempts of a retry: as on the server, a failed step is recovered once a later attempt
   * of it exists, whether made by {@link #retry} or marked with {@link Step#retryOf}.
   */
  private void noteAttempt(SpanStep step, boolean failed) {
    boolean unrecovered = failed && step.countsAsUnrecovered();
    long chain = step.retryChain();
    synchronized (this) {
      if (step.isRetry() && unrecoveredByChain != null) {
        Integer earlier = unrecoveredByChain.remove(chain);
        if (earlier != null) {
          unrecoveredErrors -= earlier;
        }
      }
      if (unrecovered) {
        unrecoveredErrors++;
        if (unrecoveredByChain == null) {
          unrecoveredByChain = new java.util.HashMap<>();
        }
        unrecoveredByChain.merge(chain, 1, Integer::sum);
      }
      if (failed) {
        lastFailedStep = step;
      }
    }
  }

  synchronized void countUnrecovered() {
    unrecoveredErrors++;
  }

  synchronized void noteStepFailure(SpanStep step, Throwable error) {
    if (!ended) {
      lastStepThrowable = error;
      lastThrowableStep = step;
    }
  }

  synchronized RunData snapshot(RunStatus status) {
    return new RunData(
        id,
        sdk.config.agentId(),
        sdk.config.agentVersion(),
        sdk.config.environment(),
        name,
        sessionId,
        labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels)),
        anchorEpochNanos,
        status == RunStatus.RUNNING ? 0 : epochNanosAt(endNanoTime),
        status,
        failure,
        metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata)),
        input,
        output);
  }

  static final int BUFFERED = 0;
  static final int RUN_ENDED = 1;
  static final int OVER_LIMIT = 2;

  /** Inline mode keeps finished steps with their run until it ends. */
  synchronized int bufferInline(StepData step, int limit) {
    if (ended) {
      return RUN_ENDED;
    }
    if (inlineSteps == null) {
      inlineSteps = new ArrayList<>();
    }
    if (inlineSteps.size() >= limit) {
      return OVER_LIMIT;
    }
    inlineSteps.add(step);
    return BUFFERED;
  }

  /** The last buffered step whose type maps to the failure type {@code typeIndex}; inline mode. */
  synchronized SpanStep lastInline(int typeIndex) {
    if (inlineSteps != null) {
      for (int i = inlineSteps.size() - 1; i >= 0; i--) {
        if (inlineSteps.get(i) instanceof SpanStep s && Failures.typeIndex(s.type) == typeIndex) {
          return s;
        }
      }
    }
    return null;
  }

  synchronized List<StepData> takeInline() {
    List<StepData> steps = inlineSteps == null ? List.of() : inlineSteps;
    inlineSteps = null;
    return steps;
  }

  @Override
  public String toString() {
    return "Run{" + name + " id=" + id + "}";
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
