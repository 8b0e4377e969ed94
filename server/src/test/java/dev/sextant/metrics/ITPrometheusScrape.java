package dev.sextant.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) scrapes a running server with the
 * documented {@code scrape_config} and a bearer token, and the value comes back through its query API.
 */
class ITPrometheusScrape {
  @TempDir Path dir;

  @Test
  void prometheus_scrapesWithABearerToken_andAnswersAQuery() throws Exception {
    Promtool.assertInstalled();
    try (TestServer server = TestServer.start()) {
      String ingest = server.newKey("shop", "ingest");
      String metrics = server.newKey("shop", "metrics");
      Instant t = Instant.now().minusSeconds(600);
      StringBuilder body = new StringBuilder("{\"runs\":[");
      for (int i = 0; i < 3; i++) {
        if (i > 0) body.append(',');
        body.append("{\"run_id\":\"p").append(i).append("\",\"agent_id\":\"checkout\",\"agent_version\":\"1.2\",")
            .append("\"environment\":\"prod\",\"start_time\":\"").append(t).append("\",\"end_time\":\"")
            .append(t.plusMillis(700)).append("\",\"status\":\"success\"}");
      }
      TestServer.Response r = server.call("POST", "/v1/ingest", ingest, body.append("]}").toString());
      assertThat(r.status()).as(r.body()).isEqualTo(200);

      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, String.join("\n",
          "global:",
          "  scrape_interval: 1s",
          "scrape_configs:",
          "  - job_name: sextant",
          "    metrics_path: /metrics",
          "    authorization:",
          "      credentials: " + metrics,
          "    static_configs:",
          "      - targets: ['127.0.0.1:" + server.port() + "']",
          ""));
      Process prometheus = new ProcessBuilder(Promtool.PROMETHEUS.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      try {
        String query = "sextant_agent_runs_total{job=\"sextant\",project=\"shop\",agent=\"checkout\","
            + "version=\"1.2\",environment=\"prod\",status=\"success\"}";
        JsonNode result = poll(port, query, Duration.ofSeconds(90));
        assertThat(result).as("Prometheus' log:\n" + Files.readString(dir.resolve("prometheus.log"))).isNotNull();
        assertThat(result.path("value").path(1).asText()).isEqualTo("3");
        JsonNode up = poll(port, "up{job=\"sextant\"}", Duration.ofSeconds(10));
        assertThat(up.path("value").path(1).asText()).isEqualTo("1");
        JsonNode p50 = poll(port,
            "histogram_quantile(0.5, sum by (le) (sextant_agent_run_duration_seconds_bucket{agent=\"checkout\"}))",
            Duration.ofSeconds(10));
        // all three runs took 0.7 s: the median lies in the (0.5, 1] bucket
        assertThat(p50.path("value").path(1).asDouble()).isBetween(0.5, 1.0);
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
      }
    }
  }

  /** The first sample of an instant query once it has one, or null after {@code patience}. */
  static JsonNode poll(int port, String query, Duration patience) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonNode result = Json.read(r.body()).path("data").path("result");
          if (result.size() > 0 && !result.get(0).path("value").path(1).asText().equals("NaN")) return result.get(0);
        }
      } catch (IOException notYetListening) {
        // Prometheus is still starting
      }
      Thread.sleep(500);
    }
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
