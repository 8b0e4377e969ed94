package dev.sextant.ingest;

import dev.sextant.model.RequestTooLarge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Batch;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.store.Project;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
  void validItemsAreScrubbedNormalisedAndQueued_badOnesAreReportedByPosition() {
    RunRecord run = RunRecord.builder("r1")
        .metadata((ObjectNode) Json.read("{\"note\":\"call me at jane@example.com\"}"))
        .input(Json.read("\"secret question\"")).build();
    RunRecord badRun = RunRecord.builder("").build();
    StepRecord ok = step("r1", "s1", "Retriever");
    // ends before it starts
    StepRecord badStep = StepRecord.builder("r1", "s2").type("tool").name("n").startNanos(5L).endNanos(1L).build();
    Batch batch = new Batch(Arrays.asList(badRun, null, run), Arrays.asList(badStep, ok),
        List.of(new ItemError("run", 1, "could not be decoded")));

    IngestResult result = pipeline.ingest(PROJECT, batch, "test").join();

    assertThat(result.acceptedRuns()).isEqualTo(1);
    assertThat(result.acceptedSteps()).isEqualTo(1);
    assertThat(result.errors()).extracting(e -> e.kind() + e.index()).containsExactly("run0", "run1", "step0");
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
  void nothingValid_queuesNothing() {
    IngestResult result = pipeline.ingest(PROJECT,
        new Batch(List.of(RunRecord.builder("").build()), List.of(), List.of()), "test")
        .join();
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
    assertThatThrownBy(() -> small.ingest(PROJECT, new Batch(List.of(), steps, List.of()), "test"))
        .isInstanceOf(RequestTooLarge.class).hasMessageContaining("3 steps; at most 2");
  }

  @Test
  void aFullQueue_refusesTheRequest() {
    IngestPipeline full = pipeline(Limits.DEFAULT, b -> {
      throw new Overloaded(Overloaded.Reason.QUEUE_FULL, 1, "the ingest queue is full", null);
    });
    Batch batch = new Batch(List.of(RunRecord.builder("r").build()), List.of(), List.of());
    assertThatThrownBy(() -> full.ingest(PROJECT, batch, "test")).isInstanceOf(Overloaded.class);
  }
}
