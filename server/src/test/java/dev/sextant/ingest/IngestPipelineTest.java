package dev.sextant.ingest;

import dev.sextant.model.RequestTooLarge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Batch;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.store.Project;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipeline between the decoders and the write queue: validation, normalisation, content policy. */
class IngestPipelineTest {
  private static final Project PROJECT = new Project("p", "p", ContentPolicy.METADATA_ONLY, Instant.EPOCH);

  private final List<WriteBatch> queued = new ArrayList<>();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private IngestPipeline pipeline(Limits limits, BatchQueue queue) {
    byte[] secret = new byte[32];
    return new IngestPipeline(limits, new Pseudonyms((project, candidate) -> secret, () -> secret), queue, metrics);
  }

  private final IngestPipeline pipeline = pipeline(Limits.DEFAULT, b -> {
    queued.add(b);
    return CompletableFuture.completedFuture(null);
  });

  private static StepRecord step(String runId, String stepId, String type) {
    return StepRecord.builder(runId, stepId).type(type).name("n").startNanos(1L).endNanos(2L).build();
  }

  @Test
  void validItemsAreScrubbedNormalisedAndQueued_badOnesAreReportedByTheirReference() {
    RunRecord run = RunRecord.builder("r1")
        .metadata((ObjectNode) Json.read("{\"note\":\"call me at jane@example.com\"}"))
        .input(Json.read("\"secret question\"")).build();
    RunRecord badRun = RunRecord.builder("").build();
    StepRecord ok = step("r1", "s1", "Retriever");
    // ends before it starts
    StepRecord badStep = StepRecord.builder("r1", "s2").type("tool").name("n").startNanos(5L).endNanos(1L).build();
    Batch<Position> batch = new Batch<>(
        List.of(new Item<>(badRun, Position.run(0)), new Item<>(run, Position.run(2))),
        List.of(new Item<>(badStep, Position.step(0)), new Item<>(ok, Position.step(1))),
        List.of(new ItemError<>(Position.run(1), "could not be decoded")), 3, 2);

    IngestResult<Position> result = pipeline.ingest(PROJECT, batch, "test").join();

    assertThat(result.acceptedRuns()).isEqualTo(1);
    assertThat(result.acceptedSteps()).isEqualTo(1);
    assertThat(result.errors()).extracting(ItemError::ref)
        .as("the decoder's problems first, then the runs' and the steps'")
        .containsExactly(Position.run(1), Position.run(0), Position.step(0));
    assertThat(queued).singleElement().satisfies(b -> {
      assertThat(b.projectId()).isEqualTo("p");
      RunRecord stored = b.runs().get(0);
      assertThat(stored.input()).as("content is dropped under metadata-only").isNull();
      assertThat(stored.metadata().toString()).doesNotContain("jane@example.com");
      assertThat(b.steps().get(0).type()).as("step types are normalised").isEqualTo("retrieval");
    });
    assertThat(metrics.counter("sextant_ingest_rejected_items", "protocol", "test").count()).isEqualTo(3);
    assertThat(metrics.counter("sextant_ingest_accepted_items", "protocol", "test", "kind", "step").count())
        .isEqualTo(1);
  }

  @Test
  void anInvalidItemInTheMiddle_isReportedUnderItsProtocolsReference_theOthersAreKept() {
    // refs as a protocol that names items by id (LangSmith) gives them
    StepRecord endsBeforeItStarts = StepRecord.builder("r1", "b").type("tool").name("n").startNanos(5L).endNanos(1L).build();
    Batch<String> batch = new Batch<>(List.of(new Item<>(RunRecord.builder("r1").build(), "trace r1")),
        List.of(new Item<>(step("r1", "a", "tool"), "run a"), new Item<>(endsBeforeItStarts, "run b"),
            new Item<>(step("r1", "c", "tool"), "run c")),
        List.of());

    IngestResult<String> result = pipeline.ingest(PROJECT, batch, "test").join();

    assertThat(result.acceptedRuns()).isEqualTo(1);
    assertThat(result.acceptedSteps()).isEqualTo(2);
    assertThat(result.errors()).singleElement().satisfies(e -> {
      assertThat(e.ref()).isEqualTo("run b");
      assertThat(e.message()).contains("end");
    });
    assertThat(queued).singleElement().satisfies(b ->
        assertThat(b.steps()).extracting(StepRecord::stepId).containsExactly("a", "c"));
  }

  @Test
  void theLimitsCountTheItemsSent_readOrNot() {
    IngestPipeline small = pipeline(new Limits(1024, 1, 2, 32, 128, 256, 1024, 10, 64, 256), b -> {
      throw new AssertionError("nothing may be queued");
    });
    Batch<Position> batch = new Batch<>(List.of(), List.of(new Item<>(step("r", "a", "tool"), Position.step(0))),
        List.of(new ItemError<>(Position.step(1), "x"), new ItemError<>(Position.step(2), "y")), 0, 3);
    assertThatThrownBy(() -> small.ingest(PROJECT, batch, "test"))
        .isInstanceOf(RequestTooLarge.class).hasMessageContaining("3 steps; at most 2");
  }

  @Test
  void nothingValid_queuesNothing() {
    IngestResult<Position> result =
        pipeline.ingest(PROJECT, Batch.of(List.of(RunRecord.builder("").build()), List.of()), "test").join();
    assertThat(result.acceptedRuns()).isZero();
    assertThat(result.errors()).hasSize(1);
    assertThat(queued).isEmpty();
  }

  @Test
  void tooManyItems_refusesTheWholeRequest() {
    IngestPipeline small = pipeline(new Limits(1024, 1, 2, 32, 128, 256, 1024, 10, 64, 256), b -> {
      throw new AssertionError("nothing may be queued");
    });
    List<StepRecord> steps = List.of(step("r", "a", "tool"), step("r", "b", "tool"), step("r", "c", "tool"));
    assertThatThrownBy(() -> small.ingest(PROJECT, Batch.of(List.of(), steps), "test"))
        .isInstanceOf(RequestTooLarge.class).hasMessageContaining("3 steps; at most 2");
  }

  @Test
  void aFullQueue_refusesTheRequest() {
    IngestPipeline full = pipeline(Limits.DEFAULT, b -> {
      throw new Overloaded(Overloaded.Reason.QUEUE_FULL, 1, "the ingest queue is full", null);
    });
    Batch<Position> batch = Batch.of(List.of(RunRecord.builder("r").build()), List.of());
    assertThatThrownBy(() -> full.ingest(PROJECT, batch, "test")).isInstanceOf(Overloaded.class);
  }

  @Test
  void requests_haveNoPoolUnlessAsked_thenRunOnItsThreads_andAreRefusedAs503sOnceItIsClosed() throws Exception {
    assertThat(pipeline.requests()).as("the endpoints' blocking executor serves").isNull();

    Executor pool = pipeline.poolRequests().requests();
    java.util.Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch ran = new CountDownLatch(20);
    for (int i = 0; i < 20; i++) {
      pool.execute(() -> {
        threads.add(Thread.currentThread().getName());
        ran.countDown();
      });
    }
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(threads).allMatch(t -> t.startsWith("sextant-ingest-"))
        .hasSizeLessThanOrEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    // counted once each task has returned, a moment after the latch
    await().atMost(Duration.ofSeconds(10)).until(() ->
        metrics.get("sextant.ingest.executor.completed").tag("name", "requests").functionCounter().count() == 20);

    pipeline.close();
    assertThatThrownBy(() -> pool.execute(() -> {}))
        .isInstanceOfSatisfying(Overloaded.class, e -> assertThat(e.reason()).isEqualTo(Overloaded.Reason.SHUTTING_DOWN));
    // closed before its first request: refused all the same
    IngestPipeline unused = pipeline(Limits.DEFAULT, b -> CompletableFuture.completedFuture(null)).poolRequests();
    unused.close();
    assertThatThrownBy(() -> unused.requests().execute(() -> {})).isInstanceOf(Overloaded.class);
  }
}
