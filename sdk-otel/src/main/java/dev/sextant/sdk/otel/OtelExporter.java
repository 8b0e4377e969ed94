package dev.sextant.sdk.otel;

import dev.sextant.sdk.Batch;
import dev.sextant.sdk.Event;
import dev.sextant.sdk.Exporter;
import dev.sextant.sdk.Failure;
import dev.sextant.sdk.RunData;
import dev.sextant.sdk.RunStatus;
import dev.sextant.sdk.StepData;
import dev.sextant.sdk.StepError;
import dev.sextant.sdk.StepStatus;
import java.util.Collections;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link Exporter} that writes Sextant runs as OpenTelemetry spans into a {@link Tracer} the
 * application supplies; it never touches {@code GlobalOpenTelemetry}. Each run becomes a root span and
 * each step a child span with the step's own start and end times, nested as the steps were. Spans
 * carry OpenTelemetry GenAI attributes ({@code gen_ai.*}) and Sextant's own ({@code sextant.*}), so a
 * Sextant server reading them over OTLP gets back the same runs and steps.
 *
 * <p>Span ids are chosen by the application's OpenTelemetry SDK and a parent must exist before its
 * children, so steps are buffered per run until the run ends and then written parent first. The
 * buffer is bounded: past {@code maxBufferedRuns} the oldest open run is written as it is, and past
 * {@code maxStepsPerRun} a run's further steps are dropped and counted. A step that ends after its run
 * was written becomes a child of the run's span.
 *
 * <p>Dropped steps are reported to the SDK through {@link #exportWithResult}, so {@code
 * Sextant.stats()} counts them as dropped, not exported; {@link #droppedSteps()} counts them too.
 * Failed steps ({@code error}, {@code timeout}, or with an error) are kept in preference: a failed
 * step over the limit takes the place of the most recently buffered step that did not fail, so a
 * failed step is dropped only when all its run's buffered steps failed too. If the step a run
 * failure points at was dropped, the run span leaves out {@code sextant.failure.step_id} rather than
 * name a step that has no span.
 */
public final class OtelExporter implements Exporter {

  private static final Logger LOGGER = Logger.getLogger(OtelExporter.class.getName());

  private final Tracer tracer;
  private final int maxBufferedRuns;
  private final int maxStepsPerRun;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Map<String, SpanContext> written;
  private long droppedSteps;

  private OtelExporter(Builder builder) {
    this.tracer = builder.tracer;
    this.maxBufferedRuns = builder.maxBufferedRuns;
    this.maxStepsPerRun = builder.maxStepsPerRun;
    int remember = Math.max(builder.maxBufferedRuns, 10_000);
    this.written = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
        return size() > remember;
      }
    };
  }

  /** An exporter into {@code tracer} with default limits. */
  public static OtelExporter create(Tracer tracer) {
    return builder(tracer).build();
  }

  public static Builder builder(Tracer tracer) {
    return new Builder(tracer);
  }

  /**
   * Steps dropped because a run had more than {@code maxStepsPerRun} of them buffered. The SDK's
   * {@code stats().dropped()} includes them.
   */
  public synchronized long droppedSteps() {
    return droppedSteps;
  }

  @Override
  public void export(Batch batch) {
    exportWithResult(batch);
  }

  /** Writes the batch's runs and steps; reports the steps it had to drop. */
  @Override
  public synchronized Result exportWithResult(Batch batch) {
    int dropped = 0;
    for (StepData step : batch.steps()) {
      SpanContext root = written.get(step.runId());
      if (root != null) {
        writeLateStep(step, root);
        continue;
      }
      Pending p = pending.computeIfAbsent(step.runId(), id -> new Pending());
      if (p.size() >= maxStepsPerRun) {
        // one step goes for each step over the limit: this one, or one that did not fail
        dropped++;
        droppedSteps++;
        p.dropped++;
        if (failed(step) && p.dropOneThatDidNotFail()) {
          p.add(step);
        }
        continue;
      }
      p.add(step);
    }
    for (RunData run : batch.runs()) {
      if (run.status() == RunStatus.RUNNING) {
        if (!written.containsKey(run.runId())) {
          pending.computeIfAbsent(run.runId(), id -> new Pending()).snapshot = run;
        }
        continue;
      }
      Pending p = pending.remove(run.runId());
      if (p == null && written.containsKey(run.runId())) {
        continue; // written already, when the buffer had to let it go
      }
      writeRun(run, p == null ? new Pending() : p);
    }
    while (pending.size() > maxBufferedRuns) {
      Iterator<Map.Entry<String, Pending>> oldest = pending.entrySet().iterator();
      Map.Entry<String, Pending> entry = oldest.next();
      oldest.remove();
      writeUnfinished(entry.getKey(), entry.getValue());
    }
    return dropped == 0 ? Result.DELIVERED : new Result(0, dropped);
  }

  private static boolean failed(StepData step) {
    return step.error() != null || step.status() == StepStatus.ERROR || step.status() == StepStatus.TIMEOUT;
  }

  /** Writes every run still buffered as it is. */
  @Override
  public synchronized void close() {
    List<Map.Entry<String, Pending>> rest = new ArrayList<>(pending.entrySet());
    pending.clear();
    for (Map.Entry<String, Pending> entry : rest) {
      writeUnfinished(entry.getKey(), entry.getValue());
    }
  }

  private void writeUnfinished(String runId, Pending p) {
    if (p.snapshot != null) {
      writeRun(p.snapshot, p);
      return;
    }
    long start = Long.MAX_VALUE;
    long end = 0;
    for (StepData s : p.steps()) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
    }
    writeRun(new RunData(runId, null, null, null, "run", null, Map.of(), start == Long.MAX_VALUE ? 0 : start, end,
        RunStatus.RUNNING, null, Map.of(), null, null), p);
  }

  private void writeRun(RunData run, Pending p) {
    try {
      List<StepData> steps = p.steps();
      Map<String, StepData> byId = new HashMap<>();
      for (StepData step : steps) {
        byId.put(step.stepId(), step);
      }
      run = withoutDroppedFailureStep(run, byId, p.dropped);
      SpanBuilder builder = tracer.spanBuilder(run.name())
          .setNoParent()
          .setSpanKind(SpanKind.INTERNAL)
          .setAllAttributes(SpanAttributes.runAttributes(run));
      if (run.startEpochNanos() > 0) {
        builder.setStartTimestamp(run.startEpochNanos(), TimeUnit.NANOSECONDS);
      }
      Span root = builder.startSpan();
      Failure failure = run.failure();
      if (run.status() == RunStatus.FAILURE) {
        root.setStatus(StatusCode.ERROR, failure == null ? "failure" : failure.type() + "/" + failure.code());
      }
      Map<String, List<StepData>> children = new HashMap<>();
      List<StepData> top = new ArrayList<>();
      for (StepData step : steps) {
        String parent = step.parentStepId();
        if (parent != null && byId.containsKey(parent) && !parent.equals(step.stepId())) {
          children.computeIfAbsent(parent, k -> new ArrayList<>()).add(step);
        } else {
          top.add(step);
        }
      }
      Context rootContext = Context.root().with(root);
      top.sort(BY_SEQ);
      int[] budget = {steps.size()};
      for (StepData step : top) {
        writeStep(step, rootContext, children, run, budget);
      }
      long end = run.endEpochNanos();
      if (end > 0) {
        root.end(end, TimeUnit.NANOSECONDS);
      } else {
        root.end();
      }
      written.put(run.runId(), root.getSpanContext());
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "Sextant: could not write run " + run.runId() + " as spans", e);
    }
  }

  private static final Comparator<StepData> BY_SEQ = Comparator.comparingInt(StepData::seq);

  /**
   * The run without its failure's step id when that step is not among the run's steps and the run
   * had steps dropped: the id would most likely name a step that has no span. (A step missing while
   * none was dropped may still come, as a late step, and keeps its link.)
   */
  private static RunData withoutDroppedFailureStep(RunData run, Map<String, StepData> steps, int dropped) {
    Failure f = run.failure();
    if (f == null || f.stepId() == null || dropped == 0 || steps.containsKey(f.stepId())) {
      return run;
    }
    return new RunData(run.runId(), run.agentId(), run.agentVersion(), run.environment(), run.name(),
        run.sessionId(), run.labels(), run.startEpochNanos(), run.endEpochNanos(), run.status(),
        new Failure(f.type(), f.code(), f.message(), null), run.metadata(), run.input(), run.output());
  }

  /** Writes a step and, below it, its children; {@code budget} guards against cycles. */
  private void writeStep(StepData step, Context parent, Map<String, List<StepData>> children, RunData run,
      int[] budget) {
    if (budget[0]-- <= 0) {
      return;
    }
    Span span = startStep(step, parent, run.agentId());
    List<StepData> below = children.remove(step.stepId());
    if (below != null) {
      below.sort(BY_SEQ);
      Context context = Context.root().with(span);
      for (StepData child : below) {
        writeStep(child, context, children, run, budget);
      }
    }
    span.end(step.endEpochNanos(), TimeUnit.NANOSECONDS);
  }

  private void writeLateStep(StepData step, SpanContext root) {
    try {
      Span span = startStep(step, Context.root().with(Span.wrap(root)), null);
      if (step.parentStepId() != null) {
        span.setAttribute(SpanAttributes.STEP_PARENT_ID, step.parentStepId());
      }
      span.end(step.endEpochNanos(), TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "Sextant: could not write step " + step.stepId() + " as a span", e);
    }
  }

  private Span startStep(StepData step, Context parent, String agentId) {
    Span span = tracer.spanBuilder(step.name())
        .setParent(parent)
        .setSpanKind(SpanAttributes.kind(step.type()))
        .setStartTimestamp(step.startEpochNanos(), TimeUnit.NANOSECONDS)
        .setAllAttributes(SpanAttributes.stepAttributes(step, agentId))
        .startSpan();
    for (Event event : step.events()) {
      AttributesBuilder attributes = io.opentelemetry.api.common.Attributes.builder();
      SpanAttributes.putAll(attributes, "", event.attributes());
      span.addEvent(event.name(), attributes.build(), event.epochNanos(), TimeUnit.NANOSECONDS);
    }
    StepError error = step.error();
    if (step.status() == StepStatus.ERROR || step.status() == StepStatus.TIMEOUT) {
      span.setStatus(StatusCode.ERROR, error == null ? step.status().wireName() : error.type() + "/" + error.code());
    }
    return span;
  }

  /**
   * A run's buffered steps, those that failed apart from the rest so that one that did not fail can
   * be let go in constant time. Order does not matter: steps are written by {@code seq}.
   */
  private static final class Pending {
    RunData snapshot;
    final List<StepData> ok = new ArrayList<>();
    final List<StepData> failed = new ArrayList<>();
    int dropped;

    int size() {
      return ok.size() + failed.size();
    }

    void add(StepData step) {
      (OtelExporter.failed(step) ? failed : ok).add(step);
    }

    /** Lets go of the most recently buffered step that did not fail; false when there is none. */
    boolean dropOneThatDidNotFail() {
      if (ok.isEmpty()) {
        return false;
      }
      ok.remove(ok.size() - 1);
      return true;
    }

    List<StepData> steps() {
      if (failed.isEmpty()) {
        return Collections.unmodifiableList(ok);
      }
      List<StepData> all = new ArrayList<>(size());
      all.addAll(ok);
      all.addAll(failed);
      return all;
    }
  }

  /** Configures an {@link OtelExporter}. */
  public static final class Builder {
    private final Tracer tracer;
    private int maxBufferedRuns = 1_000;
    private int maxStepsPerRun = 10_000;

    private Builder(Tracer tracer) {
      if (tracer == null) {
        throw new IllegalArgumentException("tracer is required: pass your OpenTelemetry's tracer, e.g."
            + " openTelemetry.getTracer(\"sextant\")");
      }
      this.tracer = tracer;
    }

    /** Runs whose steps are buffered while they are open. Default 1000. */
    public Builder maxBufferedRuns(int maxBufferedRuns) {
      this.maxBufferedRuns = Math.max(1, maxBufferedRuns);
      return this;
    }

    /** Steps buffered per open run. Default 10,000. */
    public Builder maxStepsPerRun(int maxStepsPerRun) {
      this.maxStepsPerRun = Math.max(1, maxStepsPerRun);
      return this;
    }

    public OtelExporter build() {
      return new OtelExporter(this);
    }
  }
}
