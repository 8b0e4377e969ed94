package dev.sextant.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the Prometheus rules in docs/: valid for promtool, and every series
 * their PromQL names is one that {@code /metrics} exports.
 */
class ITDashboards {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and",
      "or", "unless", "bool", "offset", "inf", "nan");

  static Set<String> exported;

  @TempDir Path dir;

  @BeforeAll
  static void scrape() {
    Instant t = Instant.now().minusSeconds(600);
    String body = "{\"runs\":[{\"run_id\":\"d1\",\"agent_id\":\"a\",\"start_time\":\"" + t + "\",\"end_time\":\""
        + t.plusSeconds(3) + "\",\"status\":\"failure\",\"failure\":{\"type\":\"tool\",\"code\":\"timeout\"}},"
        + "{\"run_id\":\"d2\",\"agent_id\":\"a\",\"start_time\":\"" + t + "\"}],"
        + "\"steps\":[{\"run_id\":\"d1\",\"step_id\":\"s1\",\"type\":\"llm\",\"name\":\"m\",\"model\":\"gpt-4o\","
        + "\"input_tokens\":5,\"output_tokens\":2,\"cost_usd\":0.1,\"start_time\":\"" + t + "\",\"end_time\":\""
        + t.plusSeconds(1) + "\",\"status\":\"ok\"}]}";
    assertThat(server.post("/v1/ingest", body).status()).isEqualTo(200);
    exported = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(server.get("/metrics").body());
    while (m.find()) exported.add(m.group(1));
  }

  static Path docs() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/metrics.md"))) return p.resolve("docs");
    }
    throw new IllegalStateException("docs/metrics.md not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void theRules_passPromtoolCheckRules() throws Exception {
    Promtool.Result r = Promtool.run(null, "check", "rules", docs().resolve("prometheus/sextant-rules.yml").toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void theRules_nameOnlyExportedSeries() throws IOException {
    List<String> exprs = ruleExpressions(Files.readString(docs().resolve("prometheus/sextant-rules.yml")));
    assertThat(exprs).hasSizeGreaterThan(5);
    for (String e : exprs) assertExported(e);
  }

  @Test
  void theDashboard_isValidPromQL_namingOnlyExportedSeries() throws Exception {
    JsonNode d = Json.read(Files.readString(docs().resolve("grafana/sextant-agents.json")));
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : d.path("panels")) {
      for (JsonNode target : panel.path("targets")) exprs.add(target.path("expr").asText());
    }
    assertThat(exprs).hasSizeGreaterThan(10).doesNotContain("");
    for (String e : exprs) assertExported(e);
    for (JsonNode v : d.path("templating").path("list")) {
      Matcher m = Pattern.compile("label_values\\(([a-z_]+)").matcher(v.path("definition").asText());
      while (m.find()) assertThat(exported).as(v.path("name").asText()).contains(m.group(1));
    }
    // promtool parses each query, Grafana's variables replaced, as a recording rule
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      String e = exprs.get(i).replace("$__rate_interval", "5m").replace("$__range", "1h").replace("$project", "p")
          .replace("$agent", ".*").replace("$environment", ".*");
      rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
          .append(e.replace("'", "''")).append("'\n");
    }
    Path file = dir.resolve("dashboard-rules.yml");
    Files.writeString(file, rules);
    Promtool.Result r = Promtool.run(null, "check", "rules", file.toString());
    assertThat(r.exit()).as(r.output() + "\n" + rules).isZero();
  }

  /** The {@code expr} of each rule: one line, or a block after {@code expr: |}. */
  static List<String> ruleExpressions(String yaml) {
    List<String> out = new ArrayList<>();
    String[] lines = yaml.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int at = line.indexOf("expr:");
      if (at < 0 || line.trim().startsWith("#")) continue;
      String rest = line.substring(at + 5).trim();
      if (!rest.equals("|")) {
        out.add(rest);
        continue;
      }
      StringBuilder block = new StringBuilder();
      while (i + 1 < lines.length && (lines[i + 1].isBlank() || indent(lines[i + 1]) > at)) block.append(lines[++i]).append('\n');
      out.add(block.toString());
    }
    return out;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') n++;
    return n;
  }

  /** Every metric name in {@code expr} is exported; there is at least one. */
  static void assertExported(String expr) {
    Set<String> names = metricNames(expr);
    assertThat(names).as(expr).isNotEmpty();
    for (String n : names) assertThat(exported).as("%s, named by %s, in /metrics", n, expr).contains(n);
  }

  /**
   * The metric names of a PromQL expression: identifiers left once strings, label matchers,
   * grouping label lists and ranges are removed, that are neither functions nor keywords nor numbers.
   */
  static Set<String> metricNames(String expr) {
    String e = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("\\[[^]]*]", " ");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(e);
    while (m.find()) {
      if (m.group(2) != null || KEYWORDS.contains(m.group(1).toLowerCase())) continue;
      out.add(m.group(1));
    }
    return out;
  }
}
