package dev.sextant.bench;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Stats;
import dev.sextant.sdk.Step;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The caller-side cost of recording one step: start it, add two metadata values, end it. Sextant uses
 * its default async pipeline; OpenTelemetry uses its SDK with a {@link BatchSpanProcessor}. Both hand
 * finished records to an exporter that discards them, so neither side measures the network or its
 * wire encoding; both sides' background threads are still running and allocating, and {@code -prof
 * gc} counts what they allocate too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SdkStepBenchmark {

  private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http_status");
  private static final AttributeKey<String> TOOL = AttributeKey.stringKey("tool");

  private Sextant sextant;
  private Run run;
  private final AtomicLong sextantExported = new AtomicLong();

  private SdkTracerProvider tracerProvider;
  private Tracer tracer;
  private Span parentSpan;
  private Context parent;
  private final AtomicLong otelExported = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    sextant = Sextant.builder()
        .agent("benchmark")
        .exporter(batch -> sextantExported.addAndGet(batch.size()))
        .shutdownHook(false)
        .build();
    run = sextant.startRun("benchmark_run");

    tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(new DiscardingSpanExporter(otelExported)).build())
        .build();
    tracer = tracerProvider.get("benchmark");
    parentSpan = tracer.spanBuilder("benchmark_run").startSpan();
    parent = Context.root().with(parentSpan);
  }

  @Benchmark
  public void sextantStep() {
    try (Step step = run.step("tool", "billing_api")) {
      step.metadata("http_status", 504).metadata("tool", "billing_api");
    }
  }

  @Benchmark
  public void otelSpan() {
    Span span = tracer.spanBuilder("billing_api").setParent(parent).startSpan();
    span.setAttribute(HTTP_STATUS, 504L);
    span.setAttribute(TOOL, "billing_api");
    span.end();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    run.close();
    sextant.close();
    parentSpan.end();
    tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
    Stats stats = sextant.stats();
    System.out.printf("%nsextant: produced=%d exported=%d dropped=%d failed=%d; otel: exported=%d%n",
        stats.produced(), stats.exported(), stats.dropped(), stats.failed(), otelExported.get());
  }

  /** Counts and discards, like the no-op exporter on the Sextant side. */
  static final class DiscardingSpanExporter implements SpanExporter {
    private final AtomicLong exported;

    DiscardingSpanExporter(AtomicLong exported) {
      this.exported = exported;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.addAndGet(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

}
