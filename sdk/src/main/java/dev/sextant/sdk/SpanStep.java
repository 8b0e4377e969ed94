package dev.sextant.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@link Step}. Mutators take the step's monitor and do nothing once the step ended; the
 * ended step is then handed to the exporter as its own {@link StepData}, without a copy. Metadata is
 * kept as a flat key/value array, which is cheaper than a map for the handful of values a step has.
 */
final class SpanStep extends ScopeNode implements Step, StepData {

  private static final int MAX_EVENT_ATTRIBUTES = 32;

  final SpanRun run;
  final long id;
  final int seq;
  final String type;
  final String name;
  final long startNanoTime;

  private SpanStep parent;
  private long endNanoTime;
  private volatile boolean done;
  private StepStatus status;
  private StepStatus statusOverride;
  private StepError error;
  private int attempt = 1;
  private long retryOf;
  private boolean retried;
  private String model;
  private String provider;
  private long inputTokens = -1;
  private long outputTokens = -1;
  private double costUsd = Double.NaN;
  private double ttftMs = Double.NaN;
  private Object[] metadata;
  private int metadataCount;
  private ArrayList<Event> events;
  private int eventsDropped;
  private Object input;
  private Object output;

  SpanStep(SpanRun run, String type, String name, SpanStep parent) {
    this.run = run;
    this.type = type;
    this.name = Values.name(name, type);
    this.parent = parent;
    this.id = Ids.stepId();
    this.seq = run.nextSeq();
    this.startNanoTime = run.sdk.clock.nanoTime();
  }

  @Override
  boolean isEnded() {
    return done || run.isEnded();
  }

  boolean isDone() {
    return done;
  }

  // ---- Step (user API) ----

  @Override
  public String id() {
    return Ids.hex(id);
  }

  @Override
  public Step metadata(String key, String value) {
    return putMetadata(key, value);
  }

  @Override
  public Step metadata(String key, long value) {
    return putMetadata(key, value);
  }

  @Override
  public Step metadata(String key, double value) {
    return putMetadata(key, value);
  }

  @Override
  public Step metadata(String key, boolean value) {
    return putMetadata(key, value);
  }

  private Step putMetadata(String key, Object value) {
    try {
      Object safe = Values.validMetadataKey(key) ? Values.safeValue(value, run.sdk.config.captureContent()) : null;
      if (safe == null) {
        run.sdk.reject("metadata", "metadata '" + describeKey(key) + "' on step '" + name
            + "' was dropped: keys are identifiers of at most 64 characters, values numbers, booleans or"
            + " short identifier-like strings (enable content capture for free text)");
        return this;
      }
      synchronized (this) {
        if (done) {
          return this;
        }
        Object[] kv = metadata;
        int n = metadataCount;
        if (kv == null) {
          kv = metadata = new Object[8];
        }
        for (int i = 0; i < n; i += 2) {
          if (kv[i].equals(key)) {
            kv[i + 1] = safe;
            return this;
          }
        }
        if (n >= Values.MAX_METADATA_ENTRIES * 2) {
          run.sdk.reject("metadata-limit", "step '" + name + "' has more than 64 metadata values; '"
              + describeKey(key) + "' was dropped");
          return this;
        }
        if (n == kv.length) {
          kv = metadata = java.util.Arrays.copyOf(kv, n * 2);
        }
        kv[n] = key;
        kv[n + 1] = safe;
        metadataCount = n + 2;
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Step input(Object value) {
    if (run.sdk.config.captureContent()) {
      try {
        Object copy = Values.content(value);
        synchronized (this) {
          if (!done) {
            input = copy;
          }
        }
      } catch (Throwable t) {
        run.sdk.internalError(t);
      }
    }
    return this;
  }

  @Override
  public Step output(Object value) {
    if (run.sdk.config.captureContent()) {
      try {
        Object copy = Values.content(value);
        synchronized (this) {
          if (!done) {
            output = copy;
          }
        }
      } catch (Throwable t) {
        run.sdk.internalError(t);
      }
    }
    return this;
  }

  @Override
  public synchronized Step model(String value) {
    if (!done && value != null) {
      model = Values.name(value, null);
    }
    return this;
  }

  @Override
  public synchronized Step provider(String value) {
    if (!done && value != null) {
      provider = Values.name(value, null);
    }
    return this;
  }

  @Override
  public synchronized Step inputTokens(long tokens) {
    if (!done && tokens >= 0) {
      inputTokens = tokens;
    }
    return this;
  }

  @Override
  public synchronized Step outputTokens(long tokens) {
    if (!done && tokens >= 0) {
      outputTokens = tokens;
    }
    return this;
  }

  @Override
  public Step tokens(long in, long out) {
    inputTokens(in);
    return outputTokens(out);
  }

  @Override
  public synchronized Step costUsd(double cost) {
    if (!done && Double.isFinite(cost) && cost >= 0) {
      costUsd = cost;
    }
    return this;
  }

  @Override
  public Step firstToken() {
    try {
      long now = run.sdk.clock.nanoTime();
      synchronized (this) {
        if (!done && Double.isNaN(ttftMs)) {
          ttftMs = (now - startNanoTime) / 1e6;
        }
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public synchronized Step timeToFirstTokenMs(double millis) {
    if (!done && Double.isFinite(millis) && millis >= 0) {
      ttftMs = millis;
    }
    return this;
  }

  @Override
  public Step emit(String eventName) {
    return emit(eventName, null);
  }

  @Override
  public Step emit(String eventName, Map<String, ?> attributes) {
    try {
      long now = run.sdk.clock.nanoTime();
      if (done) {
        return this;
      }
      synchronized (this) {
        if (done) {
          return this;
        }
        if (events != null && events.size() >= run.sdk.config.maxEventsPerStep()) {
          eventsDropped++;
          run.sdk.counters.eventsDropped.increment();
          return this;
        }
      }
      Map<String, Object> safe = safeAttributes(attributes);
      Event event = new Event(Values.name(eventName, "event"), run.epochNanosAt(now), safe);
      synchronized (this) {
        if (done) {
          return this;
        }
        if (events == null) {
          events = new ArrayList<>();
        }
        if (events.size() >= run.sdk.config.maxEventsPerStep()) {
          eventsDropped++;
          run.sdk.counters.eventsDropped.increment();
          return this;
        }
        events.add(event);
        if (Double.isNaN(ttftMs) && (type.equals("stream") || type.equals("llm"))) {
          ttftMs = (now - startNanoTime) / 1e6;
        }
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  private Map<String, Object> safeAttributes(Map<String, ?> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    boolean capture = run.sdk.config.captureContent();
    Map<String, Object> safe = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : attributes.entrySet()) {
      if (safe.size() >= MAX_EVENT_ATTRIBUTES) {
        run.sdk.reject("event-attribute-limit", "an event has more than 32 attributes; the rest were dropped");
        break;
      }
      String key = entry.getKey();
      Object value = Values.validMetadataKey(key) ? Values.safeValue(entry.getValue(), capture) : null;
      if (value == null) {
        run.sdk.reject("event-attribute", "event attribute '" + describeKey(key) + "' was dropped: not a safe value");
      } else {
        safe.put(key, value);
      }
    }
    return Collections.unmodifiableMap(safe);
  }

  @Override
  public Step child(String childType, String childName) {
    return run.startStep(childType, childName, this);
  }

  @Override
  public Step parent(Step newParent) {
    try {
      if (!(newParent instanceof SpanStep p) || p.run != run || p == this || p.hasAncestor(this)) {
        run.sdk.reject("parent", "step '" + name + "' cannot take that parent: it must be another step of the same run,"
            + " and not one of its own descendants");
        return this;
      }
      synchronized (this) {
        if (!done) {
          parent = p;
        }
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  private boolean hasAncestor(SpanStep candidate) {
    SpanStep s = parentStep();
    for (int hops = 0; s != null && hops < 1024; hops++) {
      if (s == candidate) {
        return true;
      }
      s = s.parentStep();
    }
    return false;
  }

  @Override
  public Step retryOf(Step previous) {
    try {
      if (!(previous instanceof SpanStep p) || p.run != run || p == this) {
        run.sdk.reject("retry-of", "step '" + name + "' can only be a retry of another step of the same run");
        return this;
      }
      int previousAttempt;
      long chain;
      synchronized (p) {
        previousAttempt = p.attempt;
        chain = p.retryOf != 0 ? p.retryOf : p.id;
      }
      synchronized (this) {
        if (!done) {
          attempt = previousAttempt + 1;
          retryOf = chain;
        }
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Step error(String errorType, String code, String message) {
    try {
      String failureType = Values.failureType(errorType);
      if (failureType == null) {
        run.sdk.reject("failure-type", "failure type '" + errorType
            + "' is not one of tool, model, retrieval, orchestration, guardrail, unknown; recorded as unknown");
        failureType = "unknown";
      }
      StepError value = new StepError(failureType, Values.failureCode(code), Values.message(message));
      synchronized (this) {
        if (!done) {
          error = value;
          status = "timeout".equals(value.code()) ? StepStatus.TIMEOUT : StepStatus.ERROR;
        }
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Step fail(Throwable failure) {
    if (failure == null) {
      return this;
    }
    try {
      StepError value = new StepError(
          Failures.typeForStep(type), Failures.code(failure, type), Failures.message(failure));
      StepStatus derived = Failures.status(failure);
      synchronized (this) {
        if (done) {
          return this;
        }
        error = value;
        status = derived;
      }
      run.noteStepFailure(this, failure);
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public synchronized Step status(StepStatus value) {
    if (!done && value != null) {
      statusOverride = value;
    }
    return this;
  }

  @Override
  public void close() {
    try {
      long now = run.sdk.clock.nanoTime();
      synchronized (this) {
        if (done) {
          return;
        }
        endNanoTime = now;
        done = true;
      }
      Contexts.pop(this);
      run.stepEnded(this);
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
  }

  // ---- used by the run and the retry helper ----

  synchronized void markRetried() {
    retried = true;
  }

  /** True when the step failed and no retry recovered it; read only after the end. */
  boolean countsAsUnrecovered() {
    StepStatus s = status();
    return (s == StepStatus.ERROR || s == StepStatus.TIMEOUT) && !retried;
  }

  SpanStep parentStep() {
    return parent;
  }

  // ---- StepData (exporter view; read after the end) ----

  @Override
  public String runId() {
    return run.id;
  }

  @Override
  public String stepId() {
    return Ids.hex(id);
  }

  @Override
  public String parentStepId() {
    SpanStep p = parent;
    return p == null ? null : Ids.hex(p.id);
  }

  @Override
  public int seq() {
    return seq;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long startEpochNanos() {
    return run.epochNanosAt(startNanoTime);
  }

  @Override
  public long endEpochNanos() {
    return run.epochNanosAt(done ? endNanoTime : run.sdk.clock.nanoTime());
  }

  @Override
  public StepStatus status() {
    if (statusOverride != null) {
      return statusOverride;
    }
    return status != null ? status : StepStatus.OK;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String retryOf() {
    return retryOf == 0 ? null : Ids.hex(retryOf);
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public Long inputTokens() {
    return inputTokens < 0 ? null : inputTokens;
  }

  @Override
  public Long outputTokens() {
    return outputTokens < 0 ? null : outputTokens;
  }

  @Override
  public Double costUsd() {
    return Double.isNaN(costUsd) ? null : costUsd;
  }

  @Override
  public Double timeToFirstTokenMs() {
    return Double.isNaN(ttftMs) ? null : ttftMs;
  }

  @Override
  public StepError error() {
    return error;
  }

  @Override
  public Map<String, Object> metadata() {
    Object[] kv = metadata;
    int n = metadataCount;
    if (n == 0) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i += 2) {
      map.put((String) kv[i], kv[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public Object input() {
    return input;
  }

  @Override
  public Object output() {
    return output;
  }

  @Override
  public List<Event> events() {
    return events == null ? List.of() : Collections.unmodifiableList(events);
  }

  @Override
  public int eventsDropped() {
    return eventsDropped;
  }

  @Override
  public String toString() {
    return "Step{" + type + " " + name + " seq=" + seq + " id=" + Ids.hex(id) + "}";
  }

  private static String describeKey(String key) {
    return key == null ? "null" : Values.shorten(key);
  }
}
