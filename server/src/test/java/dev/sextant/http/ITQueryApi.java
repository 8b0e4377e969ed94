package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every filter of {@code GET /v1/runs}, stats, compare, timeseries and agents over HTTP. */
class ITQueryApi {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final List<Double> V1_DURATIONS = new ArrayList<>();
  static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

  /** 40 runs: agents a/b, versions v1/v2, every 4th a failure, every 5th staging, labels by parity. */
  @BeforeAll
  static void start() {
    ObjectNode body = Json.object();
    ArrayNode runs = body.putArray("runs");
    ArrayNode steps = body.putArray("steps");
    for (int i = 0; i < 40; i++) {
      String id = "q-" + i;
      String version = i % 2 == 0 ? "v1" : "v2";
      double duration = 100 + i * 37.5;
      if (version.equals("v1") && i % 3 != 0) V1_DURATIONS.add(duration);
      Instant start = T0.plusSeconds(i * 60L);
      ObjectNode r = runs.addObject();
      r.put("run_id", id);
      r.put("agent_id", i % 3 == 0 ? "b" : "a");
      r.put("agent_version", version);
      r.put("environment", i % 5 == 0 ? "staging" : "production");
      r.put("name", "task_" + i);
      r.put("session_id", "conv-" + (i % 4));
      r.putObject("labels").put("parity", i % 2 == 0 ? "even" : "odd");
      r.put("start_time", start.toString());
      r.put("end_time", start.plusNanos((long) (duration * 1_000_000)).toString());
      boolean failed = i % 4 == 0;
      r.put("status", failed ? "failure" : "success");
      if (failed) {
        r.putObject("failure").put("type", i % 8 == 0 ? "tool" : "model").put("code", i % 8 == 0 ? "timeout" : "rate_limited");
      }
      ObjectNode s = steps.addObject();
      s.put("run_id", id);
      s.put("step_id", id + "-s1");
      s.put("seq", 1);
      s.put("type", i % 2 == 0 ? "LLM" : "Retriever");
      s.put("name", i == 7 ? "special_lookup" : "step");
      s.put("start_time", start.toString());
      s.put("end_time", start.plusMillis(50 + i).toString());
      s.put("status", "ok");
      s.put("input_tokens", 100);
      s.put("output_tokens", 10 + i);
      s.put("cost_usd", 0.01);
      if (i % 10 == 0) s.put("attempt", 2);
    }
    TestServer.Response r = server.post("/v1/ingest", Json.write(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static Set<String> ids(String query) {
    TestServer.Response r = server.get("/v1/runs?limit=1000" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Set<String> out = new HashSet<>();
    json(r.body()).path("runs").forEach(n -> out.add(n.path("run_id").asText()));
    return out;
  }

  private static Set<String> expected(java.util.function.IntPredicate p) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < 40; i++) if (p.test(i)) out.add("q-" + i);
    return out;
  }

  @Test
  void everyFilter_selectsExactlyItsRuns() {
    assertThat(ids("")).isEqualTo(expected(i -> true));
    assertThat(ids("&agent=b")).isEqualTo(expected(i -> i % 3 == 0));
    assertThat(ids("&version=v2")).isEqualTo(expected(i -> i % 2 == 1));
    assertThat(ids("&environment=staging")).isEqualTo(expected(i -> i % 5 == 0));
    assertThat(ids("&status=failure")).isEqualTo(expected(i -> i % 4 == 0));
    assertThat(ids("&status=success")).isEqualTo(expected(i -> i % 4 != 0));
    assertThat(ids("&failure_type=tool")).isEqualTo(expected(i -> i % 8 == 0));
    assertThat(ids("&failure_code=rate_limited")).isEqualTo(expected(i -> i % 4 == 0 && i % 8 != 0));
    assertThat(ids("&session=conv-1")).isEqualTo(expected(i -> i % 4 == 1));
    assertThat(ids("&label=parity:even")).isEqualTo(expected(i -> i % 2 == 0));
    assertThat(ids("&label=parity:even&label=parity:odd")).isEmpty();
    assertThat(ids("&q=SPECIAL")).isEqualTo(expected(i -> i == 7));
    assertThat(ids("&q=task_3")).isEqualTo(expected(i -> i == 3 || (i >= 30 && i <= 39)));
    assertThat(ids("&from=2026-11-22T00:10:00Z&to=2026-11-22T00:20:00Z")).isEqualTo(expected(i -> i >= 10 && i < 20));
    assertThat(ids("&from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z")).as("bounds beyond 1677..2262 clamp")
        .isEqualTo(expected(i -> true));
    assertThat(ids("&from=9999-01-01T00:00:00Z")).isEmpty();
    assertThat(ids("&min_duration_ms=500&max_duration_ms=1000")).isEqualTo(expected(i -> {
      double d = 100 + i * 37.5;
      return d >= 500 && d <= 1000;
    }));
    assertThat(ids("&agent=a&version=v1&environment=production")).isEqualTo(
        expected(i -> i % 3 != 0 && i % 2 == 0 && i % 5 != 0));
  }

  @Test
  void paging_coversEveryRunOnce_newestFirst() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = json(server.get("/v1/runs?limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).body());
      page.path("runs").forEach(n -> seen.add(n.path("run_id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    assertThat(seen).hasSize(40).doesNotHaveDuplicates().startsWith("q-39").endsWith("q-0");
    JsonNode longest = json(server.get("/v1/runs?sort=duration&limit=1").body());
    assertThat(longest.at("/runs/0/run_id").asText()).isEqualTo("q-39");
  }

  @Test
  void badParameters_are400WithReasons() {
    assertError(server.get("/v1/runs?limit=0"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?limit=1001"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?status=done"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?from=yesterday"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?label=nocolon"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?sort=name"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?cursor=%21%21"), 400, "invalid_parameter");
    assertError(server.get("/v1/runs?min_duration_ms=abc"), 400, "invalid_parameter");
    assertError(server.get("/v1/compare?agent=a"), 400, "invalid_parameter");
    assertError(server.get("/v1/timeseries?buckets=0"), 400, "invalid_parameter");
    assertThat(json(server.get("/v1/runs?limit=0").body()).path("message").asText())
        .isEqualTo("limit must be an integer from 1 to 1000, got \"0\"");
    assertError(server.get("/v1/runs/nope"), 404, "not_found");
    assertError(server.get("/v1/runs/q-1/steps/nope"), 404, "not_found");
  }

  @Test
  void stats_matchValuesComputedHere() {
    JsonNode s = json(server.get("/v1/stats?agent=a&version=v1").body());
    int n = V1_DURATIONS.size();
    assertThat(s.at("/runs/total").asInt()).isEqualTo(n);
    assertThat(s.at("/latency_ms/avg").asDouble())
        .isCloseTo(V1_DURATIONS.stream().mapToDouble(x -> x).average().orElseThrow(), within(1e-6));
    assertThat(s.at("/latency_ms/p50").asDouble()).isCloseTo(percentile(V1_DURATIONS, 0.5), within(1e-6));
    assertThat(s.at("/latency_ms/p95").asDouble()).isCloseTo(percentile(V1_DURATIONS, 0.95), within(1e-6));
    assertThat(s.at("/latency_ms/p99").asDouble()).isCloseTo(percentile(V1_DURATIONS, 0.99), within(1e-6));
    long failures = expected(i -> i % 3 != 0 && i % 2 == 0 && i % 4 == 0).size();
    assertThat(s.at("/runs/failure").asLong()).isEqualTo(failures);
    assertThat(s.path("error_rate").asDouble()).isCloseTo((double) failures / n, within(1e-12));
    assertThat(s.at("/by_step_type/0/type").asText()).isEqualTo("llm");
    assertThat(s.at("/tokens/input").asLong()).isEqualTo(100L * n);

    JsonNode all = json(server.get("/v1/stats").body());
    assertThat(all.path("retries").asInt()).isEqualTo(4);
    assertThat(all.path("by_step_type")).extracting(x -> x.path("type").asText())
        .containsExactlyInAnyOrder("llm", "retrieval");
    assertThat(all.path("cost_usd").asDouble()).isCloseTo(0.4, within(1e-9));
  }

  static double percentile(List<Double> values, double p) {
    return dev.sextant.store.StoreConformanceAccess.percentile(values, p);
  }

  @Test
  void compare_alignsTwoVersions() {
    JsonNode c = json(server.get("/v1/compare?agent=a&a=v1&b=v2").body());
    assertThat(fieldNames(c)).containsExactly("agent", "a", "b", "by_step_type", "failures", "significance");
    assertThat(c.path("agent").asText()).isEqualTo("a");
    assertThat(c.at("/a/version").asText()).isEqualTo("v1");
    assertThat(c.at("/b/version").asText()).isEqualTo("v2");
    assertThat(c.at("/a/runs/total").asInt()).isEqualTo(V1_DURATIONS.size());
    assertThat(c.at("/b/runs/total").asInt()).isEqualTo(expected(i -> i % 3 != 0 && i % 2 == 1).size());
    assertThat(c.at("/a/error_rate").isNumber()).isTrue();
    assertThat(c.at("/a/latency_ms/p95").asDouble()).isCloseTo(percentile(V1_DURATIONS, 0.95), within(1e-6));
    assertThat(c.path("by_step_type")).hasSize(2);
    JsonNode llm = c.path("by_step_type").get(0).path("type").asText().equals("llm")
        ? c.path("by_step_type").get(0) : c.path("by_step_type").get(1);
    assertThat(llm.path("a")).isEqualTo(c.at("/a/by_step_type/0"));
    assertThat(llm.path("b").isNull()).isTrue();
    assertThat(c.path("failures").size()).isPositive();
    assertThat(fieldNames(c.at("/a/per_run"))).containsExactly("retries", "input_tokens", "output_tokens", "cost_usd");
    assertThat(c.at("/a/per_run/cost_usd").asDouble()).isCloseTo(0.01, within(1e-9));
    // Each version has fewer than 30 runs here: shown, but not judged.
    assertThat(c.at("/significance/error_rate/verdict").asText()).isEqualTo("not_enough_data");
    assertThat(c.at("/significance/error_rate/a").asDouble()).isEqualTo(c.at("/a/error_rate").asDouble());
    assertThat(c.at("/significance/failures").size()).isEqualTo(c.path("failures").size());
  }

  /** Each side is the {@code /v1/stats} body for its version under the same filters, plus two keys. */
  @Test
  void compare_sidesAreTheStatsOfEachVersion() {
    for (String filters : List.of("", "&environment=production", "&from=2026-11-22T00:05:00Z&to=2026-11-22T00:30:00Z")) {
      JsonNode c = json(server.get("/v1/compare?agent=a&a=v1&b=v2" + filters).body());
      for (String side : List.of("a", "b")) {
        String version = side.equals("a") ? "v1" : "v2";
        JsonNode stats = json(server.get("/v1/stats?agent=a&version=" + version + filters).body());
        assertThat(stats.has("version")).as("a stats field named version").isFalse();
        assertThat(stats.has("per_run")).as("a stats field named per_run").isFalse();
        ObjectNode got = c.path(side).deepCopy();
        assertThat(got.remove("version").asText()).isEqualTo(version);
        assertThat(got.remove("per_run").isObject()).isTrue();
        assertThat(got).as("%s%s", side, filters).isEqualTo(stats);
      }
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void timeseriesAndAgents() {
    JsonNode t = json(server.get("/v1/timeseries?buckets=8").body());
    long total = 0;
    for (JsonNode p : t.path("points")) total += p.at("/runs/total").asLong();
    assertThat(total).isEqualTo(40);
    assertThat(t.path("bucket_ms").asLong()).isEqualTo(300_000);
    JsonNode wide = json(server.get("/v1/timeseries?buckets=8&from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z")
        .body());
    assertThat(wide.path("bucket_ms").asLong()).as("an absurd range spans the runs inside it").isEqualTo(300_000);
    long wideTotal = 0;
    for (JsonNode p : wide.path("points")) wideTotal += p.at("/runs/total").asLong();
    assertThat(wideTotal).isEqualTo(40);
    JsonNode agents = json(server.get("/v1/agents").body()).path("agents");
    assertThat(agents).hasSize(2);
    assertThat(agents.get(0).path("agent_id").asText()).isEqualTo("a");
    assertThat(agents.get(0).path("versions").toString()).isEqualTo("[\"v1\",\"v2\"]");
    assertThat(agents.get(0).path("environments").toString()).isEqualTo("[\"production\",\"staging\"]");
  }
}
