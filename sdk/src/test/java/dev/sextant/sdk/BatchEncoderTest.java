package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();

  @Test
  void encode_writesTheNativeIngestFormat() {
    Sextant sextant = TestSdk.inline(clock, exporter).label("team", "billing").build();
    try (Run run = sextant.startRun("handle_ticket")) {
      run.sessionId("conv-42").metadata("priority", "high");
      clock.advance(java.time.Duration.ofNanos(123_456_789));
      Step plan = run.step("plan", "analyze_query");
      clock.advanceMillis(10);
      plan.close();
      Step tool = run.step("tool", "billing_api");
      tool.metadata("http_status", 504).error("tool", "timeout", "gateway \"timeout\"");
      tool.close();
      Step retry = run.step("tool", "billing_api").retryOf(tool).parent(plan);
      retry.emit("chunk", Map.of("seq", 1));
      retry.close();
      Step llm = run.step("llm", "answer");
      llm.model("gpt-4o-mini").provider("openai").tokens(512, 128).cacheReadTokens(400).reasoningTokens(64).costUsd(0.0031).timeToFirstTokenMs(12.5);
      llm.close();
      run.recordFailure("tool", "timeout", "billing_api timed out", tool);
    }

    Batch batch = exporter.batches.get(0);
    String json = new String(BatchEncoder.encode(batch), StandardCharsets.UTF_8);
    RunData run = batch.runs().get(0);
    List<StepData> steps = batch.steps();
    String planId = steps.get(0).stepId();
    String toolId = steps.get(1).stepId();
    String retryId = steps.get(2).stepId();
    String llmId = steps.get(3).stepId();
    assertThat(json).isEqualTo("{\"runs\":[{\"run_id\":\"" + run.runId() + "\",\"agent_id\":\"support-agent\","
        + "\"agent_version\":\"v1.0.0\",\"environment\":\"test\",\"name\":\"handle_ticket\",\"session_id\":\"conv-42\","
        + "\"labels\":{\"team\":\"billing\"},\"start_time\":\"2026-11-22T10:00:00.000000000Z\","
        + "\"end_time\":\"2026-11-22T10:00:00.133456789Z\",\"status\":\"failure\","
        + "\"failure\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"billing_api timed out\",\"step_id\":\"" + toolId + "\"},"
        + "\"metadata\":{\"priority\":\"high\"}}],"
        + "\"steps\":["
        + "{\"run_id\":\"" + run.runId() + "\",\"step_id\":\"" + planId + "\",\"seq\":1,\"type\":\"plan\",\"name\":\"analyze_query\","
        + "\"start_time\":\"2026-11-22T10:00:00.123456789Z\",\"end_time\":\"2026-11-22T10:00:00.133456789Z\","
        + "\"status\":\"ok\",\"attempt\":1},"
        + "{\"run_id\":\"" + run.runId() + "\",\"step_id\":\"" + toolId + "\",\"seq\":2,\"type\":\"tool\",\"name\":\"billing_api\","
        + "\"start_time\":\"2026-11-22T10:00:00.133456789Z\",\"end_time\":\"2026-11-22T10:00:00.133456789Z\","
        + "\"status\":\"timeout\",\"attempt\":1,"
        + "\"error\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"gateway \\\"timeout\\\"\"},"
        + "\"metadata\":{\"http_status\":504}},"
        + "{\"run_id\":\"" + run.runId() + "\",\"step_id\":\"" + retryId + "\",\"parent_step_id\":\"" + planId + "\","
        + "\"seq\":3,\"type\":\"tool\",\"name\":\"billing_api\","
        + "\"start_time\":\"2026-11-22T10:00:00.133456789Z\",\"end_time\":\"2026-11-22T10:00:00.133456789Z\","
        + "\"status\":\"ok\",\"attempt\":2,\"retry_of\":\"" + toolId + "\","
        + "\"events\":[{\"name\":\"chunk\",\"time\":\"2026-11-22T10:00:00.133456789Z\",\"attributes\":{\"seq\":1}}]},"
        + "{\"run_id\":\"" + run.runId() + "\",\"step_id\":\"" + llmId + "\",\"seq\":4,\"type\":\"llm\",\"name\":\"answer\","
        + "\"start_time\":\"2026-11-22T10:00:00.133456789Z\",\"end_time\":\"2026-11-22T10:00:00.133456789Z\","
        + "\"status\":\"ok\",\"attempt\":1,\"model\":\"gpt-4o-mini\",\"provider\":\"openai\","
        + "\"input_tokens\":512,\"output_tokens\":128,\"cache_read_tokens\":400,\"reasoning_tokens\":64,\"cost_usd\":0.0031,\"time_to_first_token_ms\":12.5}"
        + "]}");
  }

  @Test
  void encode_runningRun_hasNoEndTime_andDroppedEventsAreCountedInMetadata() {
    Sextant sextant = TestSdk.inline(clock, exporter).maxEventsPerStep(1).build();
    Run run = sextant.startRun("r");
    RunData running = ((SpanRun) run).snapshot(RunStatus.RUNNING);
    Step stream = run.stream("s");
    stream.emit("a").emit("b").emit("c");
    stream.close();
    run.close();
    String runJson = new String(BatchEncoder.encode(new Batch(List.of(running), List.of())), StandardCharsets.UTF_8);
    assertThat(runJson).contains("\"status\":\"running\"").doesNotContain("end_time");
    String stepJson = new String(BatchEncoder.encode(exporter.batches.get(0)), StandardCharsets.UTF_8);
    assertThat(stepJson).contains("\"metadata\":{\"events_dropped\":2}");
  }

  @Test
  void jsonWriter_escapesControlCharactersAndEncodesUtf8() {
    JsonWriter w = new JsonWriter(4);
    w.beginArray().value("a\"b\\c\n\t\u0001").value("é€😀").value("\uD800x").value(Double.NaN).value(1.5)
        .value(3.0).nullValue().any(Map.of("k", List.of(1, true))).any(new int[] {1, 2}).endArray();
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("[\"a\\\"b\\\\c\\n\\t\\u0001\",\"é€😀\",\"\uFFFDx\",null,1.5,3,null,{\"k\":[1,true]},[1,2]]");
  }

  @Test
  void jsonWriter_time_formatsNanosecondsInUtc() {
    JsonWriter w = new JsonWriter(4);
    w.beginArray().time(0).time(FakeClock.epochNanos("1999-12-31T23:59:59.000000001Z"))
        .time(FakeClock.epochNanos("2026-02-28T01:02:03.45Z")).endArray();
    assertThat(new String(w.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(
        "[\"1970-01-01T00:00:00.000000000Z\",\"1999-12-31T23:59:59.000000001Z\",\"2026-02-28T01:02:03.450000000Z\"]");
  }
}
