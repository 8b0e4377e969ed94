package dev.sextant.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real {@code langfuse} 3.39.2 npm package (legacy batch ingestion, Basic auth with the API
 * key's public id and secret) against a real server, read back through the query API.
 */
class ITLangfuseSdk {
  @Test
  void legacyIngestion_traceSpansGenerationEventScore() {
    try (TestServer server = TestServer.start()) {
      server.contentPolicy("full");
      JsonNode ids = Sdk.run(server, "langfuse.mjs", Map.of());
      String traceId = ids.path("trace").asText();
      JsonNode run = Sdk.get(server, "/v1/runs/" + traceId);
      String all = run.toPrettyString();

      assertThat(run.at("/run/name").asText()).isEqualTo("agent-run");
      assertThat(run.at("/run/agent_id").asText()).as("metadata agent_name names the agent").isEqualTo("support-bot");
      assertThat(run.at("/run/agent_version").asText()).isEqualTo("v3");
      assertThat(run.at("/run/session_id").asText()).isEqualTo("s1");
      assertThat(run.at("/run/labels")).isEqualTo(Json.read("{\"t1\":\"true\",\"team\":\"support\",\"tier\":\"gold\"}"));
      assertThat(run.at("/run/input/q").asText()).isEqualTo("hi");
      assertThat(run.at("/run/output/a").asText()).as("trace.update() output").isEqualTo("hello");
      assertThat(run.at("/run/metadata/langfuse/user_id").asText()).isEqualTo("u1");
      // a failing span and no run-level error: partial; ended at the latest observation
      assertThat(run.at("/run/status").asText()).as(all).isEqualTo("partial");
      assertThat(run.at("/run/end_time").isNull()).isFalse();
      assertThat(run.at("/run/error_count").asInt()).isEqualTo(1);
      // span, generation, event, failing span, score, late generation
      assertThat(run.at("/run/step_count").asInt()).as(all).isEqualTo(6);
      assertThat(run.at("/run/input_tokens").asLong()).as(all).isEqualTo(5 + 3);
      assertThat(run.at("/run/output_tokens").asLong()).isEqualTo(2 + 4);

      JsonNode span = Sdk.step(run, ids.path("span").asText());
      assertThat(span.path("type").asText()).isEqualTo("custom");
      assertThat(span.path("parent_step_id").isNull()).isTrue();
      assertThat(span.path("status").asText()).isEqualTo("ok");
      JsonNode generation = Sdk.step(run, ids.path("generation").asText());
      assertThat(generation.path("type").asText()).isEqualTo("llm");
      assertThat(generation.path("parent_step_id").asText()).isEqualTo(ids.path("span").asText());
      assertThat(generation.path("model").asText()).isEqualTo("gpt-test");
      assertThat(generation.path("input_tokens").asLong()).isEqualTo(5);
      assertThat(generation.path("output_tokens").asLong()).isEqualTo(2);
      JsonNode failing = Sdk.step(run, ids.path("failing").asText());
      assertThat(failing.path("status").asText()).as("a timeout is a status of its own").isEqualTo("timeout");
      assertThat(failing.path("error")).isEqualTo(Json.read(
          "{\"type\":\"unknown\",\"code\":\"timeout\",\"message\":\"TimeoutError: upstream took too long\"}"));
      JsonNode late = Sdk.step(run, ids.path("late").asText());
      assertThat(late.path("name").asText()).as("create after its update").isEqualTo("late-llm");
      assertThat(late.path("type").asText()).isEqualTo("llm");
      assertThat(late.path("model").asText()).isEqualTo("gpt-late");
      assertThat(late.path("input_tokens").asLong()).isEqualTo(3);
      assertThat(late.path("status").asText()).isEqualTo("ok");
      JsonNode event = null;
      JsonNode score = null;
      for (JsonNode s : run.path("steps")) {
        if (s.path("type").asText().equals("event")) event = s;
        if (s.path("type").asText().equals("evaluator")) score = s;
      }
      assertThat(event).as(all).isNotNull();
      assertThat(event.path("name").asText()).isEqualTo("evt");
      assertThat(score).as(all).isNotNull();
      assertThat(score.path("name").asText()).isEqualTo("quality");
      JsonNode scoreDetail = Sdk.get(server, "/v1/runs/" + traceId + "/steps/" + score.path("step_id").asText());
      assertThat(scoreDetail.at("/metadata/score_value").asDouble()).isEqualTo(0.9);
      assertThat(scoreDetail.at("/output/comment").asText()).isEqualTo("good answer");
      assertThat(scoreDetail.at("/events/0/name").asText()).isEqualTo("score");

      JsonNode genDetail = Sdk.get(server, "/v1/runs/" + traceId + "/steps/" + ids.path("generation").asText());
      assertThat(genDetail.at("/output/content").asText()).isEqualTo("hello");
      assertThat(genDetail.at("/metadata/langfuse/model_parameters/temperature").asDouble()).isEqualTo(0.1);
      assertThat(genDetail.at("/normalization/type").asText()).isEqualTo("langfuse generation-create");
    }
  }
}
