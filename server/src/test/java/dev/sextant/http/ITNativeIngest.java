package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/ingest} against a real server and SQLite file: exact responses, errors included. */
class ITNativeIngest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonNode json(String s) {
    return Json.read(s);
  }

  static String run(String id, String status, String end) {
    return "{\"run_id\":\"" + id + "\",\"agent_id\":\"support-agent\",\"agent_version\":\"v1.0.0\","
        + "\"environment\":\"production\",\"name\":\"handle_ticket\",\"labels\":{\"team\":\"billing\"},"
        + "\"start_time\":\"2026-11-22T10:00:00.000000001Z\""
        + (end == null ? "" : ",\"end_time\":\"" + end + "\"") + ",\"status\":\"" + status + "\"}";
  }

  static String step(String runId, String id, int seq, String type, String status, String extra) {
    return "{\"run_id\":\"" + runId + "\",\"step_id\":\"" + id + "\",\"seq\":" + seq + ",\"type\":\"" + type
        + "\",\"name\":\"" + type + "_" + seq + "\",\"start_time\":\"2026-11-22T10:00:0" + seq
        + ".000Z\",\"end_time\":\"2026-11-22T10:00:0" + seq + ".500Z\",\"status\":\"" + status + "\"" + extra + "}";
  }

  static String body(List<String> runs, List<String> steps) {
    return "{\"runs\":[" + String.join(",", runs) + "],\"steps\":[" + String.join(",", steps) + "]}";
  }

  @Test
  void ingest_acceptsAndReadsBack() {
    String body = body(List.of(run("run-a", "failure", "2026-11-22T10:00:02.5Z")), List.of(
        step("run-a", "a1", 1, "plan", "ok", ""),
        step("run-a", "a2", 2, "llm", "ok",
            ",\"model\":\"gpt-4o\",\"provider\":\"openai\",\"input_tokens\":512,\"output_tokens\":128,\"cost_usd\":0.0031"),
        step("run-a", "a3", 3, "tool", "timeout",
            ",\"error\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"billing_api timed out\"},"
                + "\"metadata\":{\"http_status\":504,\"tool\":\"billing_api\",\"note\":\"free text here\"}")));
    TestServer.Response r = server.post("/v1/ingest", body);
    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r.body())).isEqualTo(json("{\"accepted\":{\"runs\":1,\"steps\":3},\"errors\":[]}"));

    JsonNode detail = json(server.get("/v1/runs/run-a").body());
    assertThat(detail.at("/run/status").asText()).isEqualTo("failure");
    assertThat(detail.at("/run/start_time").asText()).isEqualTo("2026-11-22T10:00:00.000000001Z");
    assertThat(detail.at("/run/duration_ms").asDouble()).isEqualTo(2499.999999);
    assertThat(detail.at("/run/step_count").asInt()).isEqualTo(3);
    assertThat(detail.at("/run/error_count").asInt()).isEqualTo(1);
    assertThat(detail.at("/run/input_tokens").asLong()).isEqualTo(512);
    assertThat(detail.at("/run/labels/team").asText()).isEqualTo("billing");
    assertThat(detail.path("steps")).hasSize(3);
    assertThat(detail.at("/steps/2/error")).isEqualTo(json("{\"type\":\"tool\",\"code\":\"timeout\",\"message\":null}"));

    JsonNode step = json(server.get("/v1/runs/run-a/steps/a3").body());
    assertThat(step.path("metadata")).isEqualTo(json("{\"http_status\":504,\"tool\":\"billing_api\"}"));
    assertThat(step.path("input").isNull()).isTrue();
    assertThat(step.path("normalization").isObject()).isTrue();
  }

  @Test
  void outOfOrderAndDuplicates_converge() {
    List<String> items = new ArrayList<>(List.of(
        body(List.of(run("run-b", "running", null)), List.of()),
        body(List.of(run("run-b", "success", "2026-11-22T10:00:09Z")), List.of()),
        body(List.of(), List.of(step("run-b", "b1", 1, "tool", "timeout", ",\"attempt\":1"))),
        body(List.of(), List.of(step("run-b", "b2", 2, "tool", "ok", ",\"attempt\":2,\"retry_of\":\"b1\""))),
        body(List.of(), List.of(step("run-b", "b3", 3, "llm", "ok", ",\"input_tokens\":10,\"output_tokens\":5")))));
    List<String> sends = new ArrayList<>(items);
    sends.addAll(items);
    Collections.shuffle(sends, new Random(3));
    for (String s : sends) assertThat(server.post("/v1/ingest", s).status()).isEqualTo(200);
    JsonNode run = json(server.get("/v1/runs/run-b").body()).path("run");
    assertThat(run.path("status").asText()).isEqualTo("success");
    assertThat(run.path("step_count").asInt()).isEqualTo(3);
    assertThat(run.path("retry_count").asInt()).isEqualTo(1);
    assertThat(run.path("error_count").asInt()).isEqualTo(1);
    assertThat(run.path("input_tokens").asInt()).isEqualTo(10);
    assertThat(json(server.get("/v1/runs?q=tool_2&limit=10").body()).path("runs")).hasSize(1);
  }

  @Test
  void badItems_rejectedOneByOne() {
    String body = body(
        List.of(run("ok-run", "success", "2026-11-22T10:00:01Z"),
            "{\"run_id\":\"bad-run\",\"labels\":{\"Team\":\"x\"}}",
            "{\"run_id\":\"bad-status\",\"status\":\"done\"}"),
        List.of(step("ok-run", "s1", 1, "llm", "ok", ""),
            "{\"run_id\":\"ok-run\",\"step_id\":\"s2\",\"input_tokens\":\"many\"}",
            "{\"run_id\":\"ok-run\"}",
            "{\"run_id\":\"ok-run\",\"step_id\":\"s4\",\"start_time\":\"yesterday\"}"));
    TestServer.Response r = server.post("/v1/ingest", body);
    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r.body())).isEqualTo(json("{\"accepted\":{\"runs\":1,\"steps\":1},\"errors\":["
        + "{\"kind\":\"run\",\"index\":1,\"message\":\"label key \\\"Team\\\" must match ^[a-z][a-z0-9_]{0,62}$\"},"
        + "{\"kind\":\"run\",\"index\":2,\"message\":\"status must be one of success, failure, partial, running, got \\\"done\\\"\"},"
        + "{\"kind\":\"step\",\"index\":1,\"message\":\"input_tokens must be an integer, got a string\"},"
        + "{\"kind\":\"step\",\"index\":2,\"message\":\"step_id is required\"},"
        + "{\"kind\":\"step\",\"index\":3,\"message\":\"start_time must be an RFC 3339 timestamp such as 2026-11-22T10:00:00.123456Z, got \\\"yesterday\\\"\"}]}"));
    assertThat(server.get("/v1/runs/bad-run").status()).isEqualTo(404);
    assertThat(server.get("/v1/runs/ok-run/steps/s1").status()).isEqualTo(200);
  }

  @Test
  void malformedBodies_are4xx() {
    assertError(server.post("/v1/ingest", "{not json"), 400, "invalid_json");
    assertError(server.post("/v1/ingest", "[1,2]"), 400, "invalid_body");
    assertError(server.post("/v1/ingest", "{\"runs\":{}}"), 400, "invalid_body");
    String deep = "{\"runs\":[{\"run_id\":\"d\",\"metadata\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}]}";
    assertError(server.post("/v1/ingest", deep), 400, "invalid_json");
    TestServer.Response xml = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "text/xml")
        .POST(HttpRequest.BodyPublishers.ofString("<runs/>")).build());
    assertError(xml, 415, "unsupported_media_type");
  }

  @Test
  void limits_are413() throws IOException {
    StringBuilder many = new StringBuilder("{\"steps\":[");
    for (int i = 0; i < 10_001; i++) many.append(i == 0 ? "" : ",").append("{}");
    many.append("]}");
    TestServer.Response tooMany = server.post("/v1/ingest", many.toString());
    assertError(tooMany, 413, "too_large");
    assertThat(json(tooMany.body()).path("message").asText()).contains("10001 steps; at most 10000");

    byte[] bomb = gzip(("{\"runs\":[{\"run_id\":\"x\",\"metadata\":{\"pad\":["
        + "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",".repeat(400_000) + "1]}}]}").getBytes(StandardCharsets.UTF_8));
    assertThat(bomb.length).isLessThan(100_000);
    TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(bomb)).build());
    assertError(r, 413, "too_large");

    String hugeString = "{\"runs\":[{\"run_id\":\"s\",\"input\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}]}";
    TestServer.Response tooLong = server.post("/v1/ingest", hugeString);
    assertError(tooLong, 400, "invalid_json");
    assertThat(json(tooLong.body()).path("message").asText()).isEqualTo("the body is not valid JSON: a JSON string is"
        + " longer than 1048576 characters, the limit per string: shorten the value or leave it out");

    String deep = "{\"runs\":[{\"run_id\":\"d\",\"metadata\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}]}";
    TestServer.Response tooDeep = server.post("/v1/ingest", deep);
    assertError(tooDeep, 400, "invalid_json");
    assertThat(json(tooDeep.body()).path("message").asText())
        .isEqualTo("the body is not valid JSON: the JSON is nested deeper than 32 levels, the limit: flatten the value");

    String longName = body(List.of("{\"run_id\":\"long\",\"name\":\"" + "n".repeat(300) + "\"}"), List.of());
    assertThat(json(server.post("/v1/ingest", longName).body()).at("/errors/0/message").asText())
        .isEqualTo("name must be at most 256 characters, got 300");
  }

  @Test
  void gzipBodies_accepted() throws IOException {
    byte[] gz = gzip(body(List.of(run("gz-run", "success", "2026-11-22T10:00:01Z")), List.of())
        .getBytes(StandardCharsets.UTF_8));
    TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz)).build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(server.get("/v1/runs/gz-run").status()).isEqualTo(200);
    TestServer.Response bad = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/ingest"))
        .header("Authorization", "Bearer " + TestServer.API_KEY).header("Content-Type", "application/json")
        .header("Content-Encoding", "br").POST(HttpRequest.BodyPublishers.ofByteArray(gz)).build());
    assertError(bad, 415, "unsupported_encoding");
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static void assertError(TestServer.Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonNode b = json(r.body());
    assertThat(b.path("error").asText()).isEqualTo(code);
    assertThat(b.path("message").asText()).isNotBlank();
  }
}
