package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpExporterTest {

  private final FakeClock clock = new FakeClock();
  private final RecordingSleeper sleeper = new RecordingSleeper();
  private FakeCollector collector;
  private Sextant sextant;

  private Sextant.Builder inlineTo(String endpoint) {
    return Sextant.builder()
        .agent("support-agent")
        .endpoint(endpoint)
        .apiKey("sk-test")
        .mode(Sextant.Mode.INLINE)
        .clock(clock)
        .sleeper(sleeper)
        .requestTimeout(Duration.ofSeconds(2))
        .environmentVariables(Map.of());
  }

  private void produceOneRunWithSteps(int steps) {
    try (Run run = sextant.startRun("handle_ticket")) {
      for (int i = 0; i < steps; i++) {
        run.step("tool", "t" + i).metadata("i", i).close();
      }
    }
  }

  @AfterEach
  void tearDown() {
    if (sextant != null) {
      sextant.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void success_postsGzippedJsonWithTheApiKey() throws Exception {
    collector = new FakeCollector();
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(20);

    assertThat(collector.requests).hasSize(1);
    FakeCollector.Request request = collector.requests.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/ingest");
    assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.header("User-Agent")).startsWith("sextant-java/");
    assertThat(request.body()).startsWith("{\"runs\":[{\"run_id\":").contains("\"name\":\"t19\"");
    assertThat(request.rawBody().length).isLessThan(request.body().length());
    assertThat(sextant.stats().exported()).isEqualTo(21);
  }

  @Test
  void smallBodies_areNotCompressed() throws Exception {
    collector = new FakeCollector();
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(0);
    assertThat(collector.requests.get(0).header("Content-Encoding")).isNull();
  }

  @Test
  void tooManyRequests_honoursRetryAfter_thenSucceeds() throws Exception {
    collector = new FakeCollector()
        .thenStatus(429, "{\"error\":\"overloaded\",\"message\":\"slow down\"}", "Retry-After", "7")
        .thenStatus(503, "", "Retry-After", "1");
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(1);

    assertThat(collector.requests).hasSize(3);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(1));
    assertThat(sextant.stats().exported()).isEqualTo(2);
  }

  @Test
  void retryAfter_isCappedAtOneMinute() throws Exception {
    collector = new FakeCollector().thenStatus(503, "", "Retry-After", "3600");
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(0);
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(60));
  }

  @Test
  void badGatewayAndNoRetryAfter_backOffExponentiallyWithJitter() throws Exception {
    collector = new FakeCollector().thenStatus(502, "").thenStatus(504, "").thenStatus(502, "");
    sextant = inlineTo(collector.endpoint()).retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(10)).build();
    produceOneRunWithSteps(0);
    assertThat(collector.requests).hasSize(4);
    assertThat(sleeper.waits).hasSize(3);
    assertThat(sleeper.waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeper.waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeper.waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(sextant.stats().exported()).isEqualTo(1);
  }

  @Test
  void serverError_isNotRetried_andTheBatchCountsAsFailed() throws Exception {
    collector = new FakeCollector().thenStatus(500, "{\"error\":\"internal\",\"message\":\"boom\"}");
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(2);
    assertThat(collector.requests).hasSize(1);
    assertThat(sleeper.waits).isEmpty();
    assertThat(sextant.stats().failed()).isEqualTo(3);
  }

  @Test
  void unauthorized_failsWithoutRetry() throws Exception {
    collector = new FakeCollector().thenStatus(401, "{\"error\":\"unauthorized\",\"message\":\"unknown key\"}");
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(0);
    assertThat(collector.requests).hasSize(1);
    assertThat(sextant.stats().failed()).isEqualTo(1);
  }

  @Test
  void garbageBodyOnSuccess_countsAsExported() throws Exception {
    collector = new FakeCollector().thenGarbage();
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(1);
    assertThat(sextant.stats().exported()).isEqualTo(2);
    assertThat(sextant.stats().failed()).isZero();
  }

  @Test
  void partialAcceptance_countsRejectedRecordsAsFailed() throws Exception {
    collector = new FakeCollector().thenStatus(200,
        "{\"accepted\":{\"runs\":1,\"steps\":2},\"errors\":[{\"kind\":\"step\",\"index\":0,\"message\":\"seq must be positive\"}]}");
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(3);
    Stats stats = sextant.stats();
    assertThat(stats.exported()).isEqualTo(3);
    assertThat(stats.failed()).isEqualTo(1);
  }

  @Test
  void payloadTooLarge_splitsTheBatchInHalves() throws Exception {
    collector = new FakeCollector().thenStatus(413, "{\"error\":\"too_large\",\"message\":\"body over 10 MiB\"}");
    sextant = inlineTo(collector.endpoint()).build();
    produceOneRunWithSteps(9);
    assertThat(collector.requests).hasSize(3);
    assertThat(sextant.stats().exported()).isEqualTo(10);
    assertThat(collector.requests.get(1).body()).contains("\"runs\":[{");
    assertThat(collector.requests.get(2).body()).contains("\"runs\":[]");
  }

  @Test
  void serverDown_retriesThenFails_withoutThrowing() throws Exception {
    sextant = inlineTo(FakeCollector.downEndpoint()).maxExportAttempts(3).build();
    produceOneRunWithSteps(1);
    assertThat(sleeper.waits).hasSize(2);
    assertThat(sextant.stats().failed()).isEqualTo(2);
  }

  @Test
  void slowServer_timesOutAndRetries() throws Exception {
    collector = new FakeCollector().thenStall();
    sextant = inlineTo(collector.endpoint()).requestTimeout(Duration.ofMillis(300)).build();
    produceOneRunWithSteps(0);
    assertThat(collector.requests).hasSize(2);
    assertThat(sleeper.waits).hasSize(1);
    assertThat(sextant.stats().exported()).isEqualTo(1);
  }

  @Test
  void overServerLimits_splitsBeforeSending() throws Exception {
    collector = new FakeCollector();
    CapturingExporter capture = new CapturingExporter();
    Sextant producer = TestSdk.inline(clock, capture).maxStepsPerRun(20_000).build();
    try (Run run = producer.startRun("r")) {
      for (int i = 0; i < HttpExporter.MAX_STEPS_PER_REQUEST + 5; i++) {
        run.step("tool", "t").close();
      }
    }
    HttpExporter http = new HttpExporter(java.net.URI.create(collector.endpoint() + "/v1/ingest"), null,
        Duration.ofSeconds(5), true, 1, Duration.ofMillis(1), Duration.ofMillis(1), sleeper,
        new SdkLog(clock, 1));
    assertThat(capture.batches.get(0).steps().size()).isEqualTo(HttpExporter.MAX_STEPS_PER_REQUEST + 5);
    assertThat(http.exportCounting(capture.batches.get(0))).isZero();
    assertThat(collector.requests.size()).isEqualTo(2);
    assertThat(collector.requests.get(0).header("Authorization")).isNull();
    http.close();
  }

  @Test
  void asyncMode_againstACollectorThatIsDown_neverBlocksTheCaller() throws Exception {
    sextant = Sextant.builder().agent("a").endpoint(FakeCollector.downEndpoint()).shutdownHook(false)
        .closeTimeout(Duration.ofMillis(500)).environmentVariables(Map.of()).build();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      try (Run run = sextant.startRun("r")) {
        run.step("tool", "t").close();
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    sextant.close();
    Stats stats = sextant.stats();
    assertThat(stats.exported()).isZero();
    assertThat(stats.exported() + stats.dropped() + stats.failed()).isEqualTo(stats.produced()).isEqualTo(300);
  }
}
