package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /metrics} exports what docs/operations.md lists, with stable service labels. */
class ITMetrics {
  static final List<String> HTTP_PREFIXES = List.of("sextant_http", "sextant_otlp_http", "sextant_otlp_grpc");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());
  static String scrape;
  static String doc;

  @BeforeAll
  static void start() throws IOException {
    String auth = "Bearer " + TestServer.API_KEY;
    // one request per listener, a native request with an accepted and a rejected item, the UI, a 404
    server.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"m-1\",\"agent_id\":\"a\",\"start_time\":\"2026-11-22T10:00:00Z\"}],"
        + "\"steps\":[{}]}");
    ITOtlpHttp.post(server, server.server().otlpHttpPort(), "/v1/traces", "application/x-protobuf",
        OtlpDecoderFixtures.single("66666666666666666666666666666666").toByteArray(), "Authorization", auth);
    ITOtlpHttp.grpc(WebClient.of("h2c://127.0.0.1:" + server.server().otlpGrpcPort()),
        ITOtlpHttp.frame(OtlpDecoderFixtures.single("77777777777777777777777777777777").toByteArray(), false),
        "Authorization", auth);
    server.get("/v1/runs");
    server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/")).GET().build());
    server.get("/v1/no-such-endpoint");
    scrape = server.get("/metrics").body();
    doc = section(Files.readString(docs().resolve("operations.md")), "## Metrics");
  }

  static Path docs() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/operations.md"))) return p.resolve("docs");
    }
    throw new IllegalStateException("docs/operations.md not found above " + Path.of("").toAbsolutePath());
  }

  static String section(String markdown, String heading) {
    int start = markdown.indexOf("\n" + heading + "\n");
    assertThat(start).as(heading).isNotNegative();
    int end = markdown.indexOf("\n## ", start + heading.length() + 2);
    return end < 0 ? markdown.substring(start) : markdown.substring(start, end);
  }

  /** The names in the first column of the section's tables that are Sextant's own. */
  static Set<String> documentedSextantMetrics() {
    Set<String> names = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `((?:sextant|<prefix>)_[a-z_]+)` \\|").matcher(doc);
    while (row.find()) {
      String name = row.group(1);
      if (name.startsWith("<prefix>")) {
        for (String prefix : HTTP_PREFIXES) names.add(prefix + name.substring("<prefix>".length()));
      } else {
        names.add(name);
      }
    }
    return names;
  }

  static Set<String> documentedServices() {
    String table = doc.substring(doc.indexOf("| `service` | endpoint |"));
    table = table.substring(0, table.indexOf("\n\n"));
    Set<String> names = new TreeSet<>();
    for (String line : table.split("\n")) {
      String first = line.split("\\|")[1];
      Matcher m = Pattern.compile("`([a-z_]+)`").matcher(first);
      while (m.find()) names.add(m.group(1));
    }
    names.remove("service");
    return names;
  }

  @Test
  void everyDocumentedSextantMetric_isExported() {
    Set<String> documented = documentedSextantMetrics();
    assertThat(documented).contains("sextant_ingest_accepted_items_total", "sextant_store_commit_seconds",
        "sextant_otlp_grpc_requests_total").hasSizeGreaterThan(20);
    for (String name : documented) {
      assertThat(Pattern.compile("(?m)^" + name + "(_bucket|_count|_sum|_max)?[{ ]").matcher(scrape).find())
          .as("%s in /metrics", name).isTrue();
    }
  }

  @Test
  void everyExportedSextantMetric_isDocumented() throws IOException {
    Set<String> documented = documentedSextantMetrics();
    // the agent series are described in docs/metrics.md
    Matcher agent = Pattern.compile("(?m)^\\| `(sextant_[a-z_]+)` \\|").matcher(Files.readString(docs().resolve("metrics.md")));
    while (agent.find()) documented.add(agent.group(1));
    Matcher m = Pattern.compile("(?m)^(sextant_[a-z_]+?)(_bucket|_count|_sum|_max)?[{ ]").matcher(scrape);
    while (m.find()) {
      String name = m.group(1);
      assertThat(documented.contains(name) || documented.contains(name + m.group(2)))
          .as("%s is in docs/operations.md", name).isTrue();
    }
  }

  @Test
  void serviceLabels_areTheDocumentedEndpointNames_notClassNames() {
    assertThat(scrape).doesNotContain("$$Lambda").doesNotContain("service=\"dev.sextant");
    Set<String> seen = new TreeSet<>();
    Matcher m = Pattern.compile("service=\"([^\"]*)\"").matcher(scrape);
    while (m.find()) seen.add(m.group(1));
    assertThat(seen).contains("ingest", "otlp_http", "otlp_grpc", "runs", "metrics", "ui", "unmatched");
    assertThat(documentedServices()).containsAll(seen);
    assertThat(scrape).contains("sextant_ingest_accepted_items_total{kind=\"step\",protocol=\"otlp-grpc\"} 1.0");
    assertThat(scrape).contains("sextant_ingest_rejected_items_total{protocol=\"native\"} 1.0");
  }
}
