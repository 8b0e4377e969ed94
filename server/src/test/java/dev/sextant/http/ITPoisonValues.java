package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values that overflow or invert are stopped at the edge with a per-item error, sums cannot
 * overflow, and the statistics stay answerable: no client value turns into a 5xx, and negative
 * durations never become latencies.
 */
class ITPoisonValues {
  static TestServer server;
  static final String QUERIES = "/v1/stats,/v1/timeseries,/v1/compare?a=v1&b=v2";

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String step(String run, String step, String extra) {
    return "{\"run_id\":\"" + run + "\",\"step_id\":\"" + step + "\",\"type\":\"llm\",\"name\":\"call\","
        + "\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:01Z\"" + extra + "}";
  }

  static String run(String run, String extra) {
    return "{\"run_id\":\"" + run + "\",\"agent_id\":\"poison\",\"agent_version\":\"v1\"," + extra + "}";
  }

  static JsonNode ingest(String body) {
    TestServer.Response r = server.post("/v1/ingest", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return Json.read(r.body());
  }

  static void assertQueriesAnswer() {
    for (String q : QUERIES.split(",")) {
      TestServer.Response r = server.get(q + (q.contains("?") ? "&" : "?") + "agent=poison");
      assertThat(r.status()).as(q + ": " + r.body()).isEqualTo(200);
      assertThat(r.body()).doesNotContain("Infinity").doesNotContain("SQL");
    }
  }

  @Test
  void tokensAndCostsPastTheirMaxima_areItemErrors() {
    JsonNode r = ingest("{\"runs\":[" + run("p-big-1", "\"start_time\":\"2026-11-22T10:00:00Z\"") + ","
        + run("p-big-2", "\"start_time\":\"2026-11-22T10:00:00Z\"") + "],\"steps\":["
        + step("p-big-1", "s1", ",\"output_tokens\":9223372036854775807") + ","
        + step("p-big-2", "s1", ",\"output_tokens\":1") + ","
        + step("p-big-2", "s2", ",\"cost_usd\":1e308") + ","
        + step("p-big-2", "s3", ",\"input_tokens\":1000000000001") + ","
        + step("p-big-2", "s4", ",\"input_tokens\":1000000000000,\"cost_usd\":1000000") + "]}");
    assertThat(r.at("/accepted/steps").asInt()).isEqualTo(2);
    assertThat(r.at("/errors/0/message").asText())
        .isEqualTo("output_tokens must be from 0 to 1000000000000 (10^12) per step, got 9223372036854775807");
    assertThat(r.at("/errors/1/message").asText()).isEqualTo("cost_usd must be a number from 0 to 1000000, got 1.0E308");
    assertThat(r.at("/errors/2/message").asText())
        .isEqualTo("input_tokens must be from 0 to 1000000000000 (10^12) per step, got 1000000000001");
    assertQueriesAnswer();
  }

  @Test
  void totalsOfStoredHugeValues_areCapped_andTheRunStillTakesSteps() throws SQLException {
    ingest("{\"runs\":[" + run("p-cap", "\"start_time\":\"2026-11-22T10:00:00Z\"") + "],\"steps\":["
        + step("p-cap", "s1", ",\"output_tokens\":5") + "," + step("p-cap", "s2", ",\"output_tokens\":5") + "]}");
    // values a build without the limits stored: two steps at 2^63-1
    sql("UPDATE step_rows SET output_tokens = 9223372036854775807"
        + " WHERE run_key = (SELECT run_key FROM runs WHERE run_id = 'p-cap')");
    JsonNode r = ingest("{\"steps\":[" + step("p-cap", "s3", ",\"output_tokens\":1") + "]}");
    assertThat(r.at("/accepted/steps").asInt()).isEqualTo(1);
    JsonNode run = Json.read(server.get("/v1/runs/p-cap").body());
    assertThat(run.at("/run/output_tokens").asLong()).isEqualTo(9_000_000_000_000_000_000L);
    sql("UPDATE runs SET output_tokens = 9223372036854775807 WHERE run_id = 'p-cap'");
    ingest("{\"runs\":[" + run("p-cap-2", "\"start_time\":\"2026-11-22T10:00:00Z\"") + "],\"steps\":["
        + step("p-cap-2", "s1", ",\"output_tokens\":9") + "]}");
    sql("UPDATE runs SET output_tokens = 9223372036854775807 WHERE run_id = 'p-cap-2'");
    assertQueriesAnswer();
    JsonNode stats = Json.read(server.get("/v1/stats?agent=poison").body());
    assertThat(stats.at("/tokens/output").asLong()).isEqualTo(9_000_000_000_000_000_000L);
  }

  @Test
  void anEndBeforeTheStoredStart_keepsTheTimes_butIsNoLatency() throws SQLException {
    ingest("{\"runs\":[" + run("p-neg", "\"start_time\":\"2026-11-22T10:00:00Z\"") + "]}");
    ingest("{\"runs\":[" + run("p-neg", "\"end_time\":\"2026-11-22T09:43:20Z\"") + "]}");
    JsonNode run = Json.read(server.get("/v1/runs/p-neg").body()).path("run");
    assertThat(run.path("end_time").asText()).isEqualTo("2026-11-22T09:43:20Z");
    assertThat(run.path("duration_ms").isNull()).as(run.toString()).isTrue();

    // LangSmith's PATCH end_time: 0
    String id = "0c0c0c0c-0000-4000-8000-000000000001";
    assertThat(server.post("/runs", "{\"id\":\"" + id + "\",\"trace_id\":\"" + id + "\",\"name\":\"ls\","
        + "\"run_type\":\"chain\",\"start_time\":\"2026-11-22T10:00:00Z\",\"extra\":{\"metadata\":"
        + "{\"agent_id\":\"poison\"}}}").status()).isEqualTo(202);
    assertThat(server.patch("/runs/" + id, "{\"end_time\":0}").status()).isEqualTo(200);
    assertThat(Json.read(server.get("/v1/runs/" + id).body()).at("/run/duration_ms").isNull()).isTrue();

    // a negative duration a build without the rule stored is left out of the latency too
    sql("UPDATE runs SET duration_ms = -898000000000 WHERE run_id = 'p-neg'");
    JsonNode stats = Json.read(server.get("/v1/stats?agent=poison").body());
    assertThat(stats.at("/latency_ms/avg").isNull() || stats.at("/latency_ms/avg").asDouble() >= 0)
        .as(stats.toString()).isTrue();
    assertQueriesAnswer();
  }

  @Test
  void timesOutsideTheAcceptedRange_areItemErrors() {
    JsonNode r = ingest("{\"runs\":[" + run("p-far", "\"start_time\":\"2262-01-01T00:00:00Z\"") + ","
        + run("p-old", "\"start_time\":\"1969-12-31T23:59:59Z\"") + "]}");
    assertThat(r.at("/accepted/runs").asInt()).isZero();
    assertThat(r.at("/errors/0/message").asText())
        .isEqualTo("start_time must be from 1970-01-01T00:00:00Z to before 2200-01-01T00:00:00Z, got 2262-01-01T00:00:00Z");
  }

  static void sql(String update) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("sextant.db"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
      assertThat(s.executeUpdate(update)).isPositive();
    }
  }
}
