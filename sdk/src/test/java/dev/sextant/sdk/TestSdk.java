package dev.sextant.sdk;

import java.util.Map;

/** Builders for instances under test: inline, capturing, with a fake clock and no environment. */
final class TestSdk {

  private TestSdk() {}

  static Sextant.Builder inline(FakeClock clock, Exporter exporter) {
    return Sextant.builder()
        .agent("support-agent")
        .agentVersion("v1.0.0")
        .environment("test")
        .mode(Sextant.Mode.INLINE)
        .exporter(exporter)
        .clock(clock)
        .sleeper(new RecordingSleeper())
        .systemLabels(false)
        .environmentVariables(Map.of());
  }
}
