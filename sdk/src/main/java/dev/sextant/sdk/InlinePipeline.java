package dev.sextant.sdk;

import java.util.List;

/**
 * Inline export: steps stay with their run, and the thread that ends the run exports the run and its
 * steps in one synchronous call. Deterministic, for scripts and tests; the exporter still never
 * throws into the caller. A step that ends after its run is exported on its own, right away.
 */
final class InlinePipeline extends Pipeline {

  private final Object exportLock = new Object();
  private volatile boolean closed;

  InlinePipeline(Sextant sdk, Exporter exporter) {
    super(sdk, exporter);
  }

  @Override
  void stepEnded(SpanRun run, SpanStep step) {
    switch (run.bufferInline(step, sdk.config.maxStepsPerRun())) {
      case SpanRun.BUFFERED:
        return;
      case SpanRun.RUN_ENDED:
        export(List.of(), List.of(step));
        return;
      default:
        counters.produced.increment();
        counters.dropped.increment();
        sdk.log.warn("run-step-limit", "run '" + run.name + "' has more than " + sdk.config.maxStepsPerRun()
            + " steps buffered for inline export; further steps are dropped");
    }
  }

  @Override
  void runEnded(SpanRun run, RunData snapshot) {
    export(List.of(snapshot), run.takeInline());
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
