package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Costs computed from the price table on every ingest path, the price API, unknown models and the
 * cost analytics of {@code /v1/stats} and {@code /v1/runs?sort=cost}.
 */
class ITCosts {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Instant T = Instant.now().minusSeconds(3600);
  // gpt-4o-mini today: input 0.15, cached input 0.075, output 0.60 USD per million tokens
  static final double MINI_1M_IN_1M_OUT = 0.15 + 0.60;

  static JsonNode json(TestServer.Response r) {
    assertThat(r.status()).as(r.body()).isBetween(200, 299);
    return Json.read(r.body());
  }

  static String nativeRun(String runId, String stepFields) {
    return "{\"runs\":[{\"run_id\":\"" + runId + "\",\"agent_id\":\"costs\",\"agent_version\":\"v1\",\"start_time\":\""
        + T + "\",\"end_time\":\"" + T.plusSeconds(2) + "\",\"status\":\"success\"}],\"steps\":[{\"run_id\":\"" + runId
        + "\",\"step_id\":\"s1\",\"seq\":1,\"type\":\"llm\",\"name\":\"answer\",\"start_time\":\"" + T.plusMillis(10)
        + "\",\"end_time\":\"" + T.plusMillis(900) + "\",\"status\":\"ok\"" + stepFields + "}]}";
  }

  static JsonNode step(String runId, String stepId) {
    return json(server.get("/v1/runs/" + runId + "/steps/" + stepId));
  }

  @Test
  void native_tokensWithoutCost_areComputed_sentCostsKept() {
    json(server.post("/v1/ingest", nativeRun("n-computed",
        ",\"model\":\"gpt-4o-mini-2024-07-18\",\"provider\":\"openai\",\"input_tokens\":1000000,\"output_tokens\":1000000")));
    JsonNode s = step("n-computed", "s1");
    assertThat(s.path("cost_usd").asDouble()).isCloseTo(MINI_1M_IN_1M_OUT, within(1e-9));
    assertThat(s.path("cost_source").asText()).isEqualTo("computed");
    JsonNode run = json(server.get("/v1/runs/n-computed"));
    assertThat(run.at("/run/cost_usd").asDouble()).isCloseTo(MINI_1M_IN_1M_OUT, within(1e-9));
    assertThat(run.at("/steps/0/cost_source").asText()).isEqualTo("computed");

    json(server.post("/v1/ingest", nativeRun("n-sent",
        ",\"model\":\"gpt-4o-mini\",\"input_tokens\":1000000,\"output_tokens\":1000000,\"cost_usd\":0.01")));
    assertThat(step("n-sent", "s1").path("cost_usd").asDouble()).isEqualTo(0.01);
    assertThat(step("n-sent", "s1").path("cost_source").asText()).isEqualTo("sent");
  }

  @Test
  void otlp_genAiSpanWithUsage_isPriced() {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    long start = T.getEpochSecond() * 1_000_000_000L;
    String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"costs-otel\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + trace + "\","
        + "\"spanId\":\"b7ad6b7169203331\",\"name\":\"chat claude-3-5-haiku\",\"kind\":3,\"startTimeUnixNano\":\""
        + start + "\",\"endTimeUnixNano\":\"" + (start + 800_000_000L) + "\",\"attributes\":["
        + "{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},"
        + "{\"key\":\"gen_ai.system\",\"value\":{\"stringValue\":\"anthropic\"}},"
        + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"claude-3-5-haiku-20241022\"}},"
        + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"2000000\"}},"
        + "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\"500000\"}}]}]}]}]}";
    TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/traces"))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode s = step(trace, "b7ad6b7169203331");
    // claude-3-5-haiku: 0.80 in, 4.00 out
    assertThat(s.path("cost_usd").asDouble()).isCloseTo(2 * 0.80 + 0.5 * 4.00, within(1e-9));
    assertThat(s.path("cost_source").asText()).isEqualTo("computed");
  }

  @Test
  void langfuse_modelOnCreate_usageOnUpdate_isPricedOnce() {
    String trace = "lf-cost-trace";
    String gen = "lf-cost-gen";
    String t = T.toString();
    String events = "{\"batch\":["
        + "{\"id\":\"e1\",\"type\":\"trace-create\",\"timestamp\":\"" + t + "\",\"body\":{\"id\":\"" + trace
        + "\",\"name\":\"chat\",\"timestamp\":\"" + t + "\"}},"
        + "{\"id\":\"e3\",\"type\":\"generation-update\",\"timestamp\":\"" + t + "\",\"body\":{\"id\":\"" + gen
        + "\",\"traceId\":\"" + trace + "\",\"endTime\":\"" + T.plusSeconds(1) + "\",\"usageDetails\":"
        + "{\"prompt_tokens\":1000000,\"completion_tokens\":1000000,\"prompt_tokens_details\":{\"cached_tokens\":400000}}}},"
        + "{\"id\":\"e2\",\"type\":\"generation-create\",\"timestamp\":\"" + t + "\",\"body\":{\"id\":\"" + gen
        + "\",\"traceId\":\"" + trace + "\",\"name\":\"llm\",\"model\":\"gpt-4o-mini\",\"startTime\":\"" + t + "\"}}]}";
    String basic = "Basic " + Base64.getEncoder()
        .encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
    TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/public/ingestion"))
        .header("Authorization", basic).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(events)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    JsonNode s = step(trace, gen);
    assertThat(s.path("cost_usd").asDouble()).isCloseTo(0.6 * 0.15 + 0.4 * 0.075 + 0.60, within(1e-9));
    assertThat(s.path("cost_source").asText()).isEqualTo("computed");
  }

  @Test
  void projectPrice_appliesToLaterIngests_andUnknownModelsAreListed() {
    String admin = server.newKey("default", "admin", "read", "ingest");
    TestServer.Response bad = server.call("PUT", "/v1/prices", admin, "{\"model\":\"acme-ft\",\"input\":1}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("effective_from is required");
    TestServer.Response readOnly = server.call("PUT", "/v1/prices", server.newKey("default", "read"),
        "{\"model\":\"acme-ft\",\"effective_from\":\"2020-01-01\",\"input\":1,\"output\":1}");
    assertThat(readOnly.status()).isEqualTo(403);

    json(server.post("/v1/ingest", nativeRun("u-before", ",\"model\":\"acme-ft-2025-01-01\",\"input_tokens\":1000000")));
    JsonNode unknown = json(server.get("/v1/prices/unknown"));
    assertThat(models(unknown.path("models"))).contains("acme-ft-2025-01-01");
    assertThat(step("u-before", "s1").path("cost_usd").isNull()).isTrue();

    JsonNode put = json(server.call("PUT", "/v1/prices", admin, "{\"prices\":[{\"model\":\"acme-ft\","
        + "\"effective_from\":\"2020-01-01\",\"input\":3,\"output\":6}]}"));
    assertThat(put.path("accepted").asInt()).isEqualTo(1);
    JsonNode listed = json(server.get("/v1/prices"));
    assertThat(listed.path("unit").asText()).isEqualTo("USD per million tokens");
    JsonNode acme = null;
    for (JsonNode p : listed.path("prices")) if (p.path("model").asText().equals("acme-ft")) acme = p;
    assertThat(acme).isNotNull();
    assertThat(acme.path("source").asText()).isEqualTo("project");
    assertThat(models(json(server.get("/v1/prices/unknown")).path("models"))).doesNotContain("acme-ft-2025-01-01");

    json(server.post("/v1/ingest", nativeRun("u-after", ",\"model\":\"acme-ft-2025-01-01\",\"input_tokens\":1000000")));
    assertThat(step("u-after", "s1").path("cost_usd").asDouble()).isCloseTo(3.0, within(1e-9));

    assertThat(server.call("DELETE", "/v1/prices?model=acme-ft&effective_from=2020-01-01", admin, null).status())
        .isEqualTo(204);
    assertThat(server.call("DELETE", "/v1/prices?model=acme-ft&effective_from=2020-01-01", admin, null).status())
        .isEqualTo(404);
    assertThat(server.call("DELETE", "/v1/prices?model=acme-ft&effective_from=yesterday", admin, null).body())
        .contains("YYYY-MM-DD");
  }

  @Test
  void stats_costByModelAndStepType_andRunsByCost() {
    for (int i = 1; i <= 3; i++) {
      json(server.post("/v1/ingest", nativeRun("rank-" + i,
          ",\"model\":\"gpt-4o-mini\",\"input_tokens\":" + (i * 1_000_000) + ",\"output_tokens\":0")));
    }
    JsonNode stats = json(server.get("/v1/stats?agent=costs"));
    JsonNode mini = null;
    for (JsonNode m : stats.path("by_model")) if (m.path("model").asText().startsWith("gpt-4o-mini")) mini = m;
    assertThat(mini).as(stats.toString()).isNotNull();
    assertThat(mini.path("steps").asLong()).isPositive();
    assertThat(stats.path("by_step_type").get(0).has("cost_usd")).isTrue();
    List<String> ranked = new ArrayList<>();
    for (JsonNode r : json(server.get("/v1/runs?agent=costs&sort=cost&limit=1000")).path("runs")) {
      if (r.path("run_id").asText().startsWith("rank-")) ranked.add(r.path("run_id").asText());
    }
    assertThat(ranked).containsExactly("rank-3", "rank-2", "rank-1");
    assertThat(server.get("/v1/runs?sort=price").body()).contains("start_time, duration or cost");
  }

  private static List<String> models(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(m -> out.add(m.path("model").asText()));
    return out;
  }
}
