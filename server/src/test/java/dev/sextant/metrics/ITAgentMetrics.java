package dev.sextant.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.server.Settings;
import dev.sextant.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent series of {@code /metrics}: values from ingested runs, promtool's lint, the series limit, the cache. */
class ITAgentMetrics {
  @RegisterExtension
  static final TestServer server =
      TestServer.perClass(c -> c.toBuilder().settings(c.settings().withMetrics(500, Duration.ZERO)).build());

  static final Instant T = Instant.now().minusSeconds(3600);
  static String ingestKey;
  static String metricsKey;
  static String scrape;

  @BeforeAll
  static void ingest() {
    ingestKey = server.newKey("agents", "ingest", "read");
    metricsKey = server.newKey("agents", "metrics");
    // r1: success in 2 s; an llm call, a tool error and its retry
    post(run("r1", "success", 2000, "v1") + steps("r1",
        step("r1", "s1", "llm", 0, 300, "ok", ",\"model\":\"gpt-4o-mini\",\"input_tokens\":100,\"output_tokens\":50,"
            + "\"cost_usd\":0.01"),
        step("r1", "s2", "tool", 400, 445, "error", ""),
        step("r1", "s3", "tool", 500, 540, "ok", ",\"retry_of\":\"s2\",\"attempt\":2")));
    // r2: a failure in 40 s
    post(run("r2", "failure", 40_000, "v1").replace("}]", ",\"failure\":{\"type\":\"tool\",\"code\":\"rate_limit\"}}]")
        + steps("r2",
        step("r2", "s1", "llm", 0, 1200, "ok", ",\"model\":\"gpt-4o-mini\",\"input_tokens\":10,\"output_tokens\":5,"
            + "\"cost_usd\":0.002"),
        step("r2", "s2", "tool", 1300, 1400, "error", "")));
    // r3: still running
    post("{\"runs\":[{\"run_id\":\"r3\",\"agent_id\":\"planner\",\"agent_version\":\"v2\",\"environment\":\"prod\","
        + "\"start_time\":\"" + T + "\"}]}");
    scrape = metrics("/metrics", metricsKey);
  }

  static String run(String id, String status, long durationMs, String version) {
    return "{\"runs\":[{\"run_id\":\"" + id + "\",\"agent_id\":\"planner\",\"agent_version\":\"" + version
        + "\",\"environment\":\"prod\",\"start_time\":\"" + T + "\",\"end_time\":\"" + T.plusMillis(durationMs)
        + "\",\"status\":\"" + status + "\"}]";
  }

  static String steps(String runId, String... steps) {
    return ",\"steps\":[" + String.join(",", steps) + "]}";
  }

  static String step(String runId, String id, String type, long fromMs, long toMs, String status, String more) {
    return "{\"run_id\":\"" + runId + "\",\"step_id\":\"" + id + "\",\"type\":\"" + type + "\",\"name\":\"" + id
        + "\",\"start_time\":\"" + T.plusMillis(fromMs) + "\",\"end_time\":\"" + T.plusMillis(toMs)
        + "\",\"status\":\"" + status + "\"" + more + "}";
  }

  static void post(String body) {
    TestServer.Response r = server.call("POST", "/v1/ingest", ingestKey, body);
    assertThat(r.status()).as(r.body()).isBetween(200, 299);
  }

  static String metrics(String path, String key) {
    TestServer.Response r = server.call("GET", path, key, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
    return r.body();
  }

  /** Every sample of the exposition, by its series as written ({@code name{labels}}). */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^([a-z_:]+\\{[^}]*\\}|[a-z_:]+) (\\S+)$").matcher(text);
    while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
    return out;
  }

  static double value(String text, String series) {
    Double v = samples(text).get(series);
    assertThat(v).as(series + " in\n" + text.lines().filter(l -> l.startsWith("sextant_agent") || l.startsWith("sextant_metrics")).reduce("", (a, b) -> a + b + "\n")).isNotNull();
    return v;
  }

  static final String PLANNER = "project=\"agents\",agent=\"planner\",version=\"v1\",environment=\"prod\"";

  @Test
  void runs_byStatus_andRunningAsAGauge() {
    assertThat(value(scrape, "sextant_agent_runs_total{" + PLANNER + ",status=\"success\"}")).isEqualTo(1);
    assertThat(value(scrape, "sextant_agent_runs_total{" + PLANNER + ",status=\"failure\"}")).isEqualTo(1);
    assertThat(value(scrape, "sextant_agent_running_runs{project=\"agents\",agent=\"planner\",version=\"v2\","
        + "environment=\"prod\"}")).isEqualTo(1);
    assertThat(scrape).doesNotContain("status=\"running\"");
    assertThat(scrape).contains("# TYPE sextant_agent_runs_total counter\n", "# TYPE sextant_agent_running_runs gauge\n");
  }

  @Test
  void runDuration_isAHistogramInSeconds() {
    String s = "sextant_agent_run_duration_seconds";
    String success = PLANNER + ",status=\"success\"";
    assertThat(value(scrape, s + "_bucket{" + success + ",le=\"1\"}")).isEqualTo(0);
    assertThat(value(scrape, s + "_bucket{" + success + ",le=\"2.5\"}")).isEqualTo(1);
    assertThat(value(scrape, s + "_bucket{" + success + ",le=\"+Inf\"}")).isEqualTo(1);
    assertThat(value(scrape, s + "_count{" + success + "}")).isEqualTo(1);
    assertThat(value(scrape, s + "_sum{" + success + "}")).isCloseTo(2.0, within(1e-9));
    String failure = PLANNER + ",status=\"failure\"";
    assertThat(value(scrape, s + "_bucket{" + failure + ",le=\"30\"}")).isEqualTo(0);
    assertThat(value(scrape, s + "_bucket{" + failure + ",le=\"60\"}")).isEqualTo(1);
    assertThat(scrape).contains("# TYPE " + s + " histogram\n");
  }

  @Test
  void steps_errors_retries_andStepDuration_byStepType() {
    String tool = PLANNER + ",step_type=\"tool\"";
    String llm = PLANNER + ",step_type=\"llm\"";
    assertThat(value(scrape, "sextant_agent_steps_total{" + tool + "}")).isEqualTo(3);
    assertThat(value(scrape, "sextant_agent_steps_total{" + llm + "}")).isEqualTo(2);
    assertThat(value(scrape, "sextant_agent_step_errors_total{" + tool + "}")).isEqualTo(2);
    assertThat(value(scrape, "sextant_agent_step_errors_total{" + llm + "}")).isEqualTo(0);
    assertThat(value(scrape, "sextant_agent_step_retries_total{" + tool + "}")).isEqualTo(1);
    String d = "sextant_agent_step_duration_seconds";
    // tool steps of 45, 40 and 100 ms (a value on a bound is counted at it); llm steps of 300 ms and 1.2 s
    assertThat(value(scrape, d + "_bucket{" + tool + ",le=\"0.025\"}")).isEqualTo(0);
    assertThat(value(scrape, d + "_bucket{" + tool + ",le=\"0.05\"}")).isEqualTo(2);
    assertThat(value(scrape, d + "_bucket{" + tool + ",le=\"0.1\"}")).isEqualTo(3);
    assertThat(value(scrape, d + "_sum{" + tool + "}")).isCloseTo(0.185, within(1e-9));
    assertThat(value(scrape, d + "_bucket{" + llm + ",le=\"0.25\"}")).isEqualTo(0);
    assertThat(value(scrape, d + "_bucket{" + llm + ",le=\"0.5\"}")).isEqualTo(1);
    assertThat(value(scrape, d + "_bucket{" + llm + ",le=\"2.5\"}")).isEqualTo(2);
    assertThat(value(scrape, d + "_count{" + llm + "}")).isEqualTo(2);
  }

  @Test
  void failures_byTypeAndCode() {
    assertThat(value(scrape, "sextant_agent_run_failures_total{" + PLANNER
        + ",failure_type=\"tool\",failure_code=\"rate_limit\"}")).isEqualTo(1);
  }

  @Test
  void tokensAndCost_byModel() {
    String mini = PLANNER + ",model=\"gpt-4o-mini\"";
    assertThat(value(scrape, "sextant_agent_tokens_total{" + mini + ",direction=\"input\"}")).isEqualTo(110);
    assertThat(value(scrape, "sextant_agent_tokens_total{" + mini + ",direction=\"output\"}")).isEqualTo(55);
    assertThat(value(scrape, "sextant_agent_cost_usd_total{" + mini + "}")).isCloseTo(0.012, within(1e-12));
  }

  @Test
  void everyFamily_isDocumentedInMetricsMd_andEveryDocumentedOneExported() throws Exception {
    java.util.Set<String> documented = new java.util.TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(sextant_[a-z_]+)` \\|").matcher(
        java.nio.file.Files.readString(ITDashboards.docs().resolve("metrics.md")));
    while (row.find()) documented.add(row.group(1));
    java.util.Set<String> families = new java.util.TreeSet<>();
    Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(metrics("/v1/metrics", ingestKey));
    while (type.find()) families.add(type.group(1));
    assertThat(families).isEqualTo(documented);
  }

  @Test
  void theAgentSeries_passPromtoolCheckMetrics() throws Exception {
    Promtool.Result r = Promtool.run(metrics("/v1/metrics", ingestKey), "check", "metrics");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).as("promtool's lint findings").isBlank();
    // the server's own series (Micrometer's) lack help texts; none of the findings may be about agent series
    Promtool.Result whole = Promtool.run(scrape, "check", "metrics");
    assertThat(whole.output()).doesNotContain("sextant_agent").doesNotContain("sextant_metrics_series")
        .doesNotContain("error while linting");
  }

  @Test
  void aProjectsReadKey_getsItsAgentSeriesOnly_atV1Metrics() {
    String body = metrics("/v1/metrics", ingestKey);
    assertThat(value(body, "sextant_agent_runs_total{" + PLANNER + ",status=\"success\"}")).isEqualTo(1);
    assertThat(body).doesNotContain("sextant_http").doesNotContain("jvm_");
    // another project's key sees its own (empty) project, and cannot name this one
    String other = server.newKey("elsewhere", "read");
    assertThat(metrics("/v1/metrics", other)).doesNotContain("agent=\"planner\"");
    assertThat(server.call("GET", "/v1/metrics?project=agents", other, null).status()).isEqualTo(403);
    assertThat(server.call("GET", "/metrics", ingestKey, null).status()).isEqualTo(403);
  }

  @Test
  void theMetricsScope_namesAProject_orGetsItsKeysProject() {
    assertThat(metrics("/metrics?project=elsewhere", metricsKey)).doesNotContain("agent=\"planner\"")
        .contains("project=\"elsewhere\"");
    TestServer.Response r = server.call("GET", "/metrics?project=nope", metricsKey, null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).contains("project nope does not exist");
  }

  @Test
  void beyondTheSeriesLimit_seriesFoldIntoOther_andAreCounted() throws Exception {
    try (TestServer small =
        TestServer.start(c -> c.toBuilder().settings(c.settings().withMetrics(2, Duration.ZERO)).build())) {
      StringBuilder runs = new StringBuilder("{\"runs\":[");
      for (int i = 0; i < 5; i++) {
        if (i > 0) runs.append(',');
        // agent-0 has 5 runs, agent-1 4, ... so agent-0 and agent-1 are kept
        runs.append("{\"run_id\":\"f").append(i).append("\",\"agent_id\":\"agent-").append(i)
            .append("\",\"start_time\":\"").append(T).append("\",\"end_time\":\"").append(T.plusSeconds(1))
            .append("\",\"status\":\"success\"}");
        for (int k = 1; k < 5 - i; k++) {
          runs.append(",{\"run_id\":\"f").append(i).append('-').append(k).append("\",\"agent_id\":\"agent-").append(i)
              .append("\",\"start_time\":\"").append(T).append("\",\"end_time\":\"").append(T.plusSeconds(1))
              .append("\",\"status\":\"success\"}");
        }
      }
      assertThat(small.post("/v1/ingest", runs.append("]}").toString()).status()).isEqualTo(200);
      String text = small.get("/metrics").body();
      String none = "version=\"\",environment=\"\",status=\"success\"";
      assertThat(value(text, "sextant_agent_runs_total{project=\"default\",agent=\"agent-0\"," + none + "}")).isEqualTo(5);
      assertThat(value(text, "sextant_agent_runs_total{project=\"default\",agent=\"agent-1\"," + none + "}")).isEqualTo(4);
      assertThat(value(text, "sextant_agent_runs_total{project=\"default\",agent=\"other\",version=\"other\","
          + "environment=\"other\",status=\"success\"}")).isEqualTo(3 + 2 + 1);
      assertThat(text).doesNotContain("agent=\"agent-2\"");
      assertThat(value(text, "sextant_metrics_series_folded_total{project=\"default\",metric=\"sextant_agent_runs_total\"}"))
          .isEqualTo(3);
      Promtool.Result r = Promtool.run(small.get("/v1/metrics").body(), "check", "metrics");
      assertThat(r.exit()).as(r.output()).isZero();
    }
  }

  @Test
  void anAnswer_isReusedForTheCachePeriod() {
    try (TestServer cached = TestServer.start(
        c -> c.toBuilder().settings(c.settings().withMetrics(500, Duration.ofMinutes(5))).build())) {
      String first = cached.get("/metrics?project=default").body();
      assertThat(cached.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"c1\",\"agent_id\":\"cached\",\"start_time\":\"" + T
          + "\",\"end_time\":\"" + T.plusSeconds(1) + "\",\"status\":\"success\"}]}").status()).isEqualTo(200);
      String second = cached.get("/metrics?project=default").body();
      assertThat(second).doesNotContain("agent=\"cached\"");
      assertThat(second.substring(second.indexOf("# HELP sextant_agent_runs_total")))
          .isEqualTo(first.substring(first.indexOf("# HELP sextant_agent_runs_total")));
    }
  }
}
