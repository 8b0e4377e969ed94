package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code significance} object of {@code GET /v1/compare} over stored runs. */
class ITCompareSignificance {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

  /**
   * Agent {@code sig}: v1 40 runs, 2 failed (tool/timeout), 100..139 ms; v2 40 runs, 16 failed
   * (tool/timeout), 1000..1039 ms, plus one still running; each finished run has one model call
   * costing 0.010..0.0109 USD in v1 and 0.015..0.0159 USD in v2. Agent {@code few}: 10 runs per version;
   * agent {@code tail} below.
   */
  @BeforeAll
  static void start() {
    ObjectNode body = Json.object();
    ArrayNode runs = body.putArray("runs");
    ArrayNode steps = body.putArray("steps");
    for (int i = 0; i < 40; i++) {
      run(runs, "sig", "v1", "s1-" + i, 100 + i, i < 2);
      run(runs, "sig", "v2", "s2-" + i, 1000 + i, i < 16);
      steps.addObject().put("run_id", "s1-" + i).put("step_id", "llm").put("type", "llm").put("cost_usd", 0.010 + 0.0001 * (i % 10));
      steps.addObject().put("run_id", "s2-" + i).put("step_id", "llm").put("type", "llm").put("cost_usd", 0.015 + 0.0001 * (i % 10));
    }
    runs.addObject().put("run_id", "s2-running").put("agent_id", "sig").put("agent_version", "v2")
        .put("start_time", T0.toString()).put("status", "running");
    // agent tail: 120 runs per version, 100..219 ms; v2's slowest 12 take ten times as long
    for (int i = 0; i < 120; i++) {
      run(runs, "tail", "v1", "t1-" + i, 100 + i, false);
      run(runs, "tail", "v2", "t2-" + i, i < 108 ? 100 + i : 10 * (100 + i), false);
    }
    for (int i = 0; i < 10; i++) {
      run(runs, "few", "v1", "f1-" + i, 100, false);
      run(runs, "few", "v2", "f2-" + i, 5000, true);
    }
    TestServer.Response r = server.post("/v1/ingest", Json.write(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static void run(ArrayNode runs, String agent, String version, String id, long ms, boolean failed) {
    Instant start = T0.plusSeconds(runs.size());
    ObjectNode r = runs.addObject();
    r.put("run_id", id);
    r.put("agent_id", agent);
    r.put("agent_version", version);
    r.put("start_time", start.toString());
    r.put("end_time", start.plusMillis(ms).toString());
    r.put("status", failed ? "failure" : "success");
    if (failed) r.putObject("failure").put("type", "tool").put("code", "timeout");
  }

  @Test
  void aSignificantDifferenceIsJudged() {
    JsonNode s = json(server.get("/v1/compare?agent=sig&a=v1&b=v2").body()).path("significance");
    assertThat(s.path("alpha").asDouble()).isEqualTo(0.05);
    assertThat(s.path("min_runs").asInt()).isEqualTo(30);
    JsonNode e = s.path("error_rate");
    assertThat(e.path("a").asDouble()).isCloseTo(2.0 / 40, within(1e-12));
    assertThat(e.path("b").asDouble()).isCloseTo(16.0 / 41, within(1e-12));
    assertThat(e.path("verdict").asText()).isEqualTo("worse");
    assertThat(e.path("method").asText()).isEqualTo("two_proportion_z_test");
    assertThat(e.path("p_value").asDouble()).isLessThan(0.001);
    assertThat(e.path("ci_low").asDouble()).isPositive().isLessThan(e.path("diff").asDouble());
    JsonNode f = s.path("failures").get(0);
    assertThat(f.path("type").asText()).isEqualTo("tool");
    assertThat(f.path("code").asText()).isEqualTo("timeout");
    assertThat(f.path("verdict").asText()).isEqualTo("worse");
    // p95 needs 100 timed runs per side; 40 are too few, the median is tested from 30
    JsonNode latency = s.path("latency_p95_ms");
    assertThat(latency.path("verdict").asText()).isEqualTo("not_enough_data");
    assertThat(latency.path("min_runs").asInt()).isEqualTo(100);
    assertThat(latency.path("a").asDouble()).isCloseTo(100 + 0.95 * 39, within(1e-9));
    JsonNode median = s.path("latency_p50_ms");
    assertThat(median.path("method").asText()).isEqualTo("quantile_difference_z_test");
    assertThat(median.path("verdict").asText()).isEqualTo("worse");
    assertThat(median.path("a_runs").asInt()).isEqualTo(40);
    assertThat(median.path("b_runs").asInt()).isEqualTo(40);
    assertThat(median.path("a").asDouble()).isCloseTo(119.5, within(1e-9));
    assertThat(median.path("b").asDouble()).isCloseTo(1019.5, within(1e-9));
    assertThat(median.path("a_ci_low").asDouble()).isLessThan(119.5);
    assertThat(median.path("a_ci_high").asDouble()).isGreaterThan(119.5).isLessThan(140);
    assertThat(median.path("p_value").asDouble()).isLessThan(0.001);
    assertThat(median.path("ci_low").asDouble()).isGreaterThan(800);
    JsonNode cost = s.path("cost_per_run_usd");
    assertThat(cost.path("method").asText()).isEqualTo("welch_z_test");
    assertThat(cost.path("a").asDouble()).isCloseTo(0.01045, within(1e-9));
    // v2's 41 runs include the running one, which has no cost yet
    assertThat(cost.path("b").asDouble()).isCloseTo(40 * 0.01545 / 41, within(1e-9));
    assertThat(cost.path("verdict").asText()).isEqualTo("worse");
    assertThat(cost.path("p_value").asDouble()).isLessThan(0.001);

    JsonNode swapped = json(server.get("/v1/compare?agent=sig&a=v2&b=v1").body()).path("significance");
    assertThat(swapped.at("/error_rate/verdict").asText()).isEqualTo("better");
    assertThat(swapped.at("/latency_p50_ms/verdict").asText()).isEqualTo("better");
  }

  @Test
  void p95IsTestedFromAHundredRuns() {
    JsonNode s = json(server.get("/v1/compare?agent=tail&a=v1&b=v2").body()).path("significance");
    JsonNode p95 = s.path("latency_p95_ms");
    assertThat(p95.path("verdict").asText()).isEqualTo("worse");
    assertThat(p95.path("a_runs").asInt()).isEqualTo(120);
    assertThat(p95.path("p_value").asDouble()).isLessThan(0.05);
    assertThat(p95.path("b_ci_low").asDouble()).isGreaterThan(p95.path("a_ci_high").asDouble());
    // the medians are the same: only the tail of v2 is slower
    assertThat(s.at("/latency_p50_ms/verdict").asText()).isEqualTo("no_difference");
  }

  @Test
  void fewerThanThirtyRunsAreNotJudged() {
    JsonNode s = json(server.get("/v1/compare?agent=few&a=v1&b=v2").body()).path("significance");
    assertThat(s.at("/error_rate/verdict").asText()).isEqualTo("not_enough_data");
    assertThat(s.at("/error_rate/b").asDouble()).isEqualTo(1.0);
    assertThat(s.at("/error_rate/p_value").isNull()).isTrue();
    assertThat(s.at("/failures/0/verdict").asText()).isEqualTo("not_enough_data");
    assertThat(s.at("/latency_p95_ms/verdict").asText()).isEqualTo("not_enough_data");
  }
}
