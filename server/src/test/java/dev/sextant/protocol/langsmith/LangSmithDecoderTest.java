package dev.sextant.protocol.langsmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sextant.model.ItemError;
import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LangSmith decoder on its own: bodies in, records out, no HTTP and no store. */
class LangSmithDecoderTest {
  private static final String ROOT = "0d3b6c39-8f4e-4b55-9c2a-52b5f5c3a001";
  private static final String TOOL = "0d3b6c39-8f4e-4b55-9c2a-52b5f5c3a002";
  private final LangSmithDecoder decoder =
      new LangSmithDecoder(Limits.DEFAULT, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

  private static ByteArrayInputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String run(String id, String parent, String type, String extra) {
    String dotted = "20261122T100000000001Z" + ROOT + (parent == null ? "" : ".20261122T100000100000Z" + id);
    return "{\"id\":\"" + id + "\",\"trace_id\":\"" + ROOT + "\"" + (parent == null ? "" : ",\"parent_run_id\":\""
        + parent + "\"") + ",\"name\":\"n-" + type + "\",\"run_type\":\"" + type + "\",\"dotted_order\":\"" + dotted
        + "\",\"session_name\":\"support\",\"start_time\":\"2026-11-22T10:00:00.000001Z\"" + extra + "}";
  }

  @Test
  void batch_rootBecomesRunAndStep_childBecomesStep_errorsAreClassified() {
    String body = "{\"post\":[" + run(ROOT, null, "chain", ",\"end_time\":\"2026-11-22T10:00:02Z\","
        + "\"error\":\"RuntimeError: gave up\"") + "," + run(TOOL, ROOT, "tool",
        ",\"end_time\":\"2026-11-22T10:00:01Z\",\"error\":\"TimeoutError: slow\"") + "]}";
    LangSmithDecoder.Decoded d = decoder.decodeBatch("p", body(body));

    assertThat(d.batch().errors()).isEmpty();
    assertThat(d.batch().steps()).extracting(s -> s.ref().id()).containsExactly(ROOT, TOOL);
    StepRecord root = d.batch().stepRecords().get(0);
    assertThat(root.runId()).isEqualTo(ROOT);
    assertThat(root.parentStepId()).isNull();
    assertThat(root.status()).isEqualTo(StepStatus.ERROR);
    assertThat(root.error().type()).isEqualTo("orchestration");
    assertThat(root.error().code()).isEqualTo("runtime_error");
    StepRecord tool = d.batch().stepRecords().get(1);
    assertThat(tool.parentStepId()).isEqualTo(ROOT);
    assertThat(tool.type()).isEqualTo("tool");
    assertThat(tool.status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(tool.error().type()).isEqualTo("tool");
    assertThat(tool.error().code()).isEqualTo("timeout");

    assertThat(d.batch().runRecords()).hasSize(1);
    RunRecord run = d.batch().runRecords().get(0);
    assertThat(run.runId()).isEqualTo(ROOT);
    assertThat(run.agentId()).isEqualTo("support");
    assertThat(run.failure().inferred()).as("the store names the cause").isTrue();
    assertThat(run.failure().stepId()).isEqualTo(ROOT);
    assertThat(run.failure().type()).isEqualTo("orchestration");
  }

  @Test
  void runWithoutErrorOrEnd_isRunning_andAnEndWithoutErrorIsOk() {
    LangSmithDecoder.Decoded started = decoder.decodeOne("p", body(run(ROOT, null, "llm", "")), false, null);
    assertThat(started.batch().stepRecords().get(0).status()).isNull();
    assertThat(started.batch().runRecords().get(0).failure()).isNull();
    LangSmithDecoder.Decoded ended = decoder.decodeOne("p",
        body("{\"trace_id\":\"" + ROOT + "\",\"end_time\":\"2026-11-22T10:00:01Z\",\"outputs\":{\"a\":1}}"), true, ROOT);
    StepRecord step = ended.batch().stepRecords().get(0);
    assertThat(step.stepId()).isEqualTo(ROOT);
    assertThat(step.status()).isEqualTo(StepStatus.OK);
    assertThat(step.type()).as("an update that names no type leaves it").isNull();
  }

  @Test
  void aRunThatIsNotAnObject_isAnItemError_theRestIsKept() {
    LangSmithDecoder.Decoded d = decoder.decodeBatch("p", body("{\"post\":[42," + run(ROOT, null, "llm", "") + "]}"));
    assertThat(d.batch().steps()).singleElement().satisfies(s -> assertThat(s.ref().id()).isEqualTo(ROOT));
    assertThat(d.batch().errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("post[0]"));
    assertThat(d.batch().sentSteps()).isEqualTo(2);
  }

  @Test
  void rejections_nameTheLangSmithRun_tracesFirst_thenRequestOrder() {
    LangSmithDecoder.Decoded d = decoder.decodeBatch("p",
        body("{\"post\":[" + run(ROOT, null, "chain", "") + ",42," + run(TOOL, ROOT, "tool", "") + "]}"));
    List<ItemError<LangSmithDecoder.RunRef>> rejected = new ArrayList<>();
    // as the pipeline reports them: the decoder's problems, then runs, then steps
    rejected.addAll(d.batch().errors());
    rejected.add(new ItemError<>(d.batch().runs().get(0).ref(), "bad run"));
    rejected.add(new ItemError<>(d.batch().steps().get(1).ref(), "bad tool"));

    assertThat(d.rejections(rejected)).extracting(LangSmithDecoder.Rejection::id, LangSmithDecoder.Rejection::message)
        .containsExactly(tuple(ROOT, "trace " + ROOT + ": bad run"),
            tuple(null, "post[1]: must be a run object, got a number"),
            tuple(TOOL, "bad tool"));
  }

  @Test
  void aBodyThatIsNotJson_isABadRequest() {
    assertThatThrownBy(() -> decoder.decodeBatch("p", body("{"))).isInstanceOf(BadRequest.class);
    assertThatThrownBy(() -> decoder.decodeBatch("p", body("[]"))).isInstanceOf(BadRequest.class)
        .hasMessageContaining("\"post\"");
  }
}
