package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alerting API over a real server: validation messages, rules, silences, channels and "send test". */
class ITAlertsApi {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static JsonNode ok(TestServer.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    return r.body().isEmpty() ? null : Json.read(r.body());
  }

  static String message(TestServer.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    return Json.read(r.body()).get("message").asText();
  }

  @Test
  void rules_areValidatedWithMessagesSayingWhatToFix() {
    assertThat(message(server.post("/v1/alerts/rules", "{\"kind\":\"budget\"}"))).isEqualTo("name is required");
    assertThat(message(server.post("/v1/alerts/rules", "{\"name\":\"x\",\"kind\":\"cpu\"}")))
        .isEqualTo("kind must be one of budget, error_rate, latency_p95, failure_count, no_data, version_worse; got \"cpu\"");
    assertThat(message(server.post("/v1/alerts/rules", "{\"name\":\"x\",\"kind\":\"budget\",\"period\":\"year\"}")))
        .isEqualTo("period must be day, week or month for a budget rule");
    assertThat(message(server.post("/v1/alerts/rules",
        "{\"name\":\"x\",\"kind\":\"error_rate\",\"window_seconds\":600,\"threshold\":5}")))
        .isEqualTo("threshold must be an error rate between 0 and 1, e.g. 0.1");
    assertThat(message(server.post("/v1/alerts/rules", "{\"name\":\"x\",\"kind\":\"no_data\",\"window_seconds\":10}")))
        .isEqualTo("window_seconds must be 60 or more (the evaluation step)");
    assertThat(message(server.post("/v1/alerts/rules",
        "{\"name\":\"x\",\"kind\":\"budget\",\"period\":\"day\",\"amount_usd\":5,\"channels\":[\"nope\"]}")))
        .isEqualTo("channels: no channel nope in this project; create it with POST /v1/alerts/channels");
    assertThat(message(server.post("/v1/alerts/channels", "{\"name\":\"x\",\"type\":\"webhook\",\"url\":\"ftp://a\"}")))
        .isEqualTo("url must be an http or https URL, got \"ftp://a\"");
    assertThat(message(server.post("/v1/alerts/silences", "{\"ends_at\":\"tomorrow\"}")))
        .isEqualTo("ends_at must be an RFC 3339 time such as 2026-01-01T12:00:00Z, got \"tomorrow\"");
  }

  @Test
  void budgetRule_defaultsToThresholds80And100_andRoundTrips() {
    JsonNode rule = ok(server.post("/v1/alerts/rules",
        "{\"name\":\"monthly\",\"kind\":\"budget\",\"period\":\"month\",\"amount_usd\":100,\"agent\":\"a\"}"), 201);
    assertThat(rule.get("thresholds").toString()).isEqualTo("[0.8,1.0]");
    String id = rule.get("id").asText();
    assertThat(ok(server.get("/v1/alerts/rules/" + id), 200)).isEqualTo(rule);
    JsonNode list = ok(server.get("/v1/alerts/rules"), 200);
    assertThat(list.get("rules")).extracting(r -> r.get("id").asText()).contains(id);
    ok(server.call("DELETE", "/v1/alerts/rules/" + id, TestServer.API_KEY, null), 204);
    assertThat(server.get("/v1/alerts/rules/" + id).status()).isEqualTo(404);
  }

  @Test
  void sendTest_postsASignedBodyToTheChannel_andLogsTheDelivery() throws IOException {
    List<String> received = new CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        received.add(ex.getRequestHeaders().getFirst("X-Sextant-Signature") + " "
            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    try {
      String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
      JsonNode ch = ok(server.post("/v1/alerts/channels",
          "{\"name\":\"ops\",\"type\":\"webhook\",\"url\":\"" + url + "\",\"secret\":\"abc\"}"), 201);
      assertThat(ch.has("secret")).isFalse();
      assertThat(ch.get("has_secret").asBoolean()).isTrue();
      JsonNode delivery = ok(server.post("/v1/alerts/channels/" + ch.get("id").asText() + "/test", ""), 200);
      assertThat(delivery.get("status").asText()).isEqualTo("delivered");
      assertThat(delivery.get("response_code").asInt()).isEqualTo(204);
      assertThat(received).hasSize(1);
      assertThat(received.get(0)).startsWith("sha256=").contains("\"rule_id\":\"test\"");
      JsonNode log = ok(server.get("/v1/alerts/deliveries"), 200);
      assertThat(log.at("/deliveries/0/channel_id").asText()).isEqualTo(ch.get("id").asText());

      // edited without a secret: it keeps the one it had, and still signs
      String path = "/v1/alerts/channels/" + ch.get("id").asText();
      JsonNode renamed = ok(server.call("PUT", path, TestServer.API_KEY,
          "{\"name\":\"on-call\",\"type\":\"webhook\",\"url\":\"" + url + "\",\"max_attempts\":2}"), 200);
      assertThat(renamed.get("name").asText()).isEqualTo("on-call");
      assertThat(renamed.get("has_secret").asBoolean()).isTrue();
      assertThat(renamed.get("max_attempts").asInt()).isEqualTo(2);
      assertThat(ok(server.get(path), 200)).isEqualTo(renamed);
      ok(server.post(path + "/test", ""), 200);
      assertThat(received).hasSize(2);
      assertThat(received.get(1)).startsWith("sha256=");
      // "secret": null removes it: the body goes unsigned
      JsonNode unsigned = ok(server.call("PUT", path, TestServer.API_KEY,
          "{\"name\":\"on-call\",\"type\":\"webhook\",\"url\":\"" + url + "\",\"secret\":null}"), 200);
      assertThat(unsigned.get("has_secret").asBoolean()).isFalse();
      ok(server.post(path + "/test", ""), 200);
      assertThat(received.get(2)).startsWith("null ");
      assertThat(message(server.call("PUT", path, TestServer.API_KEY, "{\"name\":\"x\",\"type\":\"pager\"}")))
          .isEqualTo("type must be webhook or slack");
      assertThat(server.call("PUT", "/v1/alerts/channels/nope", TestServer.API_KEY,
          "{\"name\":\"x\",\"type\":\"webhook\",\"url\":\"" + url + "\"}").status()).isEqualTo(404);
    } finally {
      hook.stop(0);
    }
  }
}
