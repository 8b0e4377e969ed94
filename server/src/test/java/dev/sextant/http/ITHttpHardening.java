package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Security headers on every answer. */
class ITHttpHardening {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.withOtlp(0, -1, true));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void assertSecurityHeaders(TestServer.Response r) {
    assertThat(r.header("x-content-type-options")).as("nosniff on " + r.raw().uri()).isEqualTo("nosniff");
    assertThat(r.header("referrer-policy")).isEqualTo("no-referrer");
    assertThat(r.header("x-frame-options")).isEqualTo("DENY");
    assertThat(r.header("content-security-policy")).contains("frame-ancestors 'none'");
  }

  @Test
  void everyKindOfAnswer_carriesTheSecurityHeaders() {
    TestServer.Response json = server.get("/v1/runs");
    assertThat(json.status()).isEqualTo(200);
    assertSecurityHeaders(json);
    assertThat(json.header("content-security-policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    assertSecurityHeaders(server.call("GET", "/v1/runs", null, null));
    assertSecurityHeaders(server.get("/v1/no-such-endpoint"));
    assertSecurityHeaders(server.call("GET", "/health", null, null));
    assertSecurityHeaders(server.call("PUT", "/v1/ingest", TestServer.API_KEY, "{}"));
    assertSecurityHeaders(server.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.server().otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
  }
}
