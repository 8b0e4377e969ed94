package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.Settings;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS (off by default; preflight allowed and refused), the body limit and trace ids over HTTP. */
class ITServerSettings {
  static final String APP = "https://app.example.com";

  static TestServer.Response preflight(TestServer s, String origin, String method) {
    return s.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/runs"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", "authorization, content-type").build());
  }

  @Test
  void cors_preflightAllowedForAConfiguredOrigin_refusedForOthers() {
    try (TestServer s = TestServer.start(c -> c.toBuilder().settings(
        new Settings(0, Duration.ofSeconds(60), List.of(APP), false)).build())) {
      TestServer.Response ok = preflight(s, APP, "GET");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("access-control-allow-origin")).isEqualTo(APP);
      assertThat(ok.header("access-control-allow-methods")).contains("GET").contains("POST");
      assertThat(ok.header("access-control-allow-headers")).contains("authorization").contains("content-type");
      assertThat(ok.header("access-control-allow-credentials")).isNull();

      TestServer.Response other = preflight(s, "https://evil.example", "GET");
      assertError(other, 403, "cors_origin_not_allowed");
      assertThat(json(other.body()).path("message").asText()).isEqualTo("origin https://evil.example may not call"
          + " this API from a browser; add it to --cors-origins (SEXTANT_CORS_ORIGINS)");
      assertThat(other.header("access-control-allow-origin")).isNull();
      TestServer.Response method = preflight(s, APP, "DELETE");
      // a method the API does not take is left out of the allowed methods, so the browser refuses it
      assertThat(method.header("access-control-allow-methods")).doesNotContain("DELETE");

      TestServer.Response get = s.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/runs"))
          .header("Authorization", "Bearer " + TestServer.API_KEY).header("Origin", APP).GET().build());
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.header("access-control-allow-origin")).isEqualTo(APP);
      assertThat(get.header("access-control-expose-headers")).contains("x-trace-id");
    }
  }

  @Test
  void cors_isOffByDefault() {
    try (TestServer s = TestServer.start()) {
      TestServer.Response r = preflight(s, APP, "GET");
      assertThat(r.header("access-control-allow-origin")).isNull();
      TestServer.Response get = s.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/runs"))
          .header("Authorization", "Bearer " + TestServer.API_KEY).header("Origin", APP).GET().build());
      assertThat(get.header("access-control-allow-origin")).isNull();
    }
  }

  @Test
  void bodyLimit_isTheConfiguredOne() {
    try (TestServer s = TestServer.start(c -> c.toBuilder().limits(c.limits().withMaxBodyBytes(4096)).build())) {
      String small = "{\"runs\":[{\"run_id\":\"small\"}]}";
      assertThat(s.post("/v1/ingest", small).status()).isEqualTo(200);
      String big = "{\"runs\":[{\"run_id\":\"big\",\"name\":\"" + "x".repeat(5000) + "\"}]}";
      TestServer.Response r = s.post("/v1/ingest", big);
      assertError(r, 413, "too_large");
      assertThat(json(r.body()).path("message").asText()).isEqualTo(
          "the request body is larger than the limit of 4096 bytes (0.0 MiB, counted after decompression); send smaller batches");
    }
  }

  @Test
  void traceId_isTheTraceparentsOrANewOne() {
    try (TestServer s = TestServer.start()) {
      String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
      TestServer.Response given = s.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/runs"))
          .header("Authorization", "Bearer " + TestServer.API_KEY)
          .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").GET().build());
      assertThat(given.header("x-trace-id")).isEqualTo(trace);
      String fresh = s.get("/v1/runs").header("x-trace-id");
      assertThat(fresh).matches("[0-9a-f]{32}").isNotEqualTo(trace);
      assertThat(s.get("/v1/runs").header("x-trace-id")).isNotEqualTo(fresh);
    }
  }
}
