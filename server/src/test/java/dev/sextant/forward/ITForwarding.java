package dev.sextant.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.server.Forwarding;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Forwarding to a real OTLP receiver: a second Sextant, which decodes the forwarded OTLP/protobuf
 * with its own OTLP endpoint. And an endpoint that never answers: ingest stays fast, the bounded
 * queue drops what does not fit, and /metrics shows it.
 */
class ITForwarding {
  static final Instant T = Instant.now().minusSeconds(60);

  @Test
  void forwardsCommittedRecords_afterTheContentPolicy_asGenAiSpans() throws Exception {
    try (TestServer receiver = TestServer.start()) {
      receiver.contentPolicy("full");
      URI url = URI.create(receiver.baseUrl() + "/v1/traces");
      Forwarding forwarding = new Forwarding(Map.of("default", url),
          Map.of("Authorization", "Bearer " + TestServer.API_KEY), 100, 3);
      try (TestServer sender = TestServer.start(c -> c.toBuilder().forwarding(forwarding).build())) {
        String runId = "7b0c2f5e9d8a4c3b8e2f1a0b9c8d7e6f";
        TestServer.Response r = sender.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"" + runId + "\","
            + "\"agent_id\":\"fwd-agent\",\"agent_version\":\"v3\",\"environment\":\"staging\",\"name\":\"handle_ticket\","
            + "\"start_time\":\"" + T + "\",\"end_time\":\"" + T.plusMillis(900) + "\",\"status\":\"failure\","
            + "\"failure\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"billing_api timed out\"},"
            + "\"input\":{\"question\":\"my card number is 4111 1111 1111 1111\"}}],"
            + "\"steps\":[{\"run_id\":\"" + runId + "\",\"step_id\":\"a1b2c3d4e5f60718\",\"seq\":1,\"type\":\"llm\","
            + "\"name\":\"chat\",\"model\":\"gpt-test\",\"provider\":\"openai\",\"input_tokens\":120,\"output_tokens\":30,"
            + "\"start_time\":\"" + T.plusMillis(10) + "\",\"end_time\":\"" + T.plusMillis(300) + "\",\"status\":\"ok\"},"
            + "{\"run_id\":\"" + runId + "\",\"step_id\":\"b1b2c3d4e5f60718\",\"seq\":2,\"type\":\"tool\","
            + "\"name\":\"billing_api\",\"start_time\":\"" + T.plusMillis(300) + "\",\"end_time\":\"" + T.plusMillis(890)
            + "\",\"status\":\"timeout\",\"error\":{\"type\":\"tool\",\"code\":\"timeout\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);

        JsonNode run = await(receiver, "/v1/runs?agent=fwd-agent");
        assertThat(run.path("agent_version").asText()).isEqualTo("v3");
        assertThat(run.path("environment").asText()).isEqualTo("staging");
        assertThat(run.path("status").asText()).isEqualTo("failure");
        assertThat(run.path("step_count").asInt()).isEqualTo(3);
        assertThat(run.path("input_tokens").asLong()).isEqualTo(120);
        JsonNode detail = Json.read(receiver.get("/v1/runs/" + run.path("run_id").asText()).body());
        List<String> types = new ArrayList<>();
        for (JsonNode s : detail.path("steps")) types.add(s.path("type").asText() + ":" + s.path("status").asText());
        assertThat(types).contains("llm:ok", "tool:timeout");
        for (JsonNode s : detail.path("steps")) {
          if (s.path("type").asText().equals("llm")) assertThat(s.path("model").asText()).isEqualTo("gpt-test");
        }
        // the sender's policy (metadata-only) dropped the input before it was forwarded
        assertThat(detail.at("/run/input").isNull()).as(detail.toString()).isTrue();
        assertThat(receiver.get("/v1/runs/" + run.path("run_id").asText()).body()).doesNotContain("4111 1111").doesNotContain("4111111111111111");

        String metrics = sender.get("/metrics").body();
        assertThat(metric(metrics, "sextant_forward_spans_total", "outcome=\"sent\"")).isEqualTo(3.0);
        assertThat(metric(metrics, "sextant_forward_queue_batches", "")).isZero();
      }
    }
  }

  @Test
  void anEndpointThatNeverAnswers_neitherSlowsNorFailsIngest_andOverflowIsDropped() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) held.add(silent.accept());
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1/traces");
      Forwarding forwarding = new Forwarding(Map.of("default", url), Map.of(), 1, 3);
      try (TestServer sender = TestServer.start(c -> c.toBuilder().forwarding(forwarding).build())) {
        long slowest = 0;
        for (int i = 0; i < 6; i++) {
          long t0 = System.nanoTime();
          TestServer.Response r = sender.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"silent-" + i
              + "\",\"agent_id\":\"a\",\"start_time\":\"" + T + "\"}]}");
          slowest = Math.max(slowest, System.nanoTime() - t0);
          assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(slowest / 1_000_000).as("slowest ingest, ms").isLessThan(5_000);
        String metrics = sender.get("/metrics").body();
        // one batch is being sent (and hangs), at most one waits: the others were dropped
        assertThat(metric(metrics, "sextant_forward_spans_total", "outcome=\"dropped\"")).isGreaterThanOrEqualTo(4.0);
        assertThat(metric(metrics, "sextant_forward_queue_batches", "")).isLessThanOrEqualTo(1.0);
        assertThat(Json.read(sender.get("/v1/runs?agent=a").body()).path("runs")).hasSize(6);
      } finally {
        for (Socket s : held) s.close();
      }
    }
  }

  private static JsonNode await(TestServer server, String path) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode runs = Json.read(server.get(path).body()).path("runs");
      if (runs.size() > 0 && runs.get(0).path("end_time").isTextual() && runs.get(0).path("step_count").asInt() >= 3) {
        return runs.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nothing arrived at " + path + ": " + server.get(path).body());
  }

  /** The value of the first sample of {@code name} whose labels contain {@code label}; 0 when absent. */
  static double metric(String text, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(text);
    while (m.find()) {
      if (m.group(1) == null ? label.isEmpty() : m.group(1).contains(label)) return Double.parseDouble(m.group(2));
    }
    return 0;
  }
}
