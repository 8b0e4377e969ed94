package dev.sextant.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Stats;
import dev.sextant.sdk.Step;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the SDK produces is exactly what the real server's query API returns. */
@SuppressWarnings("try") // steps opened only to nest others are the point
class ITSdkAgainstServer {

  @RegisterExtension
  static final SextantServer server = new SextantServer();

  private static Sextant.Builder sdk(String agent) {
    return Sextant.builder()
        .agent(agent)
        .agentVersion("v1.0.0")
        .environment("test")
        .endpoint(server.endpoint())
        .apiKey(SextantServer.API_KEY)
        .shutdownHook(false);
  }

  @Test
  void aRunWithRetriesNestingTokensAndEvents_readsBackExactly() throws Exception {
    Sextant sextant = sdk("support-agent").mode(Sextant.Mode.INLINE).label("region", "eu_west").build();
    String runId;
    try (Run run = sextant.startRun("handle_ticket")) {
      runId = run.id();
      run.sessionId("conv-42").label("team", "billing").label("channel", "chat").metadata("ticket_priority", "high");
      run.step("plan", "analyze_query").metadata("intent", "billing_dispute").close();
      try (Step agent = run.step("agent", "resolve")) {
        int[] calls = {0};
        run.retry("tool", "billing_api", 3, step -> {
          step.metadata("http_status", ++calls[0] < 3 ? 503 : 200);
          if (calls[0] < 3) {
            throw new IOException("HTTP 503");
          }
          return "INV-77";
        });
        try (Step llm = run.step("llm", "generate_answer")) {
          llm.model("gpt-4o-mini").provider("openai").tokens(512, 128).costUsd(0.0031).timeToFirstTokenMs(120);
        }
      }
      try (Step stream = run.stream("stream_answer")) {
        for (int i = 0; i < 3; i++) {
          stream.emit("chunk", Map.of("index", i));
        }
      }
      run.step("respond", "send_reply").close();
    }
    sextant.close();
    assertThat(sextant.stats()).isEqualTo(new Stats(9, 9, 0, 0, 0, 0, 0, 0));

    JsonNode detail = server.get("/v1/runs/" + runId);
    JsonNode run = detail.get("run");
    assertThat(run.get("run_id").asText()).isEqualTo(runId);
    assertThat(run.get("agent_id").asText()).isEqualTo("support-agent");
    assertThat(run.get("agent_version").asText()).isEqualTo("v1.0.0");
    assertThat(run.get("environment").asText()).isEqualTo("test");
    assertThat(run.get("name").asText()).isEqualTo("handle_ticket");
    assertThat(run.get("session_id").asText()).isEqualTo("conv-42");
    Map<String, String> labels = new java.util.HashMap<>(map(run.get("labels")));
    // the system labels the SDK sets on every run are accepted by the server
    assertThat(labels.remove("sextant_pid")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    assertThat(labels.remove("sextant_runtime")).isEqualTo("java-" + Runtime.version());
    assertThat(labels.keySet().removeIf(k -> k.equals("sextant_sdk_version") || k.equals("sextant_host") || k.equals("sextant_os")))
        .isTrue();
    assertThat(labels).isEqualTo(Map.of("region", "eu_west", "team", "billing", "channel", "chat"));
    assertThat(run.get("status").asText()).isEqualTo("success");
    assertThat(run.get("step_count").asInt()).isEqualTo(8);
    assertThat(run.get("error_count").asInt()).isEqualTo(2);
    assertThat(run.get("retry_count").asInt()).isEqualTo(2);
    assertThat(run.get("input_tokens").asLong()).isEqualTo(512);
    assertThat(run.get("output_tokens").asLong()).isEqualTo(128);
    assertThat(run.get("cost_usd").asDouble()).isEqualTo(0.0031);
    assertThat(run.get("metadata").get("ticket_priority").asText()).isEqualTo("high");
    assertThat(detail.get("failure").isNull()).isTrue();

    List<JsonNode> steps = list(detail.get("steps"));
    assertThat(steps).extracting(s -> s.get("seq").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(steps).extracting(s -> s.get("type").asText() + ":" + s.get("name").asText()).containsExactly(
        "plan:analyze_query", "agent:resolve", "tool:billing_api", "tool:billing_api", "tool:billing_api",
        "llm:generate_answer", "stream:stream_answer", "respond:send_reply");
    assertThat(steps).extracting(s -> s.get("status").asText())
        .containsExactly("ok", "ok", "error", "error", "ok", "ok", "ok", "ok");
    String agentId = steps.get(1).get("step_id").asText();
    String firstAttempt = steps.get(2).get("step_id").asText();
    assertThat(steps).extracting(s -> text(s.get("parent_step_id")))
        .containsExactly(null, null, agentId, agentId, agentId, agentId, null, null);
    assertThat(steps).extracting(s -> s.get("attempt").asInt()).containsExactly(1, 1, 1, 2, 3, 1, 1, 1);
    assertThat(steps).extracting(s -> text(s.get("retry_of")))
        .containsExactly(null, null, null, firstAttempt, firstAttempt, null, null, null);
    assertThat(steps.get(2).get("error").get("type").asText()).isEqualTo("tool");
    assertThat(steps.get(2).get("error").get("code").asText()).isEqualTo("internal");
    JsonNode llm = steps.get(5);
    assertThat(llm.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(llm.get("input_tokens").asLong()).isEqualTo(512);
    assertThat(llm.get("output_tokens").asLong()).isEqualTo(128);
    assertThat(llm.get("cost_usd").asDouble()).isEqualTo(0.0031);

    JsonNode llmDetail = server.get("/v1/runs/" + runId + "/steps/" + llm.get("step_id").asText());
    assertThat(llmDetail.get("provider").asText()).isEqualTo("openai");
    assertThat(llmDetail.get("time_to_first_token_ms").asDouble()).isEqualTo(120.0);

    JsonNode tool = server.get("/v1/runs/" + runId + "/steps/" + steps.get(4).get("step_id").asText());
    assertThat(tool.get("metadata").get("http_status").asInt()).isEqualTo(200);

    JsonNode stream = server.get("/v1/runs/" + runId + "/steps/" + steps.get(6).get("step_id").asText());
    assertThat(list(stream.get("events"))).extracting(e -> e.get("name").asText() + e.get("attributes").get("index").asInt())
        .containsExactly("chunk0", "chunk1", "chunk2");
  }

  @Test
  void failedAndPartialRuns_readBackWithTheirFailure() throws Exception {
    Sextant sextant = sdk("failing-agent").mode(Sextant.Mode.INLINE).build();
    String failedId;
    String failedStep;
    try (Run run = sextant.startRun("tool_failure")) {
      failedId = run.id();
      Step tool = run.step("tool", "billing_api");
      failedStep = tool.id();
      assertThatThrownBy(() -> {
        try {
          throw new SocketTimeoutException("read timed out");
        } catch (SocketTimeoutException e) {
          tool.fail(e);
          throw e;
        } finally {
          tool.close();
        }
      }).isInstanceOf(SocketTimeoutException.class);
      run.recordFailure("tool", "timeout", "External API timeout after 30s");
    }
    String partialId;
    try (Run run = sextant.startRun("partial")) {
      partialId = run.id();
      run.step("retrieval", "search").error("retrieval", "empty_result", "nothing found").close();
      run.step("respond", "fallback_answer").close();
    }
    sextant.close();

    JsonNode failed = server.get("/v1/runs/" + failedId);
    assertThat(failed.get("run").get("status").asText()).isEqualTo("failure");
    assertThat(failed.get("failure").get("type").asText()).isEqualTo("tool");
    assertThat(failed.get("failure").get("code").asText()).isEqualTo("timeout");
    assertThat(failed.get("failure").get("step_id").asText()).isEqualTo(failedStep);
    JsonNode step = list(failed.get("steps")).get(0);
    assertThat(step.get("status").asText()).isEqualTo("timeout");
    assertThat(step.get("error").get("type").asText()).isEqualTo("tool");
    assertThat(step.get("error").get("code").asText()).isEqualTo("timeout");

    JsonNode partial = server.get("/v1/runs/" + partialId);
    assertThat(partial.get("run").get("status").asText()).isEqualTo("partial");
    assertThat(list(partial.get("steps"))).extracting(s -> s.get("status").asText()).containsExactly("error", "ok");

    JsonNode list = server.get("/v1/runs?agent=failing-agent&failure_type=tool");
    assertThat(list(list.get("runs"))).extracting(r -> r.get("run_id").asText()).containsExactly(failedId);
  }

  @Test
  void asyncMode_manyThreads_everyRunArrivesComplete() throws Exception {
    Sextant sextant = sdk("async-agent").maxBatchSize(64).flushInterval(Duration.ofMillis(100)).build();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int r = 0; r < 5; r++) {
          try (Run run = sextant.startRun("async_run")) {
            run.label("team", "billing").sessionId("conv-async");
            for (int s = 0; s < 10; s++) {
              run.step("tool", "step_" + s).metadata("index", s).close();
            }
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(sextant.flush(Duration.ofSeconds(20))).isTrue();
    sextant.close();
    Stats stats = sextant.stats();
    assertThat(stats.exported()).isEqualTo(stats.produced());
    assertThat(stats.dropped() + stats.failed()).isZero();

    JsonNode runs = server.get("/v1/runs?agent=async-agent&limit=1000");
    assertThat(list(runs.get("runs"))).hasSize(20).allSatisfy(run -> {
      assertThat(run.get("status").asText()).isEqualTo("success");
      assertThat(run.get("step_count").asInt()).isEqualTo(10);
      assertThat(run.get("labels").get("team").asText()).isEqualTo("billing");
      assertThat(run.get("session_id").asText()).isEqualTo("conv-async");
    });
  }

  @Test
  void aWrongApiKey_failsTheExportWithoutReachingTheCaller() {
    Sextant sextant = sdk("unauthorized-agent").apiKey("sk-wrong").mode(Sextant.Mode.INLINE).build();
    try (Run run = sextant.startRun("r")) {
      run.step("tool", "t").close();
    }
    sextant.close();
    Stats stats = sextant.stats();
    assertThat(stats.produced()).isEqualTo(2);
    assertThat(stats.failed()).isEqualTo(2);
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> out = new java.util.HashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
