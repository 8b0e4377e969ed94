package dev.sextant.protocol.langfuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Langfuse decoder on its own: envelopes in, records out, no HTTP and no store. */
class LangfuseDecoderTest {
  private final LangfuseDecoder decoder = new LangfuseDecoder(Limits.DEFAULT);

  private LangfuseDecoder.Decoded decode(String project, String... events) {
    List<LangfuseDecoder.Event> parsed = decoder.parse(new ByteArrayInputStream(
        ("{\"batch\":[" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8)));
    return decoder.map(project, parsed, parsed.size());
  }

  private static String event(String id, String type, String body) {
    return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"body\":" + body + "}";
  }

  private static StepRecord step(LangfuseDecoder.Decoded d, String id) {
    return d.batch().stepRecords().stream().filter(s -> s.stepId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void traceIsRun_observationsAreSteps_updateBeforeCreateMerges() {
    LangfuseDecoder.Decoded d = decode("p",
        event("e3", "span-update", "{\"id\":\"o1\",\"traceId\":\"t1\",\"endTime\":\"2026-11-22T10:00:03Z\"}"),
        event("e1", "trace-create", "{\"id\":\"t1\",\"name\":\"support\",\"timestamp\":\"2026-11-22T10:00:00Z\","
            + "\"metadata\":{\"agent_id\":\"helpdesk\"}}"),
        event("e2", "span-create", "{\"id\":\"o1\",\"traceId\":\"t1\",\"name\":\"plan\","
            + "\"startTime\":\"2026-11-22T10:00:01Z\"}"),
        event("e4", "generation-create", "{\"id\":\"o2\",\"traceId\":\"t1\",\"parentObservationId\":\"o1\","
            + "\"name\":\"answer\",\"model\":\"gpt-4o\",\"startTime\":\"2026-11-22T10:00:01Z\","
            + "\"endTime\":\"2026-11-22T10:00:02Z\",\"usageDetails\":{\"input\":10,\"output\":5}}"));

    assertThat(d.problems()).containsOnlyNulls();
    RunRecord run = d.batch().runRecords().get(0);
    assertThat(run.runId()).isEqualTo("t1");
    assertThat(run.agentId()).isEqualTo("helpdesk");
    assertThat(run.endNanos()).as("the latest observation end").isEqualTo(1_795_341_603_000_000_000L);
    assertThat(run.failure()).isNull();
    StepRecord span = step(d, "o1");
    assertThat(span.status()).isEqualTo(StepStatus.OK);
    assertThat(span.type()).as("the pipeline maps it to custom").isEqualTo("span");
    StepRecord llm = step(d, "o2");
    assertThat(llm.type()).as("the pipeline maps it to llm").isEqualTo("generation");
    assertThat(llm.parentStepId()).isEqualTo("o1");
    assertThat(llm.model()).isEqualTo("gpt-4o");
    assertThat(llm.inputTokens()).isEqualTo(10L);
    assertThat(llm.outputTokens()).isEqualTo(5L);
  }

  @Test
  void levelError_isAClassifiedStepError_theTraceHasNoOutcomeOfItsOwn() {
    LangfuseDecoder.Decoded d = decode("p",
        event("e1", "agent-create", "{\"id\":\"a\",\"traceId\":\"t2\",\"name\":\"agent\",\"level\":\"ERROR\","
            + "\"statusMessage\":\"RuntimeError: gave up\",\"startTime\":\"2026-11-22T10:00:00Z\","
            + "\"endTime\":\"2026-11-22T10:00:05Z\"}"),
        event("e2", "tool-create", "{\"id\":\"t\",\"traceId\":\"t2\",\"parentObservationId\":\"a\",\"name\":\"lookup\","
            + "\"level\":\"ERROR\",\"statusMessage\":\"TimeoutError: slow\",\"startTime\":\"2026-11-22T10:00:01Z\","
            + "\"endTime\":\"2026-11-22T10:00:02Z\"}"));

    StepRecord tool = step(d, "t");
    assertThat(tool.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(tool.error().type()).isEqualTo("tool");
    assertThat(tool.error().code()).isEqualTo("timeout");
    StepRecord agent = step(d, "a");
    assertThat(agent.status()).isEqualTo(StepStatus.ERROR);
    assertThat(agent.error().type()).isEqualTo("orchestration");
    RunRecord run = d.batch().runRecords().get(0);
    assertThat(run.runId()).isEqualTo("t2");
    assertThat(run.failure()).as("Langfuse traces have no error: the run is partial").isNull();
  }

  @Test
  void aBadEvent_isReportedByItsPosition_theRestIsKept() {
    LangfuseDecoder.Decoded d = decode("p",
        event("e1", "span-create", "{\"id\":\"o1\",\"name\":\"no trace\"}"),
        event("e2", "dataset-run-item-create", "{\"id\":\"x\"}"),
        event("e3", "span-create", "{\"id\":\"o2\",\"traceId\":\"t3\",\"startTime\":\"2026-11-22T10:00:00Z\"}"));
    assertThat(d.problems()[0]).contains("traceId is required");
    assertThat(d.problems()[1]).contains("dataset-run-item-create");
    assertThat(d.problems()[2]).isNull();
    assertThat(d.batch().stepRecords()).extracting(StepRecord::stepId).containsExactly("o2");
  }

  @Test
  void anUpdateWithoutTraceId_findsItsTraceInTheSameProjectOnly() {
    decode("p", event("e1", "span-create", "{\"id\":\"o9\",\"traceId\":\"t9\"}"));
    LangfuseDecoder.Decoded same = decode("p", event("e2", "span-update", "{\"id\":\"o9\",\"name\":\"late\"}"));
    assertThat(same.batch().stepRecords().get(0).runId()).isEqualTo("t9");
    LangfuseDecoder.Decoded other = decode("q", event("e3", "span-update", "{\"id\":\"o9\",\"name\":\"late\"}"));
    assertThat(other.problems()[0]).contains("traceId is required");
  }

  @Test
  void aBodyThatIsNotAnEnvelope_isABadRequest() {
    assertThatThrownBy(() -> decoder.parse(new ByteArrayInputStream("{\"batch\":{}}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(BadRequest.class).hasMessageContaining("\"batch\" array");
  }
}
