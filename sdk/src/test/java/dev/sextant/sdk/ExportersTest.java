package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // steps opened only to nest others are the point
class ExportersTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void composite_givesEveryBatchToEachExporter_andIsolatesAFailingOne() throws Exception {
    CapturingExporter first = new CapturingExporter();
    CapturingExporter last = new CapturingExporter();
    Exporter broken = batch -> {
      throw new IOException("disk full");
    };
    Sextant sextant = TestSdk.inline(clock, Exporter.composite(first, broken, last)).build();
    sextant.startRun("r").close();
    sextant.close();

    assertThat(first.runs()).hasSize(1);
    assertThat(last.runs()).hasSize(1);
    assertThat(first.closed).isTrue();
    assertThat(last.closed).isTrue();
    assertThat(sextant.stats().exported()).isEqualTo(1);
    assertThat(sextant.stats().failed()).isZero();
  }

  @Test
  void composite_whenEveryExporterFails_countsTheBatchFailed() {
    Exporter broken = batch -> {
      throw new IOException("down");
    };
    Sextant sextant = TestSdk.inline(clock, Exporter.composite(broken, broken)).build();
    sextant.startRun("r").close();
    assertThat(sextant.stats().failed()).isEqualTo(1);
    assertThat(sextant.stats().exported()).isZero();
  }

  @Test
  void runDirectoryFromTheEnvironment_writesEachFinishedRunWithItsNestedStepTree(@TempDir Path dir) throws Exception {
    CapturingExporter primary = new CapturingExporter();
    Sextant sextant = TestSdk.inline(clock, primary).environmentVariables(Map.of("SEXTANT_RUN_DIR", dir.toString())).build();
    String runId;
    try (Run run = sextant.startRun("handle_ticket")) {
      runId = run.id();
      try (Step agent = run.step("agent", "resolve")) {
        run.step("tool", "billing_api").metadata("http_status", 200).close();
        run.step("llm", "answer").close();
      }
      run.step("respond", "reply").close();
    }
    sextant.close();

    assertThat(primary.runs()).hasSize(1);
    String json = Files.readString(dir.resolve(runId + ".json"));
    assertThat(json).startsWith("{\"run\":{\"run_id\":\"" + runId + "\",\"agent_id\":\"support-agent\"");
    assertThat(json.replaceAll("\"(step_id|parent_step_id)\":\"[0-9a-f]{16}\",", "")
        .replaceAll("\"(start_time|end_time)\":\"[^\"]+\",", ""))
        .contains("\"steps\":[{\"run_id\":\"" + runId + "\",\"seq\":1,\"type\":\"agent\",\"name\":\"resolve\",\"status\":\"ok\","
            + "\"attempt\":1,\"children\":[{\"run_id\":\"" + runId + "\",\"seq\":2,\"type\":\"tool\",\"name\":\"billing_api\","
            + "\"status\":\"ok\",\"attempt\":1,\"metadata\":{\"http_status\":200}},{\"run_id\":\"" + runId + "\",\"seq\":3,"
            + "\"type\":\"llm\",\"name\":\"answer\",\"status\":\"ok\",\"attempt\":1}]},{\"run_id\":\"" + runId
            + "\",\"seq\":4,\"type\":\"respond\",\"name\":\"reply\",\"status\":\"ok\",\"attempt\":1}]}");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly(runId + ".json");
  }

  @Test
  void runFiles_inAsyncMode_waitForTheRunsEnd(@TempDir Path dir) {
    Sextant sextant = Sextant.builder().agent("a").exporter(Exporter.runFiles(dir)).flushInterval(Duration.ofMillis(10))
        .shutdownHook(false).systemLabels(false).environmentVariables(Map.of()).build();
    Run run = sextant.startRun("r");
    run.step("tool", "t").close();
    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(dir.resolve(run.id() + ".json")).doesNotExist();
    run.close();
    assertThat(sextant.flush(Duration.ofSeconds(5))).isTrue();
    sextant.close();
    assertThat(dir.resolve(run.id() + ".json")).content().contains("\"name\":\"t\"").contains("\"status\":\"success\"");
    assertThat(List.of(dir.toFile().list())).hasSize(1);
  }
}
