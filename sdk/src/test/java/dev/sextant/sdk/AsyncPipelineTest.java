package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncPipelineTest {

  private final CapturingExporter exporter = new CapturingExporter();
  private Sextant sextant;

  private Sextant.Builder async(Exporter to) {
    return Sextant.builder().agent("a").exporter(to).shutdownHook(false).environmentVariables(Map.of());
  }

  @AfterEach
  void close() {
    if (sextant != null) {
      sextant.close();
    }
  }

  @Test
  void fullBatches_leaveAtOnce_andTheRestWaitsForTheFlushInterval() {
    sextant = async(exporter).maxBatchSize(10).flushInterval(Duration.ofHours(1)).build();
    Run run = sextant.startRun("r");
    for (int i = 0; i < 25; i++) {
      run.step("tool", "t" + i).close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> exporter.batches.size() == 2);
    assertThat(exporter.batches).allSatisfy(b -> assertThat(b.size()).isEqualTo(10));
    assertThat(sextant.stats().pending()).isEqualTo(6);

    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
    run.close();
    assertThat(exporter.steps()).hasSize(25);
    assertThat(exporter.steps()).extracting(StepData::seq).isSorted();
  }

  @Test
  void aPartialBatch_leavesAfterTheFlushInterval() {
    sextant = async(exporter).flushInterval(Duration.ofMillis(50)).build();
    sextant.startRun("r").close();
    await().atMost(Duration.ofSeconds(5)).until(() -> exporter.batches.size() == 1);
  }

  @Test
  void aRun_isSentAsRunningWithItsFirstStep_andAgainWhenItEnds() {
    sextant = async(exporter).build();
    try (Run run = sextant.startRun("r")) {
      run.sessionId("conv-1").label("team", "billing");
      run.step("tool", "first").close();
      sextant.flush(Duration.ofSeconds(5));
      run.step("tool", "second").close();
    }
    sextant.flush(Duration.ofSeconds(5));
    List<RunData> runs = exporter.runs();
    assertThat(runs).extracting(RunData::status).containsExactly(RunStatus.RUNNING, RunStatus.SUCCESS);
    assertThat(runs.get(0).endEpochNanos()).isZero();
    assertThat(runs.get(0).sessionId()).isEqualTo("conv-1");
    assertThat(runs.get(0).labels()).containsEntry("team", "billing");
    assertThat(exporter.steps()).extracting(StepData::name).containsExactly("first", "second");
  }

  @Test
  void aRunningAndAFinalSnapshotInOneBatch_areSentAsTheFinalOneOnly() {
    sextant = async(exporter).flushInterval(Duration.ofHours(1)).build();
    try (Run run = sextant.startRun("short")) {
      run.label("team", "billing");
      run.step("tool", "t").close();
    }
    sextant.flush(Duration.ofSeconds(5));
    assertThat(exporter.batches).hasSize(1);
    assertThat(exporter.runs()).extracting(RunData::status).containsExactly(RunStatus.SUCCESS);
    Stats stats = sextant.stats();
    assertThat(stats.produced()).isEqualTo(3);
    assertThat(stats.exported()).isEqualTo(3);
  }

  @Test
  void aRunWithoutSteps_isSentOnce() {
    sextant = async(exporter).build();
    sextant.startRun("r").close();
    sextant.flush(Duration.ofSeconds(5));
    assertThat(exporter.runs()).extracting(RunData::status).containsExactly(RunStatus.SUCCESS);
  }

  @Test
  void aStepEndingAfterItsRun_neverSendsARunningSnapshotAfterTheFinalOne() {
    sextant = async(exporter).build();
    Run run = sextant.startRun("r");
    Step late = run.step("tool", "late");
    run.close();
    late.close();
    sextant.flush(Duration.ofSeconds(5));
    assertThat(exporter.runs()).extracting(RunData::status).containsExactly(RunStatus.SUCCESS);
    assertThat(exporter.steps()).hasSize(1);
  }

  @Test
  void aFullQueue_dropsAndCounts_neverBlocks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    sextant = async(batch -> release.await(10, TimeUnit.SECONDS))
        .queueCapacity(16).maxBatchSize(4).build();
    Run run = sextant.startRun("r");
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      run.step("tool", "t").close();
    }
    long elapsed = System.nanoTime() - start;
    assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(2));
    Stats stats = sextant.stats();
    assertThat(stats.produced()).isEqualTo(1001);
    assertThat(stats.dropped()).isGreaterThanOrEqualTo(1001 - 16 - 4);
    release.countDown();
    run.close();
    sextant.close();
    stats = sextant.stats();
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());
    assertThat(stats.pending()).isZero();
  }

  @Test
  void close_exportsWhatIsQueued() {
    sextant = async(exporter).flushInterval(Duration.ofHours(1)).build();
    try (Run run = sextant.startRun("r")) {
      for (int i = 0; i < 100; i++) {
        run.step("tool", "t").close();
      }
    }
    sextant.close();
    Stats stats = sextant.stats();
    assertThat(stats.exported()).isEqualTo(102);
    assertThat(stats.produced()).isEqualTo(102);
    assertThat(exporter.closed).isTrue();
  }

  @Test
  void close_withAnExporterThatIgnoresInterrupts_returnsInTime_andCountsTheBatchWhenItReturns()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    sextant = async(batch -> {
      entered.countDown();
      while (true) {
        try {
          if (release.await(10, TimeUnit.SECONDS)) {
            return;
          }
        } catch (InterruptedException ignored) {
          // a badly behaved exporter
        }
      }
    }).closeTimeout(Duration.ofMillis(200)).maxBatchSize(1).build();
    Run run = sextant.startRun("r");
    run.close();
    run = sextant.startRun("r2");
    run.close();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    sextant.close();
    // closeTimeout, then after the interrupt up to min(closeTimeout, 1 s) more: 200 + 200 ms
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(390)).isLessThan(Duration.ofMillis(1400));
    assertThat(sextant.stats().dropped()).isEqualTo(1);

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      Stats stats = sextant.stats();
      assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced());
    });
  }

  @Test
  void flush_timesOut_whenTheExporterIsStuck() {
    CountDownLatch release = new CountDownLatch(1);
    sextant = async(batch -> release.await(10, TimeUnit.SECONDS)).closeTimeout(Duration.ofMillis(100)).build();
    sextant.startRun("r").close();
    assertThat(sextant.flush(Duration.ofMillis(100))).isFalse();
    release.countDown();
    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void manyProducers_allRecordsAccountedFor() throws Exception {
    sextant = async(exporter).queueCapacity(1 << 16).maxBatchSize(256).build();
    int threads = 4;
    int perThread = 2_000;
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(() -> {
        try (Run run = sextant.startRun("r")) {
          for (int i = 0; i < perThread; i++) {
            run.step("tool", "t").metadata("i", i).close();
          }
        }
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    sextant.close();
    Stats stats = sextant.stats();
    assertThat(stats.produced()).isEqualTo(threads * (perThread + 2L));
    assertThat(stats.exported()).isEqualTo(stats.produced());
    assertThat(exporter.steps()).hasSize(threads * perThread);
    assertThat(exporter.steps()).extracting(s -> s.runId() + "/" + s.seq()).doesNotHaveDuplicates();
  }
}
