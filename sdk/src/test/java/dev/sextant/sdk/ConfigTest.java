package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConfigTest {

  @Test
  void environment_fillsWhatTheBuilderLeavesUnset() {
    Sextant sextant = Sextant.builder()
        .environmentVariables(Map.of(
            "SEXTANT_ENDPOINT", "https://sextant.internal:9000/",
            "SEXTANT_API_KEY", "sk-env",
            "SEXTANT_AGENT_ID", "env-agent",
            "SEXTANT_AGENT_VERSION", "v9",
            "SEXTANT_ENVIRONMENT", "staging",
            "SEXTANT_MODE", "inline",
            "SEXTANT_CAPTURE_CONTENT", "true"))
        .build();
    Config c = sextant.config;
    assertThat(c.ingestUri()).isEqualTo(URI.create("https://sextant.internal:9000/v1/ingest"));
    assertThat(c.apiKey()).isEqualTo("sk-env");
    assertThat(c.agentId()).isEqualTo("env-agent");
    assertThat(c.agentVersion()).isEqualTo("v9");
    assertThat(c.environment()).isEqualTo("staging");
    assertThat(c.mode()).isEqualTo(Sextant.Mode.INLINE);
    assertThat(c.captureContent()).isTrue();
    assertThat(c.shutdownHook()).isFalse();
    sextant.close();
  }

  @Test
  void builderValues_winOverTheEnvironment() {
    Sextant sextant = Sextant.builder()
        .agent("support-agent").agentVersion("v1.0.0").environment("production")
        .endpoint("http://localhost:8000").apiKey("sk-builder").mode(Sextant.Mode.INLINE)
        .environmentVariables(Map.of("SEXTANT_ENDPOINT", "http://other:1", "SEXTANT_API_KEY", "sk-env",
            "SEXTANT_AGENT_ID", "env-agent", "SEXTANT_MODE", "async"))
        .build();
    assertThat(sextant.config.ingestUri()).isEqualTo(URI.create("http://localhost:8000/v1/ingest"));
    assertThat(sextant.config.apiKey()).isEqualTo("sk-builder");
    assertThat(sextant.config.agentId()).isEqualTo("support-agent");
    assertThat(sextant.config.mode()).isEqualTo(Sextant.Mode.INLINE);
    sextant.close();
  }

  @Test
  void apiKeyNull_fromAMissingVariable_fallsBackToTheEnvironment() {
    Sextant sextant = Sextant.builder().apiKey(null).mode(Sextant.Mode.INLINE)
        .environmentVariables(Map.of("SEXTANT_API_KEY", "sk-env")).build();
    assertThat(sextant.config.apiKey()).isEqualTo("sk-env");
  }

  @Test
  void defaults() {
    Sextant sextant = Sextant.builder().shutdownHook(false).environmentVariables(Map.of()).build();
    Config c = sextant.config;
    assertThat(c.ingestUri()).isEqualTo(URI.create("http://localhost:8000/v1/ingest"));
    assertThat(c.agentId()).isEqualTo("unknown");
    assertThat(c.mode()).isEqualTo(Sextant.Mode.ASYNC);
    assertThat(c.captureContent()).isFalse();
    assertThat(c.queueCapacity()).isEqualTo(8192);
    assertThat(c.maxBatchSize()).isEqualTo(512);
    assertThat(c.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.gzip()).isTrue();
    assertThat(sextant.isEnabled()).isTrue();
    sextant.close();
  }

  @Test
  void invalidValues_areReplacedByDefaults_neverThrown() {
    Sextant sextant = Sextant.builder()
        .queueCapacity(0).maxBatchSize(5000).flushInterval(Duration.ofSeconds(-1)).requestTimeout(null)
        .maxEventsPerStep(-3).label("Bad Key", "v").shutdownHook(false)
        .environmentVariables(Map.of("SEXTANT_MODE", "turbo"))
        .build();
    Config c = sextant.config;
    assertThat(c.queueCapacity()).isEqualTo(8192);
    assertThat(c.maxBatchSize()).isEqualTo(1000);
    assertThat(c.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxEventsPerStep()).isEqualTo(1000);
    assertThat(c.labels()).isEmpty();
    assertThat(c.mode()).isEqualTo(Sextant.Mode.ASYNC);
    sextant.close();
  }

  @Test
  void shutdownHook_isRegisteredInAsyncMode_flushesOnExit_andIsRemovedByClose() {
    CapturingExporter exporter = new CapturingExporter();
    Sextant sextant = Sextant.builder().agent("a").exporter(exporter).environmentVariables(Map.of()).build();
    assertThat(sextant.shutdownHook).isNotNull();
    sextant.startRun("r").close();
    sextant.shutdownHook.run();
    assertThat(exporter.runs()).hasSize(1);
    assertThat(Runtime.getRuntime().removeShutdownHook(sextant.shutdownHook)).isFalse();

    Sextant inline = Sextant.builder().mode(Sextant.Mode.INLINE).exporter(exporter)
        .environmentVariables(Map.of()).build();
    assertThat(inline.shutdownHook).isNull();
    Sextant off = Sextant.builder().exporter(exporter).shutdownHook(false).environmentVariables(Map.of()).build();
    assertThat(off.shutdownHook).isNull();
  }

  @Test
  void invalidEndpoint_disablesTheSdk() {
    Sextant sextant = Sextant.builder().endpoint("localhost:8000").environmentVariables(Map.of()).build();
    assertThat(sextant.isEnabled()).isFalse();
    Sextant ftp = Sextant.builder().endpoint("ftp://host").environmentVariables(Map.of()).build();
    assertThat(ftp.isEnabled()).isFalse();
  }

  @Test
  void endpoint_alreadyEndingInIngestPath_isKept() {
    assertThat(Sextant.Builder.ingestUri("http://h:1/v1/ingest")).isEqualTo(URI.create("http://h:1/v1/ingest"));
    assertThat(Sextant.Builder.ingestUri("http://h:1/sextant/")).isEqualTo(URI.create("http://h:1/sextant/v1/ingest"));
  }

  @Test
  void disabledByEnvironment_winsOverTheBuilder_andTheSdkIsANoOp() {
    AtomicInteger exports = new AtomicInteger();
    Sextant sextant = Sextant.builder().disabled(false).mode(Sextant.Mode.INLINE)
        .exporter(batch -> exports.incrementAndGet())
        .environmentVariables(Map.of("SEXTANT_DISABLED", "true"))
        .build();
    assertThat(sextant.isEnabled()).isFalse();
    String value;
    try (Run run = sextant.startRun("r")) {
      assertThat(run.id()).isNull();
      assertThat(Sextant.current().run()).isEmpty();
      value = run.step("tool", "t", step -> {
        step.metadata("k", 1).emit("e").child("llm", "c").close();
        return "ran";
      });
      run.recordFailure("tool", "timeout", "x");
    }
    String fromRun = sextant.run("r2", run -> "also ran");
    assertThat(value).isEqualTo("ran");
    assertThat(fromRun).isEqualTo("also ran");
    assertThat(exports).hasValue(0);
    assertThat(sextant.stats()).isEqualTo(new Stats(0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(sextant.flush(Duration.ofSeconds(1))).isTrue();
    sextant.close();
  }
}
