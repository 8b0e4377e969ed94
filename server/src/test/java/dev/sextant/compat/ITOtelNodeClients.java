package dev.sextant.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.Node;
import dev.sextant.testing.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real npm packages: OpenTelemetry JS exporters (OTLP/HTTP JSON, OTLP/HTTP protobuf with
 * gzip, OTLP/gRPC) on the Node tracer SDK, and Langfuse's OTel SDK, against a real server.
 * Results are read back through the query API.
 */
class ITOtelNodeClients {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());
  static Path project;

  @BeforeAll
  static void start() {
    project = Node.project("otel");
    Node.install(project);
  }

  static String run(String script, Map<String, String> env, String... args) {
    Node.Result r = Node.script(project, script, env, 60, args);
    assertThat(r.exit()).as(r.output()).isZero();
    String last = r.output().strip().lines().reduce((a, b) -> b).orElseThrow();
    return Json.read(last).get("traceId").asText();
  }

  static String otlp(String mode, String url) {
    Map<String, String> env = new HashMap<>();
    env.put("SEXTANT_OTLP_URL", url);
    env.put("SEXTANT_API_KEY", TestServer.API_KEY);
    return run("otlp.js", env, mode);
  }

  void assertAgentRun(String traceId, String agent) {
    TestServer.Response r = server.get("/v1/runs/" + traceId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode d = Json.read(r.body());
    JsonNode run = d.get("run");
    assertThat(run.get("agent_id").asText()).isEqualTo(agent);
    assertThat(run.get("agent_version").asText()).isEqualTo("3.1.0");
    assertThat(run.get("environment").asText()).isEqualTo("ci");
    assertThat(run.get("name").asText()).isEqualTo("invoke_agent planner");
    assertThat(run.get("session_id").asText()).isEqualTo("conv-7");
    assertThat(run.get("status").asText()).isEqualTo("failure");
    assertThat(run.get("step_count").asInt()).isEqualTo(5);
    assertThat(run.get("error_count").asInt()).isEqualTo(2);
    assertThat(run.get("input_tokens").asLong()).isEqualTo(130);
    assertThat(run.get("output_tokens").asLong()).isEqualTo(32);
    assertThat(d.get("failure").get("type").asText()).isEqualTo("tool");
    assertThat(d.get("failure").get("code").asText()).isEqualTo("timeout");

    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode s : d.get("steps")) byName.put(s.get("name").asText(), s);
    String root = byName.get("invoke_agent planner").get("step_id").asText();
    assertThat(byName.get("invoke_agent planner").get("type").asText()).isEqualTo("agent");
    assertThat(byName.get("invoke_agent planner").get("parent_step_id").isNull()).isTrue();

    JsonNode chat = byName.get("chat gpt-4o");
    assertThat(chat.get("type").asText()).isEqualTo("llm");
    assertThat(chat.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(chat.get("input_tokens").asLong()).isEqualTo(50);
    assertThat(chat.get("output_tokens").asLong()).isEqualTo(12);
    assertThat(chat.get("parent_step_id").asText()).isEqualTo(root);
    JsonNode chatFull = step(traceId, chat);
    assertThat(chatFull.get("provider").asText()).isEqualTo("openai");
    assertThat(chatFull.get("normalization").get("input_tokens").asText()).isEqualTo("gen_ai.usage.prompt_tokens");

    JsonNode oi = byName.get("ChatAnthropic");
    assertThat(oi.get("type").asText()).isEqualTo("llm");
    assertThat(oi.get("model").asText()).isEqualTo("claude-sonnet");
    assertThat(oi.get("input_tokens").asLong()).isEqualTo(80);
    assertThat(step(traceId, oi).get("normalization").get("type").asText()).isEqualTo("openinference.span.kind=LLM");

    JsonNode tool = byName.get("search_flights.tool");
    assertThat(tool.get("type").asText()).isEqualTo("tool");
    assertThat(tool.get("status").asText()).isEqualTo("ok");
    JsonNode failing = byName.get("execute_tool book_flight");
    assertThat(failing.get("parent_step_id").asText()).isEqualTo(tool.get("step_id").asText());
    assertThat(failing.get("status").asText()).isEqualTo("timeout");
    assertThat(failing.get("error").get("code").asText()).isEqualTo("timeout");
    JsonNode failingFull = step(traceId, failing);
    assertThat(failingFull.get("events").get(0).get("name").asText()).isEqualTo("exception");
    // metadata-only project: content is gone, safe metadata stays
    assertThat(chatFull.get("input").isNull()).isTrue();
    assertThat(chatFull.get("metadata").get("gen_ai.request.temperature").asDouble()).isEqualTo(0.2);
  }

  static JsonNode step(String traceId, JsonNode summary) {
    return Json.read(server.get("/v1/runs/" + traceId + "/steps/" + summary.get("step_id").asText()).body());
  }

  @Test
  void otlpHttpJsonExporter() {
    String traceId = otlp("http-json", server.baseUrl() + "/v1/traces");
    assertAgentRun(traceId, "node-agent-http-json");
  }

  @Test
  void otlpHttpProtobufExporter_gzip() {
    String traceId = otlp("http-proto", "http://127.0.0.1:" + server.server().otlpHttpPort() + "/v1/traces");
    assertAgentRun(traceId, "node-agent-http-proto");
  }

  @Test
  void otlpGrpcExporter() {
    String traceId = otlp("grpc", "http://127.0.0.1:" + server.server().otlpGrpcPort());
    assertAgentRun(traceId, "node-agent-grpc");
  }

  @Test
  void langfuseOtelSdk_agentWithToolAndGeneration() {
    Map<String, String> env = new HashMap<>();
    env.put("LANGFUSE_BASE_URL", server.baseUrl());
    env.put("LANGFUSE_PUBLIC_KEY", "pk-sextant-default");
    env.put("LANGFUSE_SECRET_KEY", TestServer.API_KEY);
    String traceId = run("langfuse.js", env);
    TestServer.Response r = server.get("/v1/runs/" + traceId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode d = Json.read(r.body());
    JsonNode run = d.get("run");
    assertThat(run.get("name").asText()).isEqualTo("support-agent");
    assertThat(run.get("environment").asText()).isEqualTo("langfuse-ci");
    assertThat(run.get("status").asText()).isEqualTo("success");
    assertThat(run.get("step_count").asInt()).isEqualTo(3);
    assertThat(run.get("input_tokens").asLong()).isEqualTo(42);
    assertThat(run.get("output_tokens").asLong()).isEqualTo(9);
    assertThat(run.get("cost_usd").asDouble()).isEqualTo(0.0012);
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode s : d.get("steps")) byName.put(s.get("name").asText(), s);
    String agent = byName.get("support-agent").get("step_id").asText();
    assertThat(byName.get("support-agent").get("type").asText()).isEqualTo("agent");
    assertThat(byName.get("track_parcel").get("type").asText()).isEqualTo("tool");
    assertThat(byName.get("track_parcel").get("parent_step_id").asText()).isEqualTo(agent);
    JsonNode gen = byName.get("answer");
    assertThat(gen.get("type").asText()).isEqualTo("llm");
    assertThat(gen.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(gen.get("parent_step_id").asText()).isEqualTo(agent);
    JsonNode full = step(traceId, gen);
    assertThat(full.get("normalization").get("type").asText()).isEqualTo("langfuse.observation.type=generation");
    assertThat(full.get("input").isNull()).isTrue();
  }
}
