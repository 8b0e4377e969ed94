package dev.sextant.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.sdk.Batch;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.RunData;
import dev.sextant.sdk.RunStatus;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.StepData;
import dev.sextant.sdk.StepStatus;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelCallTest {

  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final Sextant sextant = Sextant.builder().agent("a").mode(Sextant.Mode.INLINE).exporter(batches::add)
      .systemLabels(false).shutdownHook(false).build();

  @AfterEach
  void close() {
    sextant.close();
  }

  private List<RunData> runs() {
    return batches.stream().flatMap(b -> b.runs().stream()).toList();
  }

  private StepData step() {
    List<StepData> steps = batches.stream().flatMap(b -> b.steps().stream()).toList();
    assertThat(steps).hasSize(1);
    return steps.get(0);
  }

  @Test
  void withoutACurrentRun_theCallIsARunOfItsOwn_thatFailsWithTheCall() {
    ModelCall call = ModelCall.start(sextant, "llm", "openai.chat", "openai");
    call.fail(ProviderError.of(429, "rate_limit_exceeded", "slow down", false, null));
    call.end();

    RunData run = runs().get(0);
    assertThat(run.name()).isEqualTo("openai.chat");
    assertThat(run.status()).isEqualTo(RunStatus.FAILURE);
    assertThat(run.failure().type()).isEqualTo("model");
    assertThat(run.failure().code()).isEqualTo("rate_limited");
    StepData step = step();
    assertThat(step.provider()).isEqualTo("openai");
    assertThat(step.status()).isEqualTo(StepStatus.ERROR);
    assertThat(step.metadata()).containsEntry("http_status", 429L).containsEntry("provider_error", "rate_limit_exceeded");
    assertThat(run.failure().stepId()).isEqualTo(step.stepId());
  }

  @Test
  void insideARun_theCallIsAStepOfIt_andATimeoutEndsItTimedOut() {
    String runId;
    try (Run run = sextant.startRun("agent")) {
      runId = run.id();
      ModelCall.start(sextant, "llm", "anthropic.messages", "anthropic")
          .fail(ProviderError.of(0, null, "read timed out", false, new SocketTimeoutException("timeout")));
    }
    assertThat(runs()).hasSize(1);
    assertThat(runs().get(0).status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(step().runId()).isEqualTo(runId);
    assertThat(step().status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(step().error().code()).isEqualTo("timeout");
  }

  @Test
  void stream_exhausted_endsTheCallWithItsChunks_andCountsThemOnce() {
    ModelCall call = ModelCall.start(sextant, "llm", "s", "p");
    StreamTracing<String> tracing = new StreamTracing<>(call, chunk -> call.chunk(),
        () -> call.step().metadata("stream_chunks", call.chunks()), e -> ProviderError.of(0, null, null, false, e));
    try (Stream<String> stream = tracing.stream(Stream.of("a", "b", "c"))) {
      assertThat(stream.toList()).containsExactly("a", "b", "c");
    }
    StepData step = step();
    assertThat(step.events()).hasSize(3);
    assertThat(step.timeToFirstTokenMs()).isNotNull();
    assertThat(step.metadata()).containsEntry("stream_chunks", 3L).doesNotContainKey("stream_completed");
  }

  @Test
  void stream_closedEarly_endsOk_markedIncomplete_andAReadErrorFailsIt() {
    ModelCall early = ModelCall.start(sextant, "llm", "early", "p");
    StreamTracing<String> tracing = new StreamTracing<>(early, chunk -> early.chunk(), () -> {}, e -> null);
    try (Stream<String> stream = tracing.stream(Stream.of("a", "b", "c"))) {
      assertThat(stream.findFirst()).contains("a");
    }
    assertThat(step().status()).isEqualTo(StepStatus.OK);
    assertThat(step().metadata()).containsEntry("stream_completed", false);

    batches.clear();
    ModelCall broken = ModelCall.start(sextant, "llm", "broken", "p");
    StreamTracing<String> failing = new StreamTracing<>(broken, chunk -> {}, () -> {},
        e -> ProviderError.of(0, null, e.getMessage(), false, e));
    Stream<String> source = Stream.of("a").map(x -> {
      throw new UncheckedIOException(new java.io.IOException("connection reset"));
    });
    assertThatThrownBy(() -> failing.stream(source).toList()).isInstanceOf(UncheckedIOException.class);
    assertThat(step().error().code()).isEqualTo("network");
  }

  @Test
  void aRecorderThatThrows_neverReachesTheCaller_andTheCallStillEnds() {
    ModelCall call = ModelCall.start(sextant, "llm", "odd_answer", "p");
    ModelCall.safely(() -> {
      throw new IllegalStateException("an answer shaped differently");
    });
    StreamTracing<String> tracing = new StreamTracing<>(call, chunk -> {
      throw new IllegalStateException("bad chunk");
    }, () -> {
      throw new IllegalStateException("bad totals");
    }, e -> null);
    try (Stream<String> stream = tracing.stream(Stream.of("a", "b"))) {
      assertThat(stream.toList()).containsExactly("a", "b");
    }
    assertThat(step().status()).isEqualTo(StepStatus.OK);
  }

  @Test
  void asyncStreamCompletion_andDetach_leaveTheCallerFree() {
    try (Run run = sextant.startRun("agent")) {
      ModelCall call = ModelCall.start(sextant, "llm", "async", "p").detach();
      assertThat(Sextant.current().step()).isEmpty();
      StreamTracing<String> tracing = new StreamTracing<>(call, chunk -> call.chunk(), () -> {}, e -> null);
      tracing.next("a");
      tracing.complete(Optional.empty());
      tracing.closed();
    }
    assertThat(step().status()).isEqualTo(StepStatus.OK);
    assertThat(step().events()).hasSize(1);
  }
}
