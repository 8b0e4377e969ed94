package dev.sextant.sdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@link Step}. Mutators hold a tiny spin lock (one CAS to enter, one release store to
 * leave, cheaper than a monitor's two CASes) and do nothing once the step ended; the ended step is
 * then handed to the exporter as its own {@link StepData}, without a copy. Metadata is kept as a flat
 * key/value array, which is cheaper than a map for the handful of values a step has.
 *
 * <p>Metadata from the thread that started the step, the usual case, takes no lock: that thread
 * appends to its own key/value log and publishes the new length with a release store. Whoever takes
 * the lock next (a metadata call from another thread, or the end of the step) merges the published
 * part of the log into the step's metadata first, in log order, so a value set after another thread's
 * value for the same key still wins. Once another thread has set metadata, or the log holds 64
 * values, the starting thread takes the lock like everyone else.
 */
final class SpanStep extends ScopeNode implements Step, StepData {

  private static final int OPEN = 0;
  private static final int BUSY = 1;
  private static final int DONE = 2;
  private static final VarHandle STATE;
  private static final VarHandle OWNER_LOG_COUNT;
  private static final int OWNER_LOG_LIMIT = Values.MAX_METADATA_ENTRIES * 2;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SpanStep.class, "state", int.class);
      OWNER_LOG_COUNT = MethodHandles.lookup().findVarHandle(SpanStep.class, "ownerLogCount", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int MAX_EVENT_ATTRIBUTES = 32;

  final SpanRun run;
  final long id;
  final int seq;
  final String type;
  final String name;
  final long startNanoTime;

  private SpanStep parent;
  private long endNanoTime;
  private volatile int state;
  private StepStatus status;
  private StepStatus statusOverride;
  private StepError error;
  private int attempt = 1;
  private long retryOf;
  private boolean retried;
  private Object[] metadata;
  private int metadataCount;
  /** The thread that started the step; only it appends to {@link #ownerLog}. */
  private final Thread owner;
  /** Key/value pairs appended by {@link #owner}; entries below the published count never change. */
  private Object[] ownerLog;
  /** Written only by {@link #owner}, with release; others read it with acquire, under the lock. */
  private int ownerLogCount;
  /** Entries of {@link #ownerLog} already merged into {@link #metadata}; guarded by the lock. */
  private int ownerLogMerged;
  /** Set under the lock once another thread set metadata; the owner then takes the lock too. */
  private volatile boolean metadataShared;
  private Extras extras;

  SpanStep(SpanRun run, String type, String name, SpanStep parent) {
    this.run = run;
    this.type = type;
    this.name = Values.name(name, type, run.sdk, "step name");
    this.parent = parent;
    this.owner = Thread.currentThread();
    this.id = Ids.stepId();
    this.seq = run.nextSeq();
    this.startNanoTime = run.sdk.clock.nanoTime();
  }

  @Override
  boolean isEnded() {
    return state == DONE || run.isEnded();
  }

  boolean isDone() {
    return state == DONE;
  }

  /** Enters the critical section; false when the step already ended. */
  private boolean lock() {
    while (true) {
      int s = state;
      if (s == DONE) {
        return false;
      }
      if (s == OPEN && STATE.compareAndSet(this, OPEN, BUSY)) {
        return true;
      }
      Thread.onSpinWait();
    }
  }

  private void unlock() {
    STATE.setRelease(this, OPEN);
  }

  // ---- Step (user API) ----

  @Override
  public String id() {
    return Ids.hex(id);
  }

  @Override
  public Step metadata(String key, String value) {
    return putMetadata(key, Values.safeString(value, run.sdk.config.captureContent()) ? value : null);
  }

  @Override
  public Step metadata(String key, long value) {
    return putMetadata(key, value);
  }

  @Override
  public Step metadata(String key, double value) {
    return putMetadata(key, Double.isFinite(value) ? value : null);
  }

  @Override
  public Step metadata(String key, boolean value) {
    return putMetadata(key, value);
  }

  /**
   * {@code safe} is an already-checked value, or {@code null} when the value was not safe. The hot
   * path is kept small so the JIT inlines it; the rare paths live in their own methods.
   */
  private Step putMetadata(String key, Object safe) {
    try {
      if (safe == null || !Values.validMetadataKey(key)) {
        rejectMetadata(key);
      } else if (Thread.currentThread() != owner || !appendOwned(key, safe)) {
        putMetadataLocked(key, safe);
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  /**
   * The owner's lock-free path: true when the value was appended to the owner log (or dropped
   * because the step ended), false when the caller must take the lock instead.
   */
  private boolean appendOwned(String key, Object safe) {
    if (state == DONE) {
      return true;
    }
    int n = ownerLogCount;
    if (n >= OWNER_LOG_LIMIT || metadataShared) {
      return false;
    }
    Object[] log = ownerLog;
    if (log == null) {
      log = ownerLog = new Object[4];
    } else if (n == log.length) {
      log = ownerLog = java.util.Arrays.copyOf(log, n * 2);
    }
    log[n] = key;
    log[n + 1] = safe;
    OWNER_LOG_COUNT.setRelease(this, n + 2);
    return true;
  }

  private void putMetadataLocked(String key, Object safe) {
    if (lock()) {
      try {
        mergeOwnerLog(false);
        if (Thread.currentThread() != owner) {
          metadataShared = true;
        }
        storeMetadata(key, safe);
      } finally {
        unlock();
      }
    }
  }

  /**
   * Merges what the owner published of its log into the metadata; holds the lock. {@code ending}: the
   * step is ending and the log will be read no more.
   */
  private void mergeOwnerLog(boolean ending) {
    int n = (int) OWNER_LOG_COUNT.getAcquire(this);
    int from = ownerLogMerged;
    if (from >= n) {
      return;
    }
    Object[] log = ownerLog;
    if (metadata == null && from == 0 && ending) {
      // the log becomes the metadata array; merging in place is safe because each entry lands at or
      // before its own index, and the owner only ever writes beyond the count read above
      metadata = log;
    }
    for (int i = from; i < n; i += 2) {
      storeMetadata((String) log[i], log[i + 1]);
    }
    ownerLogMerged = n;
  }

  private void storeMetadata(String key, Object safe) {
    Object[] kv = metadata;
    int n = metadataCount;
    if (kv == null) {
      kv = metadata = new Object[4];
    }
    for (int i = 0; i < n; i += 2) {
      if (kv[i].equals(key)) {
        kv[i + 1] = safe;
        return;
      }
    }
    if (n == kv.length) {
      if (n >= Values.MAX_METADATA_ENTRIES * 2) {
        rejectMetadataOverLimit(key);
        return;
      }
      kv = metadata = java.util.Arrays.copyOf(kv, n * 2);
    }
    kv[n] = key;
    kv[n + 1] = safe;
    metadataCount = n + 2;
  }

  private void rejectMetadata(String key) {
    run.sdk.reject("metadata", "metadata '" + describeKey(key) + "' on step '" + name
        + "' was dropped: keys are identifiers of at most 64 characters, values numbers, booleans or"
        + " short identifier-like strings (enable content capture for free text)");
  }

  /** Applies {@code update} to the step's extras under its lock; ignored once the step has ended. */
  private void updateExtras(java.util.function.Consumer<Extras> update) {
    if (lock()) {
      try {
        update.accept(extras());
      } finally {
        unlock();
      }
    }
  }

  private void rejectMetadataOverLimit(String key) {
    run.sdk.reject("metadata-limit", "step '" + name + "' has more than 64 metadata values; '"
        + describeKey(key) + "' was dropped");
  }

  @Override
  public Step input(Object value) {
    return content(value, (e, copy) -> e.input = copy);
  }

  @Override
  public Step output(Object value) {
    return content(value, (e, copy) -> e.output = copy);
  }

  /** Stores a copy of content only when the SDK was built to capture content. */
  private Step content(Object value, java.util.function.BiConsumer<Extras, Object> set) {
    if (run.sdk.config.captureContent()) {
      try {
        Object copy = Values.content(value);
        updateExtras(e -> set.accept(e, copy));
      } catch (Throwable t) {
        run.sdk.internalError(t);
      }
    }
    return this;
  }

  @Override
  public Step model(String value) {
    if (value != null) {
      String model = Values.name(value, null, run.sdk, "model");
      updateExtras(e -> e.model = model);
    }
    return this;
  }

  @Override
  public Step provider(String value) {
    if (value != null) {
      String provider = Values.name(value, null, run.sdk, "provider");
      updateExtras(e -> e.provider = provider);
    }
    return this;
  }

  @Override
  public Step inputTokens(long tokens) {
    if (tokens >= 0) {
      updateExtras(e -> e.inputTokens = tokens);
    }
    return this;
  }

  @Override
  public Step outputTokens(long tokens) {
    if (tokens >= 0) {
      updateExtras(e -> e.outputTokens = tokens);
    }
    return this;
  }

  @Override
  public Step tokens(long in, long out) {
    inputTokens(in);
    return outputTokens(out);
  }

  @Override
  public Step cacheReadTokens(long tokens) {
    if (tokens >= 0) {
      updateExtras(e -> e.cacheReadTokens = tokens);
    }
    return this;
  }

  @Override
  public Step reasoningTokens(long tokens) {
    if (tokens >= 0) {
      updateExtras(e -> e.reasoningTokens = tokens);
    }
    return this;
  }

  @Override
  public Step detach() {
    Contexts.pop(this);
    return this;
  }

  @Override
  public Step costUsd(double cost) {
    if (Double.isFinite(cost) && cost >= 0) {
      updateExtras(e -> e.costUsd = cost);
    }
    return this;
  }

  @Override
  public Step firstToken() {
    try {
      long now = run.sdk.clock.nanoTime();
      if (lock()) {
        try {
          Extras x = extras();
          if (Double.isNaN(x.ttftMs)) {
            x.ttftMs = (now - startNanoTime) / 1e6;
          }
        } finally {
          unlock();
        }
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Step timeToFirstTokenMs(double millis) {
    if (Double.isFinite(millis) && millis >= 0) {
      updateExtras(e -> e.ttftMs = millis);
    }
    return this;
  }

  @Override
  public Step emit(String eventName) {
    return emit(eventName, null);
  }

  /**
   * The event's time is read inside the critical section that appends it, so the order of a step's
   * events is the order of their times even when several threads emit at once. Attributes are
   * checked outside it, so the lock is held only for the clock read and the append.
   */
  @Override
  public Step emit(String eventName, Map<String, ?> attributes) {
    try {
      if (!lock()) {
        return this;
      }
      try {
        Extras x = extras();
        if (x.events != null && x.events.size() >= run.sdk.config.maxEventsPerStep()) {
          x.eventsDropped++;
          run.sdk.counters.eventsDropped.increment();
          return this;
        }
      } finally {
        unlock();
      }
      Map<String, Object> safe = safeAttributes(attributes);
      String event = Values.name(eventName, "event", run.sdk, "event name");
      if (!lock()) {
        return this;
      }
      try {
        Extras x = extras();
        if (x.events == null) {
          x.events = new ArrayList<>();
        }
        if (x.events.size() >= run.sdk.config.maxEventsPerStep()) {
          x.eventsDropped++;
          run.sdk.counters.eventsDropped.increment();
          return this;
        }
        long now = run.sdk.clock.nanoTime();
        x.events.add(new Event(event, run.epochNanosAt(now), safe));
        if (Double.isNaN(x.ttftMs) && (type.equals("stream") || type.equals("llm"))) {
          x.ttftMs = (now - startNanoTime) / 1e6;
        }
      } finally {
        unlock();
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
      if (lock()) {
        try {
          parent = p;
        } finally {
          unlock();
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
      if (p.lock()) {
        previousAttempt = p.attempt;
        chain = p.retryOf != 0 ? p.retryOf : p.id;
        p.unlock();
      } else {
        previousAttempt = p.attempt;
        chain = p.retryOf != 0 ? p.retryOf : p.id;
      }
      if (lock()) {
        try {
          attempt = previousAttempt + 1;
          retryOf = chain;
        } finally {
          unlock();
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
      StepError value = new StepError(failureType, Values.failureCode(code, run.sdk), Values.message(message));
      if (lock()) {
        try {
          error = value;
          status = "timeout".equals(value.code()) ? StepStatus.TIMEOUT : StepStatus.ERROR;
        } finally {
          unlock();
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
      if (!lock()) {
        return this;
      }
      try {
        error = value;
        status = derived;
      } finally {
        unlock();
      }
      run.noteStepFailure(this, failure);
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
    return this;
  }

  @Override
  public Step status(StepStatus value) {
    if (value != null && lock()) {
      try {
        statusOverride = value;
      } finally {
        unlock();
      }
    }
    return this;
  }

  @Override
  public void close() {
    try {
      long now = run.sdk.clock.nanoTime();
      if (lock()) {
        endNanoTime = now;
        try {
          mergeOwnerLog(true);
        } catch (Throwable t) {
          run.sdk.internalError(t);
        } finally {
          STATE.setRelease(this, DONE);
        }
        Contexts.pop(this);
        run.stepEnded(this);
      }
    } catch (Throwable t) {
      run.sdk.internalError(t);
    }
  }

  // ---- used by the run and the retry helper ----

  /**
   * Gives a step that is still open {@code failure} as its error, unless it has one; false when the
   * step has ended, and then nothing changed.
   */
  boolean failIfOpen(StepError failure) {
    if (!lock()) {
      return false;
    }
    try {
      setErrorIfNone(failure);
    } finally {
      unlock();
    }
    return true;
  }

  /**
   * Gives an ended step {@code failure} as its error, unless it has one. Only for a step no exporter
   * can be reading yet: the caller holds what keeps it from being handed over (its run's monitor in
   * inline mode, the queue's consumer lock in async mode).
   */
  void failEnded(StepError failure) {
    setErrorIfNone(failure);
  }

  private void setErrorIfNone(StepError failure) {
    if (error == null) {
      error = failure;
      status = "timeout".equals(failure.code()) ? StepStatus.TIMEOUT : StepStatus.ERROR;
    }
  }

  void markRetried() {
    if (lock()) {
      try {
        retried = true;
      } finally {
        unlock();
      }
    }
  }

  /** True when this step was marked as a retry of another. */
  boolean isRetry() {
    return retryOf != 0;
  }

  /** The id of the first attempt of this step's retry chain: its own id unless it is a retry. */
  long retryChain() {
    return retryOf != 0 ? retryOf : id;
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
    return run.epochNanosAt(state == DONE ? endNanoTime : run.sdk.clock.nanoTime());
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
    return extras == null ? null : extras.model;
  }

  @Override
  public String provider() {
    return extras == null ? null : extras.provider;
  }

  @Override
  public Long inputTokens() {
    return extras == null || extras.inputTokens < 0 ? null : extras.inputTokens;
  }

  @Override
  public Long outputTokens() {
    return extras == null || extras.outputTokens < 0 ? null : extras.outputTokens;
  }

  @Override
  public Long cacheReadTokens() {
    return extras == null || extras.cacheReadTokens < 0 ? null : extras.cacheReadTokens;
  }

  @Override
  public Long reasoningTokens() {
    return extras == null || extras.reasoningTokens < 0 ? null : extras.reasoningTokens;
  }

  @Override
  public Double costUsd() {
    return extras == null || Double.isNaN(extras.costUsd) ? null : extras.costUsd;
  }

  @Override
  public Double timeToFirstTokenMs() {
    return extras == null || Double.isNaN(extras.ttftMs) ? null : extras.ttftMs;
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
    return extras == null ? null : extras.input;
  }

  @Override
  public Object output() {
    return extras == null ? null : extras.output;
  }

  @Override
  public List<Event> events() {
    return extras == null || extras.events == null ? List.of() : Collections.unmodifiableList(extras.events);
  }

  @Override
  public int eventsDropped() {
    return extras == null ? 0 : extras.eventsDropped;
  }

  @Override
  public String toString() {
    return "Step{" + type + " " + name + " seq=" + seq + " id=" + Ids.hex(id) + "}";
  }

  /** Fields most steps never set, kept apart so a plain step stays small. Guarded by the lock. */
  private Extras extras() {
    Extras x = extras;
    if (x == null) {
      x = extras = new Extras();
    }
    return x;
  }

  private static final class Extras {
    String model;
    String provider;
    long inputTokens = -1;
    long outputTokens = -1;
    long cacheReadTokens = -1;
    long reasoningTokens = -1;
    double costUsd = Double.NaN;
    double ttftMs = Double.NaN;
    ArrayList<Event> events;
    int eventsDropped;
    Object input;
    Object output;
  }

  private static String describeKey(String key) {
    return key == null ? "null" : Values.shorten(key);
  }
}
