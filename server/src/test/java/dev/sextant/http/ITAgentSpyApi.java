package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.TestServer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agent Spy's dashboard paths answered from the store, in Agent Spy's shapes. */
class ITAgentSpyApi {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Instant T = Instant.now().minusSeconds(600);

  @BeforeAll
  static void start() {
    StringBuilder runs = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      if (i > 0) runs.append(',');
      runs.append("{\"run_id\":\"spy-").append(i).append("\",\"agent_id\":\"").append(i == 2 ? "billing" : "support")
          .append("\",\"name\":\"task_").append(i).append("\",\"start_time\":\"").append(T.plusSeconds(i))
          .append("\",\"end_time\":\"").append(T.plusSeconds(i).plusMillis(1500)).append("\",\"status\":\"")
          .append(i == 1 ? "failure\",\"failure\":{\"type\":\"tool\",\"code\":\"timeout\",\"step_id\":\"spy-1-t\"}" : "success\"")
          .append('}');
    }
    String steps = "{\"run_id\":\"spy-1\",\"step_id\":\"spy-1-a\",\"seq\":1,\"type\":\"agent\",\"name\":\"plan\","
        + "\"start_time\":\"" + T.plusSeconds(1) + "\",\"end_time\":\"" + T.plusSeconds(1).plusMillis(1400) + "\",\"status\":\"ok\"},"
        + "{\"run_id\":\"spy-1\",\"step_id\":\"spy-1-l\",\"parent_step_id\":\"spy-1-a\",\"seq\":2,\"type\":\"llm\",\"name\":\"chat\","
        + "\"start_time\":\"" + T.plusSeconds(1) + "\",\"end_time\":\"" + T.plusSeconds(1).plusMillis(300) + "\",\"status\":\"ok\","
        + "\"input_tokens\":100,\"output_tokens\":20},"
        + "{\"run_id\":\"spy-1\",\"step_id\":\"spy-1-t\",\"parent_step_id\":\"spy-1-a\",\"seq\":3,\"type\":\"retrieval\",\"name\":\"search\","
        + "\"start_time\":\"" + T.plusSeconds(1).plusMillis(300) + "\",\"end_time\":\"" + T.plusSeconds(1).plusMillis(1300)
        + "\",\"status\":\"timeout\",\"error\":{\"type\":\"tool\",\"code\":\"timeout\"}}";
    TestServer.Response r = server.post("/v1/ingest", "{\"runs\":[" + runs + "],\"steps\":[" + steps + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void roots_pageWithOffset_filterByProjectAndStatus() {
    JsonNode all = json(server.get("/api/v1/dashboard/runs/roots?limit=2").body());
    assertThat(all.path("total").asInt()).isEqualTo(3);
    assertThat(all.path("limit").asInt()).isEqualTo(2);
    assertThat(all.path("offset").asInt()).isZero();
    assertThat(all.path("has_more").asBoolean()).isTrue();
    assertThat(all.path("runs").get(0).path("id").asText()).isEqualTo("spy-2");
    JsonNode next = json(server.get("/api/v1/dashboard/runs/roots?limit=2&offset=2").body());
    assertThat(next.path("runs")).hasSize(1);
    assertThat(next.path("runs").get(0).path("id").asText()).isEqualTo("spy-0");
    assertThat(next.path("has_more").asBoolean()).isFalse();

    JsonNode failed = json(server.get("/api/v1/dashboard/runs/roots?status=failed&project_name=support").body());
    assertThat(failed.path("total").asInt()).isEqualTo(1);
    JsonNode run = failed.path("runs").get(0);
    assertThat(run.path("id").asText()).isEqualTo("spy-1");
    assertThat(run.path("run_type").asText()).isEqualTo("chain");
    assertThat(run.path("status").asText()).isEqualTo("failed");
    assertThat(run.path("project_name").asText()).isEqualTo("support");
    assertThat(run.path("duration_ms").asInt()).isEqualTo(1500);
    assertThat(run.path("prompt_tokens").asInt()).isEqualTo(100);
    assertThat(run.path("total_tokens").asInt()).isEqualTo(120);
    assertThat(run.path("parent_run_id").isNull()).isTrue();
    assertThat(run.path("inputs").isObject()).isTrue();
    assertThat(json(server.get("/api/v1/dashboard/runs/roots?status=completed").body()).path("total").asInt()).isEqualTo(2);
    assertError(server.get("/api/v1/dashboard/runs/roots?status=done"), 400, "invalid_parameter");
    assertError(server.get("/api/v1/dashboard/runs/roots?limit=201"), 400, "invalid_parameter");
  }

  @Test
  void hierarchy_nestsStepsAsChildRuns() {
    JsonNode h = json(server.get("/api/v1/dashboard/runs/spy-1/hierarchy").body());
    assertThat(h.path("root_run_id").asText()).isEqualTo("spy-1");
    assertThat(h.path("total_runs").asInt()).isEqualTo(4);
    assertThat(h.path("max_depth").asInt()).isEqualTo(2);
    JsonNode root = h.path("hierarchy");
    assertThat(root.path("status").asText()).isEqualTo("failed");
    JsonNode agent = root.path("children").get(0);
    assertThat(agent.path("id").asText()).isEqualTo("spy-1-a");
    assertThat(agent.path("parent_run_id").asText()).isEqualTo("spy-1");
    assertThat(agent.path("run_type").asText()).isEqualTo("chain");
    JsonNode search = agent.path("children").get(1);
    assertThat(search.path("run_type").asText()).isEqualTo("retriever");
    assertThat(search.path("status").asText()).isEqualTo("failed");
    assertThat(search.path("duration_ms").asInt()).isEqualTo(1000);
    assertThat(agent.path("children").get(0).path("run_type").asText()).isEqualTo("llm");
    assertError(server.get("/api/v1/dashboard/runs/nope/hierarchy"), 404, "not_found");
  }

  @Test
  void summary_countsRunsAndSteps() {
    JsonNode s = json(server.get("/api/v1/dashboard/stats/summary").body());
    JsonNode stats = s.path("stats");
    assertThat(stats.path("total_traces").asInt()).isEqualTo(3);
    assertThat(stats.path("total_runs").asInt()).isEqualTo(6);
    assertThat(stats.path("recent_runs_24h").asInt()).isEqualTo(6);
    assertThat(stats.path("status_distribution").path("failed").asInt()).isEqualTo(1);
    assertThat(stats.path("status_distribution").path("completed").asInt()).isEqualTo(2);
    assertThat(stats.path("run_type_distribution").path("chain").asInt()).isEqualTo(4);
    assertThat(stats.path("run_type_distribution").path("retriever").asInt()).isEqualTo(1);
    assertThat(stats.path("project_distribution").path("support").asInt()).isEqualTo(2);
    JsonNode recent = s.path("recent_projects");
    assertThat(recent).hasSize(2);
    assertThat(recent.get(0).path("name").asText()).isEqualTo("billing");
    assertThat(recent.get(1).path("total_runs").asInt()).isEqualTo(5);
    assertThat(s.path("timestamp").asText()).endsWith("Z");
  }
}
