package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivacyAndLabelsTest {

  private final FakeClock clock = new FakeClock();
  private final CapturingExporter exporter = new CapturingExporter();

  @Test
  void metadata_keepsOnlySafeValues() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      try (Step step = run.step("tool", "t")) {
        step.metadata("http_status", 504)
            .metadata("latency_ms", 12.5)
            .metadata("cached", false)
            .metadata("tool", "billing_api")
            .metadata("path", "/v1/invoices:search")
            .metadata("email", "jane@example.com")
            .metadata("note", "the customer said hello")
            .metadata("nan", Double.NaN)
            .metadata("bad key", 1)
            .metadata("long", "x".repeat(65));
      }
    }
    assertThat(exporter.step("t").metadata()).containsExactly(
        Map.entry("http_status", 504L),
        Map.entry("latency_ms", 12.5),
        Map.entry("cached", false),
        Map.entry("tool", "billing_api"),
        Map.entry("path", "/v1/invoices:search"));
    assertThat(sextant.stats().rejectedValues()).isEqualTo(5);
  }

  @Test
  void metadata_sameKeyTwice_keepsTheLastValue_andAtMost64Keys() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      try (Step step = run.step("tool", "t")) {
        step.metadata("k", 1).metadata("k", 2);
        for (int i = 0; i < 70; i++) {
          step.metadata("m" + i, i);
        }
      }
    }
    Map<String, Object> metadata = exporter.step("t").metadata();
    assertThat(metadata).hasSize(64).containsEntry("k", 2L);
    assertThat(sextant.stats().rejectedValues()).isEqualTo(7);
  }

  @Test
  void content_isDroppedUnlessCaptureIsEnabled() {
    Sextant off = TestSdk.inline(clock, exporter).build();
    try (Run run = off.startRun("r")) {
      run.input("what is my balance?").output("42 EUR");
      try (Step step = run.step("llm", "chat")) {
        step.input(Map.of("prompt", "hi")).output("hello");
      }
    }
    assertThat(exporter.lastRun().input()).isNull();
    assertThat(exporter.lastRun().output()).isNull();
    assertThat(exporter.step("chat").input()).isNull();
    assertThat(exporter.step("chat").output()).isNull();
  }

  @Test
  void content_isCopiedWhenCaptureIsEnabled() {
    Sextant on = TestSdk.inline(clock, exporter).captureContent(true).build();
    List<String> messages = new java.util.ArrayList<>(List.of("hi"));
    try (Run run = on.startRun("r")) {
      run.input("what is my balance?");
      try (Step step = run.step("llm", "chat")) {
        step.input(Map.of("messages", messages)).output("hello").metadata("note", "free text is fine now");
        messages.add("changed later");
      }
    }
    assertThat(exporter.lastRun().input()).isEqualTo("what is my balance?");
    assertThat(exporter.step("chat").input()).isEqualTo(Map.of("messages", List.of("hi")));
    assertThat(exporter.step("chat").output()).isEqualTo("hello");
    assertThat(exporter.step("chat").metadata()).containsEntry("note", "free text is fine now");
  }

  @Test
  void labels_followTheServerRules_invalidOnesAreDroppedWithoutException() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      run.label("team", "billing")
          .label("Team", "x")
          .label("9lives", "x")
          .label("sextant_agent", "x")
          .label("has-dash", "x")
          .label("k".repeat(64), "x")
          .label("long_value", "v".repeat(257))
          .label("max_value", "é".repeat(256))
          .label("no_value", null);
    }
    assertThat(exporter.lastRun().labels()).containsOnlyKeys("team", "max_value");
    assertThat(sextant.stats().rejectedValues()).isEqualTo(7);
  }

  @Test
  void labels_atMost64PerRun() {
    Sextant sextant = TestSdk.inline(clock, exporter).build();
    try (Run run = sextant.startRun("r")) {
      for (int i = 0; i < 70; i++) {
        run.label("l" + i, "v");
      }
    }
    assertThat(exporter.lastRun().labels()).hasSize(64);
  }

  @Test
  void labels_fromBuilderAndEnvironment_areMerged_andRunLabelsWin() {
    Sextant sextant = TestSdk.inline(clock, exporter)
        .environmentVariables(Map.of("SEXTANT_LABEL_REGION", "eu-west-1", "SEXTANT_LABEL_TEAM", "env-team",
            "SEXTANT_LABEL_BAD-KEY", "x"))
        .label("team", "builder-team")
        .label("tier", "gold")
        .build();
    try (Run run = sextant.startRun("r")) {
      run.label("tier", "platinum");
    }
    assertThat(exporter.lastRun().labels())
        .containsOnly(Map.entry("region", "eu-west-1"), Map.entry("team", "builder-team"), Map.entry("tier", "platinum"));
    assertThat(sextant.stats().rejectedValues()).isEqualTo(1);
  }

  @Test
  void invalidLabels_fromBuilderAndEnvironment_areCountedAsRejected_andEachIsNamedInTheWarning() {
    try (LogCapture log = new LogCapture()) {
      Sextant sextant = TestSdk.inline(clock, exporter)
          .environmentVariables(Map.of(
              "SEXTANT_LABEL_SEXTANT_X", "1",
              "SEXTANT_LABEL_A-B", "2",
              "SEXTANT_LABEL_LONG", "v".repeat(257),
              "SEXTANT_LABEL_REGION", "eu-west-1"))
          .label("Bad Key", "x")
          .label("tier", null)
          .build();
      assertThat(sextant.config.labels()).containsOnlyKeys("region");
      assertThat(sextant.stats().rejectedValues()).isEqualTo(5);
      assertThat(log.messages).hasSize(1);
      assertThat(log.all())
          .contains("5 labels were dropped")
          .contains("SEXTANT_LABEL_SEXTANT_X: label key 'sextant_x' uses the reserved prefix sextant_")
          .contains("SEXTANT_LABEL_A-B: label key 'a-b' may contain only a-z, 0-9 and _")
          .contains("SEXTANT_LABEL_LONG: label 'long' has a value longer than 256 characters")
          .contains("builder label: label key 'Bad Key' must start with a lower-case letter")
          .contains("builder label: label 'tier' has no value");
    }
  }

  @Test
  void anInvalidEnvironmentLabel_alone_isLoggedAndCounted() {
    try (LogCapture log = new LogCapture()) {
      Sextant sextant = TestSdk.inline(clock, exporter)
          .environmentVariables(Map.of("SEXTANT_LABEL_SEXTANT_X", "1"))
          .build();
      assertThat(sextant.stats().rejectedValues()).isEqualTo(1);
      assertThat(log.all()).contains("1 label was dropped: SEXTANT_LABEL_SEXTANT_X: label key 'sextant_x' uses the"
          + " reserved prefix sextant_");
    }
  }

  @Test
  void labelsOverTheLimitOf64_onTheBuilder_areCounted() {
    Sextant.Builder builder = TestSdk.inline(clock, exporter);
    for (int i = 0; i < 66; i++) {
      builder.label("l" + i, "v");
    }
    Sextant sextant = builder.build();
    assertThat(sextant.config.labels()).hasSize(64);
    assertThat(sextant.stats().rejectedValues()).isEqualTo(2);
  }
}
