package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@SuppressWarnings("try") // steps opened only to nest others are the point
class LogCorrelationTest {

  private final Sextant sextant = TestSdk.inline(new FakeClock(), new CapturingExporter()).build();

  @AfterEach
  void close() {
    sextant.close();
  }

  @Test
  void mdc_followsTheCurrentRunAndStep() throws Exception {
    assertThat(LogCorrelation.enabled()).isTrue();
    try (Run run = sextant.startRun("r")) {
      assertThat(MDC.get("sextant_run_id")).isEqualTo(run.id());
      assertThat(MDC.get("sextant_step_id")).isNull();
      try (Step outer = run.step("agent", "outer")) {
        try (Step inner = run.step("tool", "inner")) {
          assertThat(MDC.get("sextant_step_id")).isEqualTo(inner.id());
          assertThat(CompletableFuture.supplyAsync(() -> MDC.get("sextant_run_id")).get()).isNull();
        }
        assertThat(MDC.get("sextant_step_id")).isEqualTo(outer.id());
        assertThat(MDC.get("sextant_run_id")).isEqualTo(run.id());
      }
      assertThat(MDC.get("sextant_step_id")).isNull();
      Step detached = run.step("llm", "async").detach();
      assertThat(MDC.get("sextant_step_id")).isNull();
      detached.close();
    }
    assertThat(MDC.get("sextant_run_id")).isNull();
  }

  @Test
  void julFormatter_writesOneJsonLineWithTheCurrentIds() {
    LogRecord record = new LogRecord(Level.WARNING, "invoice {0} \"late\"");
    record.setParameters(new Object[] {"INV-7"});
    record.setLoggerName("billing");
    record.setInstant(java.time.Instant.parse("2026-11-22T10:00:00.123Z"));
    JsonLogFormatter formatter = new JsonLogFormatter();
    String thread = Thread.currentThread().getName();
    assertThat(formatter.format(record)).isEqualTo("{\"time\":\"2026-11-22T10:00:00.123000000Z\",\"level\":\"WARNING\","
        + "\"logger\":\"billing\",\"thread\":\"" + thread + "\",\"message\":\"invoice INV-7 \\\"late\\\"\"}" + System.lineSeparator());
    try (Run run = sextant.startRun("r"); Step step = run.step("tool", "t")) {
      assertThat(formatter.format(record)).contains(",\"run_id\":\"" + run.id() + "\",\"step_id\":\"" + step.id() + "\"}");
    }
  }
}
