package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StreamTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();

  @Test
  void stream_eventsAreOrderedTimestamped_andTheFirstMarksTimeToFirstToken() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      try (Step stream = run.stream("answer")) {
        clock.advanceMillis(80);
        stream.emit("chunk", Map.of("seq", 1, "tokens", 3));
        clock.advanceMillis(20);
        stream.emit("chunk", Map.of("seq", 2));
        stream.emit("done");
      }
    }
    StepData step = exporter.step("answer");
    assertThat(step.type()).isEqualTo("stream");
    assertThat(step.timeToFirstTokenMs()).isEqualTo(80.0);
    assertThat(step.events()).extracting(Event::name).containsExactly("chunk", "chunk", "done");
    assertThat(step.events().get(0).attributes()).isEqualTo(Map.of("seq", 1L, "tokens", 3L));
    assertThat(step.events().get(0).epochNanos()).isEqualTo(FakeClock.epochNanos("2026-11-22T10:00:00.080Z"));
    assertThat(step.events().get(1).epochNanos()).isEqualTo(FakeClock.epochNanos("2026-11-22T10:00:00.100Z"));
    assertThat(step.events().get(2).attributes()).isEmpty();
  }

  @Test
  void stream_overThePerStepLimit_keepsTheFirstEvents_andCountsTheRest() {
    Sextant sextant = TestSdk.inline(clock, exporter).maxEventsPerStep(100).build();
    try (Run run = sextant.startRun("r")) {
      try (Step stream = run.stream("answer")) {
        for (int i = 0; i < 250; i++) {
          stream.emit("chunk", Map.of("seq", i));
        }
      }
    }
    StepData step = exporter.step("answer");
    assertThat(step.events()).hasSize(100);
    assertThat(step.events().get(99).attributes()).containsEntry("seq", 99L);
    assertThat(step.eventsDropped()).isEqualTo(150);
    assertThat(sextant.stats().eventsDropped()).isEqualTo(150);
  }

  @Test
  void stream_isSafeFromManyThreadsAtHighFrequency() throws Exception {
    Sextant sextant = TestSdk.inline(clock, exporter).maxEventsPerStep(5_000).build();
    int threads = 4;
    int perThread = 5_000;
    emitFromThreads(sextant, threads, perThread);
    StepData step = exporter.step("answer");
    assertThat(step.events().size() + step.eventsDropped()).isEqualTo(threads * perThread);
    assertThat(step.events()).hasSize(5_000);
    for (int t = 0; t < threads; t++) {
      long thread = t;
      List<Long> seqs = step.events().stream()
          .filter(e -> e.attributes().get("thread").equals(thread))
          .map(e -> (Long) e.attributes().get("seq"))
          .toList();
      assertThat(seqs).isSorted();
    }
  }

  @Test
  void stream_eventsFromManyThreads_areStoredInTimeOrder() throws Exception {
    TickingClock ticking = new TickingClock();
    Sextant sextant = Sextant.builder().agent("a").mode(Sextant.Mode.INLINE).exporter(exporter).clock(ticking)
        .maxEventsPerStep(10_000).environmentVariables(Map.of()).build();
    int threads = 4;
    int perThread = 20_000;
    emitFromThreads(sextant, threads, perThread);
    StepData step = exporter.step("answer");
    assertThat(step.events()).hasSize(10_000);
    assertThat(step.events().size() + step.eventsDropped()).isEqualTo(threads * perThread);
    long inversions = 0;
    for (int i = 1; i < step.events().size(); i++) {
      if (step.events().get(i).epochNanos() < step.events().get(i - 1).epochNanos()) {
        inversions++;
      }
    }
    assertThat(inversions).as("events stored out of time order").isZero();
  }

  /** Every read moves time forward by a microsecond, so any two reads differ. */
  static final class TickingClock implements SdkClock {
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);

    @Override
    public long epochNanos() {
      return FakeClock.epochNanos("2026-11-22T10:00:00Z") + now.addAndGet(1_000);
    }

    @Override
    public long nanoTime() {
      return now.addAndGet(1_000);
    }
  }

  @Test
  void aFailureInAStream_isAModelFailure() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      try {
        run.step("stream", "answer", step -> {
          step.emit("chunk");
          throw new IllegalStateException("connection reset mid-stream");
        });
      } catch (IllegalStateException expected) {
        // rethrown unchanged
      }
    }
    StepData step = exporter.step("answer");
    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.error().type()).isEqualTo("model");
    assertThat(step.error().code()).isEqualTo("internal");
  }

  @Test
  void emit_dropsUnsafeAttributes() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      try (Step stream = run.stream("answer")) {
        stream.emit("chunk", Map.of("text", "Dear Mr. Smith, your card 4111 ...", "seq", 1));
      }
    }
    assertThat(exporter.step("answer").events().get(0).attributes()).isEqualTo(Map.of("seq", 1L));
    assertThat(sextant.stats().rejectedValues()).isEqualTo(1);
  }

  /** {@code threads} threads emit {@code perThread} events each, all at once, into one stream step. */
  private static void emitFromThreads(Sextant sextant, int threads, int perThread) throws InterruptedException {
    try (Run run = sextant.startRun("r")) {
      try (Step stream = run.stream("answer")) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int id = t;
          Thread worker = new Thread(() -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              return;
            }
            for (int i = 0; i < perThread; i++) {
              stream.emit("chunk", Map.of("thread", id, "seq", i));
            }
          });
          worker.start();
          workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
          worker.join();
        }
      }
    }
  }
}
