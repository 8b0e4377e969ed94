package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesExporterTest {

  @TempDir
  Path dir;

  @Test
  void eachBatch_isOneLineInTheIngestFormat() throws Exception {
    Path file = dir.resolve("nested/runs.jsonl");
    Sextant sextant = TestSdk.inline(new FakeClock(), Exporter.jsonLines(file)).build();
    for (int i = 0; i < 3; i++) {
      try (Run run = sextant.startRun("run" + i)) {
        run.step("tool", "t").close();
      }
    }
    sextant.close();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"runs\":[{").endsWith("]}"));
    assertThat(lines.get(2)).contains("\"name\":\"run2\"");
    assertThat(sextant.stats().exported()).isEqualTo(6);
  }

  @Test
  void anUnwritableFile_failsTheBatch_notTheCaller() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    Sextant sextant = TestSdk.inline(new FakeClock(), Exporter.jsonLines(directory)).build();
    sextant.startRun("r").close();
    assertThat(sextant.stats().failed()).isEqualTo(1);
  }
}
