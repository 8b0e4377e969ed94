package dev.sextant.sdk;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inline export: steps stay with their run, and the thread that ends the run exports the run and its
 * steps in one synchronous call. Deterministic, for scripts and tests; the exporter still never
 * throws into the caller. A step that ends after its run is exported on its own, right away.
 *
 * <p>Steps waiting for their run are counted in {@link #waiting}, so that {@link #close(long)} can
 * count those of runs that never end as dropped: {@code exported + dropped + failed == produced}
 * holds after close even when the application forgot to close a run, and such a run and its steps
 * can still be garbage collected. Whoever takes steps out of a run (its end, or a step that could
 * not be buffered) subtracts them again; once close has counted them ({@link #CLOSED}) nobody
 * counts them a second time.
 */
final class InlinePipeline extends Pipeline {

  private static final long CLOSED = Long.MIN_VALUE;

  private final Object exportLock = new Object();
  private volatile boolean closed;
  /** Steps buffered in runs that have not ended, or {@link #CLOSED} once close counted them. */
  private final AtomicLong waiting = new AtomicLong();

  InlinePipeline(Sextant sdk, Exporter exporter) {
    super(sdk, exporter);
  }

  @Override
  void stepEnded(SpanRun run, SpanStep step) {
    if (!add(1)) {
      counters.produced.increment();
      counters.dropped.increment();
      return;
    }
    switch (run.bufferInline(step, sdk.config.maxStepsPerRun())) {
      case SpanRun.BUFFERED:
        return;
      case SpanRun.RUN_ENDED:
        if (add(-1)) {
          export(List.of(), List.of(step));
        }
        return;
      default:
        if (add(-1)) {
          counters.produced.increment();
          counters.dropped.increment();
        }
        sdk.log.warn("run-step-limit", "run '" + run.name + "' has more than " + sdk.config.maxStepsPerRun()
            + " steps buffered for inline export; further steps are dropped");
    }
  }

  @Override
  void runEnded(SpanRun run, RunData snapshot) {
    List<StepData> steps = run.takeInline();
    if (!steps.isEmpty() && !add(-steps.size())) {
      steps = List.of(); // close() counted them already
    }
    export(List.of(snapshot), steps);
  }

  /** Adds {@code delta} to {@link #waiting}; false, changing nothing, once close counted the waiting steps. */
  private boolean add(long delta) {
    while (true) {
      long n = waiting.get();
      if (n == CLOSED) {
        return false;
      }
      if (waiting.compareAndSet(n, n + delta)) {
        return true;
      }
    }
  }

  private void export(List<RunData> runs, List<StepData> steps) {
    int n = runs.size() + steps.size();
    counters.produced.add(n);
    if (closed) {
      counters.dropped.add(n);
      return;
    }
    Batch batch = new Batch(runs, List.copyOf(steps));
    synchronized (exportLock) {
      exportAndCount(batch, n);
    }
  }

  @Override
  boolean flush(long timeoutNanos) {
    return true;
  }

  @Override
  void close(long timeoutNanos) {
    if (closed) {
      return;
    }
    closed = true;
    long unended = waiting.getAndSet(CLOSED);
    if (unended > 0) {
      counters.produced.add(unended);
      counters.dropped.add(unended);
      sdk.log.warn("unended-runs", unended + " finished steps of runs that were never ended (Run.close() not"
          + " called) were dropped at close");
    }
    synchronized (exportLock) {
      closeExporter();
    }
  }

  @Override
  long pending() {
    return 0;
  }

  /** A run's steps stay with it until it ends, so they are all still here. */
  @Override
  SpanStep lastEndedStep(SpanRun run, int typeIndex) {
    return run.lastInline(typeIndex);
  }

  /**
   * The run has not ended (its monitor is held and checked), so its steps are not exported yet; the
   * thread that ends it takes its steps under the same monitor.
   */
  @Override
  void failEnded(SpanRun run, SpanStep step, StepError failure) {
    step.failEnded(failure);
  }
}
