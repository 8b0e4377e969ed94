package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/import/{format}} with the samples in {@code src/test/resources/seeds}, written
 * from each SDK's documented output: the runs, steps and failures they give.
 */
class ITSeedImports {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @BeforeAll
  static void start() {
    server.contentPolicy("full");
  }

  static String sample(String name) throws IOException {
    try (InputStream in = ITSeedImports.class.getResourceAsStream("/seeds/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static JsonNode importFile(TestServer s, String format, String file) throws IOException {
    TestServer.Response r = s.post("/v1/import/" + format, sample(file));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode b = json(r.body());
    assertThat(b.path("errors")).as(r.body()).isEmpty();
    return b;
  }

  static JsonNode step(JsonNode run, String name) {
    for (JsonNode s : run.path("steps")) if (s.path("name").asText().equals(name)) return s;
    throw new AssertionError("no step " + name + " in " + run);
  }

  static JsonNode detail(String runId, JsonNode step) {
    return json(server.get("/v1/runs/" + runId + "/steps/" + step.path("step_id").asText()).body());
  }

  @Test
  void aiobs_sessionBecomesARun_eventsBecomeSteps() throws IOException {
    JsonNode result = importFile(server, "aiobs", "aiobs.json");
    assertThat(result.path("accepted").path("runs").asInt()).isEqualTo(1);
    assertThat(result.path("accepted").path("steps").asInt()).isEqualTo(3);
    String id = "6f1c2a9e-3b7d-4e51-9a0c-2d8f4b6e1a01";
    JsonNode run = json(server.get("/v1/runs/" + id).body());
    JsonNode r = run.path("run");
    assertThat(r.path("agent_id").asText()).isEqualTo("aiobs");
    assertThat(r.path("name").asText()).isEqualTo("research-pipeline");
    assertThat(r.path("labels").path("team").asText()).isEqualTo("research");
    assertThat(r.path("start_time").asText()).isEqualTo("2025-12-02T10:00:00.125Z");
    assertThat(r.path("duration_ms").asDouble()).isEqualTo(4375.0);
    assertThat(r.path("status").asText()).isEqualTo("partial");
    assertThat(r.path("input_tokens").asLong()).isEqualTo(412);
    assertThat(r.path("metadata").path("meta").path("pid").asInt()).isEqualTo(48213);

    JsonNode research = step(run, "research");
    assertThat(research.path("type").asText()).isEqualTo("custom");
    assertThat(research.path("parent_step_id").isNull()).isTrue();
    JsonNode chat = step(run, "chat.completions.create");
    assertThat(chat.path("type").asText()).isEqualTo("llm");
    assertThat(chat.path("parent_step_id").asText()).isEqualTo(research.path("step_id").asText());
    assertThat(chat.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(chat.path("output_tokens").asLong()).isEqualTo(57);
    JsonNode chatDetail = detail(id, chat);
    assertThat(chatDetail.path("provider").asText()).isEqualTo("openai");
    assertThat(chatDetail.path("input").path("messages").get(0).path("content").asText()).isEqualTo("Summarise the findings");
    assertThat(chatDetail.path("metadata").path("callsite").path("line").asInt()).isEqualTo(42);
    JsonNode gemini = step(run, "models.generate_content");
    assertThat(gemini.path("status").asText()).isEqualTo("error");
    assertThat(gemini.path("error").path("type").asText()).isEqualTo("model");
    assertThat(gemini.path("error").path("code").asText()).isEqualTo("rate_limited");
    assertThat(detail(id, gemini).path("metadata").path("retry_budget").asInt()).as("unknown field kept").isEqualTo(3);
    assertThat(detail(id, research).path("input").path("kwargs").path("depth").asInt()).isEqualTo(2);
  }

  @Test
  void agentObservatory_spansBecomeSteps_streamEventsBecomeEvents_rootErrorIsTheFailure() throws IOException {
    JsonNode result = importFile(server, "agent-observatory", "agent-observatory.json");
    assertThat(result.path("accepted").path("steps").asInt()).isEqualTo(4);
    JsonNode run = json(server.get("/v1/runs/support-session-7").body());
    JsonNode r = run.path("run");
    assertThat(r.path("agent_id").asText()).isEqualTo("support-agent");
    assertThat(r.path("status").asText()).isEqualTo("failure");
    assertThat(r.path("duration_ms").asDouble()).isEqualTo(3000.0);
    assertThat(r.path("metadata").path("user_id").asText()).isEqualTo("user-314");
    assertThat(r.path("metadata").path("channel").asText()).isEqualTo("voice");
    JsonNode tool = step(run, "crm_lookup");
    assertThat(tool.path("type").asText()).isEqualTo("tool");
    // a timeout is a step status of its own on every ingest path
    assertThat(tool.path("status").asText()).isEqualTo("timeout");
    assertThat(tool.path("error").path("code").asText()).isEqualTo("timeout");
    assertThat(run.path("failure").path("type").asText()).isEqualTo("tool");
    assertThat(run.path("failure").path("code").asText()).isEqualTo("timeout");
    assertThat(run.path("failure").path("step_id").asText()).isEqualTo("t1");
    JsonNode agent = step(run, "handle_call");
    assertThat(agent.path("type").asText()).isEqualTo("agent");
    JsonNode llm = step(run, "plan_reply");
    assertThat(llm.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(llm.path("input_tokens").asLong()).isEqualTo(120);
    assertThat(llm.path("duration_ms").asDouble()).isEqualTo(700.0);
    JsonNode stream = detail("support-session-7", step(run, "speak"));
    assertThat(stream.path("type").asText()).isEqualTo("stream");
    assertThat(stream.path("event_count").asInt()).isEqualTo(2);
    assertThat(stream.path("events").get(1).path("attributes").path("bytes").asInt()).isEqualTo(3100);
    assertThat(stream.path("metadata").path("codec").asText()).isEqualTo("opus");
  }

  @Test
  void agentTracer_runsStepsAndRecordedFailure() throws IOException {
    JsonNode result = importFile(server, "agenttracer", "agenttracer.json");
    assertThat(result.path("accepted").path("runs").asInt()).isEqualTo(2);
    JsonNode failed = json(server.get("/v1/runs/0b6a8d1e-8f2c-4a77-9a51-1e0c6d3b9f10").body());
    assertThat(failed.path("run").path("status").asText()).isEqualTo("failure");
    assertThat(failed.path("run").path("agent_version").asText()).isEqualTo("1.0.0");
    assertThat(failed.path("failure").path("code").asText()).isEqualTo("timeout");
    assertThat(failed.path("failure").path("message").asText()).isEqualTo("API call failed after 3 attempts");
    List<String> types = new ArrayList<>();
    for (JsonNode s : failed.path("steps")) types.add(s.path("seq").asInt() + ":" + s.path("type").asText());
    assertThat(types).containsExactly("1:plan", "2:retrieval", "3:tool");
    JsonNode tool = step(failed, "call_external_api");
    assertThat(tool.path("status").asText()).isEqualTo("timeout");
    assertThat(tool.path("error").path("type").asText()).isEqualTo("tool");
    assertThat(failed.path("failure").path("step_id").asText()).isEqualTo(tool.path("step_id").asText());
    assertThat(detail("0b6a8d1e-8f2c-4a77-9a51-1e0c6d3b9f10", step(failed, "search_knowledge_base"))
        .path("metadata").path("result_count").asInt()).isEqualTo(10);
    JsonNode ok = json(server.get("/v1/runs/0b6a8d1e-8f2c-4a77-9a51-1e0c6d3b9f11").body());
    assertThat(ok.path("run").path("status").asText()).isEqualTo("success");
    assertThat(ok.path("run").path("metadata").path("sdk").asText()).isEqualTo("agenttrace-python");
    assertThat(step(ok, "compose_answer").path("type").asText()).isEqualTo("respond");
  }

  @Test
  void contentPolicy_holdsForImports() throws IOException {
    try (TestServer strict = TestServer.start()) {
      importFile(strict, "aiobs", "aiobs.json");
      JsonNode run = json(strict.get("/v1/runs/6f1c2a9e-3b7d-4e51-9a0c-2d8f4b6e1a01").body());
      JsonNode chat = step(run, "chat.completions.create");
      JsonNode d = json(strict.get("/v1/runs/6f1c2a9e-3b7d-4e51-9a0c-2d8f4b6e1a01/steps/" + chat.path("step_id").asText()).body());
      assertThat(d.path("input").isNull()).isTrue();
      assertThat(d.path("output").isNull()).isTrue();
      assertThat(chat.path("input_tokens").asLong()).isEqualTo(412);
    }
  }

  @Test
  void wrongShape_isExplained() {
    TestServer.Response aiobs = server.post("/v1/import/aiobs", "{\"runs\":[]}");
    assertError(aiobs, 400, "invalid_body");
    assertThat(json(aiobs.body()).path("message").asText()).startsWith("an aiobs export is a JSON object with a \"sessions\" array");
    TestServer.Response obs = server.post("/v1/import/agent-observatory", "{\"session\":{}}");
    assertError(obs, 400, "invalid_body");
    TestServer.Response tracer = server.post("/v1/import/agenttracer", "[{\"agent_id\":\"a\"}]");
    assertThat(tracer.status()).isEqualTo(200);
    assertThat(json(tracer.body()).path("errors").get(0).path("message").asText())
        .isEqualTo("an AgentTracer run must be an object with run_id (as start_run() posts it)");
    assertError(server.post("/v1/import/aiobs", "{nope"), 400, "invalid_json");
  }
}
