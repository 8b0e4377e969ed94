package dev.sextant.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Coverage-guided fuzzing of every ingest decoder through a running server (Jazzer), each fuzzer in
 * a JVM of its own with a 512 MB heap: {@code sextant.fuzz.inputs} inputs each (2,000 by default;
 * the full campaign in docs/reliability.md runs 100,000). An input fails the run when the server
 * answers 5xx other than 503 with {@code Retry-After} (gRPC: {@code UNKNOWN} or {@code INTERNAL}),
 * does not answer within 10 s, or an exception escapes; the heap left after the run must stay under
 * 256 MB. A failing input is copied to {@code target/fuzz-findings/}: put it in the fuzzer's
 * {@code src/test/resources/dev/sextant/fuzz/<Fuzzer>Inputs/<method>/} directory and it is replayed
 * on every run from then on.
 */
class ITDecoderFuzzing {
  static final long INPUTS = Long.getLong("sextant.fuzz.inputs", 2_000);
  static final long MAX_HEAP_MB = 256;
  static final Pattern RESULT =
      Pattern.compile("fuzzer=(\\w+) inputs=(\\d+) seconds=([\\d.]+) heap_mb=(\\d+) failures=(\\d+)");

  @ParameterizedTest
  @ValueSource(strings = {"NativeJsonFuzzer", "OtlpProtobufFuzzer", "OtlpJsonFuzzer", "OtlpGrpcFuzzer",
      "LangSmithJsonFuzzer", "LangSmithMultipartFuzzer", "LangfuseFuzzer"})
  void decoderSurvivesFuzzing(String fuzzer) throws Exception {
    Path work = Files.createTempDirectory("sextant-fuzz");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djazzer.max_executions=" + INPUTS, "-Djazzer.instrumentation_includes=dev.sextant.**",
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        FuzzMain.class.getName(), FuzzMain.class.getPackageName() + "." + fuzzer));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("JAZZER_FUZZ", "1");
    Path log = work.resolve("fuzz.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    // about 100 inputs a second at the slowest, plus start-up
    if (!p.waitFor(120 + INPUTS / 50, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(fuzzer + " did not finish: a hang? See " + log);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    List<Path> findings = keepFindings(work, fuzzer);
    assertThat(findings).as("inputs that failed %s (kept in target/fuzz-findings):%n%s", fuzzer, tail(out)).isEmpty();
    assertThat(p.exitValue()).as("%s exit code:%n%s", fuzzer, tail(out)).isZero();
    Matcher m = RESULT.matcher(out);
    assertThat(m.find()).as("result line of %s:%n%s", fuzzer, tail(out)).isTrue();
    System.out.printf("| %s | %s | %s s | %s MB |%n", fuzzer, m.group(2), m.group(3), m.group(4));
    assertThat(Long.parseLong(m.group(2))).as("inputs sent by " + fuzzer).isGreaterThanOrEqualTo(INPUTS);
    assertThat(Long.parseLong(m.group(4))).as("heap left by " + fuzzer + " (MB)").isLessThan(MAX_HEAP_MB);
  }

  private static List<Path> keepFindings(Path work, String fuzzer) throws IOException {
    List<Path> kept = new ArrayList<>();
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("(crash|timeout|oom|slow-unit)-.*")).toList()) {
        Path dir = Files.createDirectories(Path.of("target", "fuzz-findings", fuzzer));
        kept.add(Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING));
      }
    }
    return kept;
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
  }
}
