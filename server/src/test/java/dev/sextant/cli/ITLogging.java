package dev.sextant.cli;

import static dev.sextant.cli.ITStartupFailures.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}, {@code --log-file} with rotation and {@code --access-log}, in a server process. */
class ITLogging {
  private static final String KEY = "sk-logging-test-0123456789";
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir Path dir;

  @Test
  void jsonLines_carryTraceProjectAndRun_andTheFileRollsOver() throws Exception {
    Path log = dir.resolve("logs").resolve("sextant.log");
    Files.createDirectories(log.getParent());
    try (ServerProcess server = ServerProcess.start(List.of("--data-dir", dir.resolve("data").toString(), "--port", "0",
        "--otlp-http-port", "-1", "--otlp-grpc-port", "-1", "--log-format", "json", "--log-file", log.toString(),
        "--log-max-size", "4KiB", "--log-max-files", "2", "--access-log", "true"),
        Map.of("SEXTANT_BOOTSTRAP_API_KEY", KEY), dir)) {
      String base = "http://127.0.0.1:" + server.awaitPort(60);
      HttpClient http = HttpClient.newHttpClient();
      // the file's size is checked once a second: log over a few seconds
      for (int i = 0; i < 80; i++) {
        http.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(50);
      }
      // the request under test comes last, so rotation cannot have dropped its line
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/runs/run-42"))
          .header("Authorization", "Bearer " + KEY).header("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01")
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.headers().firstValue("x-trace-id")).contains(TRACE);
      Thread.sleep(500);

      // standard output is JSON lines as well
      String firstListening = server.output().lines().filter(l -> l.contains("Listening: http")).findFirst().orElseThrow();
      assertThat(Json.read(firstListening).path("logger").asText()).isEqualTo("dev.sextant.server.SextantServer");

      List<JsonNode> lines = new ArrayList<>();
      for (Path f : List.of(log, Path.of(log + ".1"), Path.of(log + ".2"))) {
        if (!Files.exists(f)) continue;
        for (String line : Files.readAllLines(f)) lines.add(Json.read(line));
      }
      JsonNode access = lines.stream().filter(l -> l.path("logger").asText().equals("sextant.access")
          && l.path("message").asText().startsWith("GET /v1/runs/run-42 ")).findFirst().orElseThrow(
              () -> new AssertionError("no access line for the request in " + lines.size() + " lines"));
      assertThat(access.path("level").asText()).isEqualTo("INFO");
      assertThat(access.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
      assertThat(access.path("message").asText()).matches("GET /v1/runs/run-42 404 \\d+\\.\\d ms");
      assertThat(access.path("trace_id").asText()).isEqualTo(TRACE);
      assertThat(access.path("project_id").asText()).isEqualTo("default");
      assertThat(access.path("run_id").asText()).isEqualTo("run-42");
      assertThat(access.has("thread")).isTrue();
    }
    try (Stream<Path> files = Files.list(log.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("sextant.log", "sextant.log.1", "sextant.log.2");
    }
    assertThat(Files.size(log)).isLessThan(8 * 1024);
  }

  @Test
  void badOptions_areExplained() {
    ITStartupFailures.Run format = run("serve", "--data-dir", dir.toString(), "--log-format", "xml");
    assertThat(format.status()).isEqualTo(2);
    assertThat(format.err()).contains("--log-format must be text or json, got \"xml\"");
    ITStartupFailures.Run cors = run("serve", "--data-dir", dir.toString(), "--cors-origins", "https://a.example/app");
    assertThat(cors.err()).contains("--cors-origins takes origins such as https://app.example.com (scheme and host, no path) or *, got \"https://a.example/app\"");
    ITStartupFailures.Run body = run("serve", "--data-dir", dir.toString(), "--body-limit", "lots");
    assertThat(body.err()).contains("--body-limit must be a size such as 10MiB");
    ITStartupFailures.Run timeout = run("serve", "--data-dir", dir.toString(), "--request-timeout", "-1s");
    assertThat(timeout.err()).contains("--request-timeout must be a duration such as 60s");
  }
}
