package dev.sextant.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real {@code langsmith} 0.12.0 npm package, {@code traceable} nested functions, against a
 * real server, read back through the query API. One test per way the SDK can send: multipart
 * (its default), {@code /runs/batch} (when {@code /info} says so) and single {@code POST /runs} +
 * {@code PATCH} (with auto-batching off).
 */
class ITLangSmithSdk {
  @Test
  void multipart_defaultPath_metadataOnlyPolicy() {
    try (TestServer server = TestServer.start()) {
      JsonNode ids = Sdk.run(server, "langsmith.mjs", mode("multipart"));
      JsonNode run = assertTree(server, ids);
      // metadata-only (the default policy): content is gone, codes and safe metadata stay
      assertThat(run.at("/run/input").isNull()).isTrue();
      assertThat(Sdk.step(run, ids.path("tool").asText()).at("/error/message").isNull()).isTrue();
      JsonNode llm = Sdk.get(server, "/v1/runs/" + ids.path("agent").asText() + "/steps/" + ids.path("llm").asText());
      assertThat(llm.path("output").isNull()).isTrue();
      assertThat(llm.at("/metadata/ls_model_name").asText()).isEqualTo("gpt-test");
      // feedback sent as a multipart part becomes an evaluator step under the run it rates
      JsonNode feedback = null;
      for (JsonNode s : run.path("steps")) if (s.path("type").asText().equals("evaluator")) feedback = s;
      assertThat(feedback).as(run.toString()).isNotNull();
      assertThat(feedback.path("name").asText()).isEqualTo("quality");
      assertThat(feedback.path("parent_step_id").asText()).isEqualTo(ids.path("agent").asText());
      assertThat(run.at("/run/step_count").asInt()).isEqualTo(5);
    }
  }

  @Test
  void batch_whenInfoSaysNoMultipart() {
    try (TestServer server = TestServer.start(c -> c.toBuilder().langsmithMultipart(false).build())) {
      assertThat(Sdk.get(server, "/info").at("/batch_ingest_config/use_multipart_endpoint").asBoolean()).isFalse();
      server.contentPolicy("full");
      JsonNode ids = Sdk.run(server, "langsmith.mjs", mode("batch"));
      JsonNode run = assertTree(server, ids);
      assertThat(run.at("/run/step_count").asInt()).isEqualTo(4);
      assertContent(server, ids, run);
    }
  }

  @Test
  void single_whenAutoBatchingIsOff() {
    try (TestServer server = TestServer.start()) {
      server.contentPolicy("full");
      JsonNode ids = Sdk.run(server, "langsmith.mjs", mode("single"));
      JsonNode run = assertTree(server, ids);
      assertThat(run.at("/run/step_count").asInt()).isEqualTo(4);
      assertContent(server, ids, run);
    }
  }

  private static Map<String, String> mode(String mode) {
    return Map.of("LANGSMITH_TRACING", "true", "SEXTANT_MODE", mode);
  }

  /** What every mode must produce: the run, its nesting, types, tokens, errors, agent and status. */
  private static JsonNode assertTree(TestServer server, JsonNode ids) {
    String agent = ids.path("agent").asText();
    JsonNode run = Sdk.get(server, "/v1/runs/" + agent);
    assertThat(run.at("/run/name").asText()).isEqualTo("agent");
    assertThat(run.at("/run/agent_id").asText()).isEqualTo("compat-agent");
    assertThat(run.at("/run/agent_version").asText()).isEqualTo("v2");
    assertThat(run.at("/run/labels")).isEqualTo(Json.read("{\"team\":\"search\",\"t1\":\"true\",\"user\":\"u1\"}"));
    // the tool failed but the agent recovered: partial, not failure
    assertThat(run.at("/run/status").asText()).isEqualTo("partial");
    assertThat(run.at("/run/error_count").asInt()).isEqualTo(1);
    assertThat(run.at("/run/input_tokens").asLong()).isEqualTo(5);
    assertThat(run.at("/run/output_tokens").asLong()).isEqualTo(2);
    assertThat(run.at("/run/end_time").isNull()).isFalse();

    JsonNode root = Sdk.step(run, agent);
    assertThat(root.path("parent_step_id").isNull()).isTrue();
    assertThat(root.path("type").asText()).isEqualTo("chain");
    JsonNode llm = Sdk.step(run, ids.path("llm").asText());
    assertThat(llm.path("parent_step_id").asText()).isEqualTo(agent);
    assertThat(llm.path("type").asText()).isEqualTo("llm");
    assertThat(llm.path("model").asText()).isEqualTo("gpt-test");
    assertThat(llm.path("input_tokens").asLong()).isEqualTo(5);
    assertThat(llm.path("status").asText()).isEqualTo("ok");
    JsonNode tool = Sdk.step(run, ids.path("tool").asText());
    assertThat(tool.path("parent_step_id").asText()).isEqualTo(agent);
    assertThat(tool.path("type").asText()).isEqualTo("tool");
    assertThat(tool.path("status").asText()).isEqualTo("error");
    assertThat(tool.at("/error/type").asText()).isEqualTo("tool");
    assertThat(tool.at("/error/code").asText()).isEqualTo("error");

    JsonNode llmDetail = Sdk.get(server, "/v1/runs/" + agent + "/steps/" + ids.path("llm").asText());
    assertThat(llmDetail.path("provider").asText()).isEqualTo("openai");
    assertThat(llmDetail.at("/normalization/type").asText()).isEqualTo("run_type=llm");

    // the slow root was sent as a create first and ended (with an error) in a later message
    JsonNode slow = Sdk.get(server, "/v1/runs/" + ids.path("slow").asText());
    assertThat(slow.at("/run/status").asText()).isEqualTo("failure");
    assertThat(slow.at("/run/name").asText()).isEqualTo("slow_agent");
    assertThat(slow.at("/failure/code").asText()).isEqualTo("type_error");
    assertThat(slow.at("/failure/step_id").asText()).isEqualTo(ids.path("slow").asText());
    assertThat(slow.at("/run/duration_ms").asDouble()).isGreaterThanOrEqualTo(300);
    return run;
  }

  private static void assertContent(TestServer server, JsonNode ids, JsonNode run) {
    String agent = ids.path("agent").asText();
    assertThat(run.at("/run/input/input").asText()).isEqualTo("hello");
    assertThat(run.at("/run/output/answer").asText()).isEqualTo("hi");
    assertThat(Sdk.step(run, ids.path("tool").asText()).at("/error/message").asText()).isEqualTo("Error: boom");
    JsonNode slow = Sdk.get(server, "/v1/runs/" + ids.path("slow").asText());
    assertThat(slow.at("/failure/message").asText()).isEqualTo("TypeError: bad input");
    JsonNode llm = Sdk.get(server, "/v1/runs/" + agent + "/steps/" + ids.path("llm").asText());
    assertThat(llm.at("/output/choices/0/message/content").asText()).isEqualTo("hi");
  }
}
