package dev.sextant.protocol.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Batch;
import dev.sextant.model.Limits;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The native decoder on its own: {@code POST /v1/ingest} bodies in, records out. */
class NativeDecoderTest {
  private final NativeDecoder decoder = new NativeDecoder(Limits.DEFAULT);

  private Batch<Position> decode(String json) {
    return decoder.decode(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyFieldIsRead_asSent() {
    Batch<Position> b = decode("{\"runs\":[{\"run_id\":\"r1\",\"agent_id\":\"a\",\"agent_version\":\"v1\",\"environment\":\"prod\","
        + "\"name\":\"n\",\"session_id\":\"s\",\"labels\":{\"team\":\"x\"},\"start_time\":\"2026-11-22T10:00:00Z\","
        + "\"end_time\":\"2026-11-22T10:00:01.5Z\",\"status\":\"failure\",\"failure\":{\"type\":\"tool\","
        + "\"code\":\"timeout\",\"message\":\"m\",\"step_id\":\"s1\"},\"metadata\":{\"k\":1},\"input\":\"q\"}],"
        + "\"steps\":[{\"run_id\":\"r1\",\"step_id\":\"s1\",\"parent_step_id\":\"s0\",\"seq\":2,\"type\":\"tool\","
        + "\"name\":\"lookup\",\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:01Z\","
        + "\"status\":\"timeout\",\"attempt\":2,\"retry_of\":\"s0\",\"model\":\"m\",\"input_tokens\":3,"
        + "\"cost_usd\":0.5,\"error\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"slow\"},"
        + "\"events\":[{\"name\":\"retry\",\"time\":\"2026-11-22T10:00:00.5Z\",\"attributes\":{\"n\":1}}]}]}");
    assertThat(b.errors()).isEmpty();
    RunRecord r = b.runRecords().get(0);
    assertThat(r.status()).isEqualTo(RunStatus.FAILURE);
    assertThat(r.labels()).containsEntry("team", "x");
    assertThat(r.endNanos() - r.startNanos()).isEqualTo(1_500_000_000L);
    assertThat(r.failure().stepId()).isEqualTo("s1");
    assertThat(r.failure().inferred()).isFalse();
    StepRecord s = b.stepRecords().get(0);
    assertThat(s.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(s.attempt()).isEqualTo(2);
    assertThat(s.retryOf()).isEqualTo("s0");
    assertThat(s.inputTokens()).isEqualTo(3L);
    assertThat(s.costUsd()).isEqualTo(0.5);
    assertThat(s.error().code()).isEqualTo("timeout");
    assertThat(s.events()).singleElement().satisfies(e -> assertThat(e.name()).isEqualTo("retry"));
  }

  @Test
  void aBadItem_isAnErrorAtItsPosition_theOthersAreKept() {
    Batch<Position> b = decode("{\"runs\":[{\"run_id\":\"r1\",\"status\":\"exploded\"},{\"run_id\":\"r2\"}],"
        + "\"steps\":[7,{\"run_id\":\"r2\",\"step_id\":\"s\",\"events\":[{\"time\":\"2026-11-22T10:00:00Z\"}]}]}");
    assertThat(b.runs()).singleElement().satisfies(item -> {
      assertThat(item.record().runId()).isEqualTo("r2");
      assertThat(item.ref()).isEqualTo(Position.run(1));
    });
    assertThat(b.steps()).isEmpty();
    assertThat(b.sentRuns()).isEqualTo(2);
    assertThat(b.sentSteps()).isEqualTo(2);
    assertThat(b.errors()).extracting(e -> e.ref())
        .containsExactly(Position.run(0), Position.step(0), Position.step(1));
    assertThat(b.errors().get(0).message()).contains("status must be one of");
    assertThat(b.errors().get(2).message()).contains("events[0].name is required");
  }

  @Test
  void aBodyThatIsNotAnObjectWithArrays_isABadRequest() {
    assertThatThrownBy(() -> decode("[]")).isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> decode("{\"runs\":{}}")).isInstanceOf(BadRequest.class).hasMessageContaining("array");
    assertThatThrownBy(() -> decode("{\"runs\":")).isInstanceOf(BadRequest.class);
  }
}
