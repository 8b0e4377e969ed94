package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.TestServer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/scores}, {@code GET /v1/scores} and the {@code score} filter of {@code GET /v1/runs}. */
class ITScores {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Instant T = Instant.now().minusSeconds(600);

  @BeforeAll
  static void start() {
    StringBuilder runs = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      if (i > 0) runs.append(',');
      runs.append("{\"run_id\":\"sc-").append(i).append("\",\"agent_id\":\"support\",\"name\":\"task\",\"start_time\":\"")
          .append(T.plusSeconds(i)).append("\",\"end_time\":\"").append(T.plusSeconds(i).plusMillis(500))
          .append("\",\"status\":\"success\"}");
    }
    TestServer.Response r = server.post("/v1/ingest", "{\"runs\":[" + runs + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void create_one_and_many_thenListAndFilterRuns() {
    TestServer.Response one = server.post("/v1/scores",
        "{\"run_id\":\"sc-0\",\"name\":\"accuracy\",\"value\":0.9,\"comment\":\"a customer's name: Jane\"}");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(json(one.body()).path("accepted").asInt()).isEqualTo(1);
    TestServer.Response many = server.post("/v1/scores", "{\"scores\":["
        + "{\"score_id\":\"fixed-1\",\"run_id\":\"sc-1\",\"step_id\":\"st\",\"name\":\"accuracy\",\"value\":0.3},"
        + "{\"run_id\":\"sc-2\",\"name\":\"thumbs\",\"value\":true,\"metadata\":{\"reviewer\":\"u-7\"}},"
        + "{\"run_id\":\"sc-2\",\"name\":\"verdict\",\"value\":\"correct\",\"created_at\":\"2026-11-22T10:00:00Z\"}]}");
    assertThat(many.status()).as(many.body()).isEqualTo(200);
    assertThat(json(many.body()).path("score_ids").get(0).asText()).isEqualTo("fixed-1");

    JsonNode listed = json(server.get("/v1/scores?run_id=sc-2").body());
    assertThat(listed.path("scores")).hasSize(2);
    JsonNode verdict = listed.path("scores").get(1);
    assertThat(verdict.path("string_value").asText()).isEqualTo("correct");
    assertThat(verdict.path("value").isNull()).isTrue();
    assertThat(verdict.path("created_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
    JsonNode thumbs = listed.path("scores").get(0);
    assertThat(thumbs.path("value").asDouble()).isEqualTo(1.0);
    assertThat(thumbs.path("source").asText()).isEqualTo("api");
    assertThat(thumbs.at("/metadata/reviewer").asText()).isEqualTo("u-7");
    // metadata-only (the default policy): the comment is free text and is not kept
    JsonNode acc = json(server.get("/v1/scores?run_id=sc-0&name=accuracy").body()).path("scores").get(0);
    assertThat(acc.path("comment").isNull()).isTrue();
    assertThat(acc.path("value").asDouble()).isEqualTo(0.9);

    assertThat(runIds("/v1/runs?score=accuracy")).containsExactly("sc-1", "sc-0");
    assertThat(runIds("/v1/runs?score=accuracy%3E%3D0.5")).containsExactly("sc-0");
    assertThat(runIds("/v1/runs?score=accuracy%3C%3D0.5")).containsExactly("sc-1");
    assertThat(runIds("/v1/runs?score=thumbs%3D1")).containsExactly("sc-2");
    assertThat(runIds("/v1/runs?score=accuracy&score=thumbs")).isEmpty();
    assertThat(json(server.get("/v1/stats?score=accuracy").body()).at("/runs/total").asInt()).isEqualTo(2);
  }

  @Test
  void langfuseScores_areStoredAsScoresToo() {
    String t = T.toString();
    String body = "{\"batch\":[{\"id\":\"e1\",\"type\":\"trace-create\",\"timestamp\":\"" + t + "\",\"body\":"
        + "{\"id\":\"lf-trace-1\",\"name\":\"answer\",\"timestamp\":\"" + t + "\"}},"
        + "{\"id\":\"e2\",\"type\":\"score-create\",\"timestamp\":\"" + t + "\",\"body\":{\"id\":\"lf-score-1\","
        + "\"traceId\":\"lf-trace-1\",\"name\":\"quality\",\"value\":0.75,\"source\":\"API\",\"dataType\":\"NUMERIC\"}}]}";
    String basic = java.util.Base64.getEncoder().encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes());
    TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.baseUrl() + "/api/public/ingestion"))
        .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    assertThat(json(r.body()).path("errors")).as(r.body()).isEmpty();
    JsonNode scores = json(server.get("/v1/scores?run_id=lf-trace-1").body()).path("scores");
    assertThat(scores).hasSize(1);
    assertThat(scores.get(0).path("score_id").asText()).isEqualTo("lf-score-1");
    assertThat(scores.get(0).path("name").asText()).isEqualTo("quality");
    assertThat(scores.get(0).path("value").asDouble()).isEqualTo(0.75);
    assertThat(scores.get(0).path("source").asText()).isEqualTo("api");
    assertThat(scores.get(0).at("/metadata/protocol").asText()).isEqualTo("langfuse");
    assertThat(runIds("/v1/runs?score=quality%3E%3D0.5")).containsExactly("lf-trace-1");
  }

  @Test
  void badInput_isA400SayingWhat() {
    assertError(server.post("/v1/scores", "{\"name\":\"x\",\"value\":1}"), 400, "invalid_score", "run_id is required");
    assertError(server.post("/v1/scores", "{\"run_id\":\"r\",\"name\":\"x\"}"), 400, "invalid_score", "value is required");
    assertError(server.post("/v1/scores", "{\"run_id\":\"r\",\"name\":\"x\",\"value\":[1]}"), 400, "invalid_score",
        "value must be a number, a boolean or a string");
    assertError(server.post("/v1/scores", "{\"scores\":[{\"run_id\":\"r\",\"name\":\"x\",\"value\":1},{\"run_id\":\"r\"}]}"),
        400, "invalid_score", "scores[1]: name is required");
    assertError(server.post("/v1/scores", "{\"run_id\":"), 400, "invalid_json", "not valid JSON");
    assertError(server.get("/v1/runs?score=accuracy%3E0.5"), 400, "invalid_parameter", "score must be");
    assertError(server.get("/v1/runs?score=accuracy%3E%3Dhigh"), 400, "invalid_parameter", "score must be");
    // nothing of a refused request was stored
    assertThat(json(server.get("/v1/scores?run_id=r").body()).path("scores")).isEmpty();
  }

  private static void assertError(TestServer.Response r, int status, String code, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(json(r.body()).path("error").asText()).as(r.body()).isEqualTo(code);
    assertThat(json(r.body()).path("message").asText()).as(r.body()).contains(message);
  }

  private static java.util.List<String> runIds(String path) {
    TestServer.Response r = server.get(path);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode run : json(r.body()).path("runs")) out.add(run.path("run_id").asText());
    return out;
  }
}
