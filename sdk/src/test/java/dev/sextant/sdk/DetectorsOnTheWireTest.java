package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Personal data and secrets in any field are masked before the body leaves the process. */
class DetectorsOnTheWireTest {
  private static final List<String> SEEDS = List.of("+14155550100", "jane.doe@example.com", "4111 1111 1111 1111",
      "AKIAIOSFODNN7EXAMPLE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
      "DE89 3704 0044 0532 0130 00", "203.0.113.42", "sk-proj-4f9Xk2LmQ8vR1tZ7wB3nH6yJ0cD5eA9s");

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();

  @Test
  void everyField_leavesWithMarkers_whenContentIsNotCaptured() {
    Sextant sextant = TestSdk.inline(clock, exporter).label("owner", "+14155550100").build();
    for (String seed : SEEDS) {
      try (Run run = sextant.startRun("run for " + seed)) {
        run.sessionId(seed).label("user", seed).metadata("phone", seed).metadata("password", "hunter2-horse");
        try (Step step = run.step("tool", "call " + seed)) {
          step.metadata("contact", seed).model(seed).provider(seed).emit("event " + seed, Map.of("who", seed))
              .error("tool", "timeout", "failed for " + seed);
        }
        run.recordFailure("tool", "timeout", "failed for " + seed);
      }
    }
    String json = new String(BatchEncoder.encode(new Batch(exporter.runs(), exporter.steps())), StandardCharsets.UTF_8);
    assertThat(json).contains("[phone]", "[email]", "[card]", "[secret]", "[jwt]", "[iban]", "[ip]");
    for (String seed : SEEDS) assertThat(json).doesNotContain(seed);
    assertThat(json).doesNotContain("hunter2-horse");
  }

  @Test
  void capturedContent_isLeftToTheProjectsPolicy() {
    Sextant sextant = TestSdk.inline(clock, exporter).captureContent(true).build();
    try (Run run = sextant.startRun("r")) {
      try (Step step = run.step("llm", "answer")) {
        step.input("call me at +14155550100");
      }
    }
    String json = new String(BatchEncoder.encode(new Batch(exporter.runs(), exporter.steps())), StandardCharsets.UTF_8);
    assertThat(json).contains("call me at +14155550100");
  }
}
