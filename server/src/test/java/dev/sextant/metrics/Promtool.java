package dev.sextant.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool} (package {@code prometheus}, which {@code ./test} installs). */
final class Promtool {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  private Promtool() {}

  static void assertInstalled() {
    assertThat(Files.isExecutable(PROMTOOL) && Files.isExecutable(PROMETHEUS))
        .as("the metrics tests need /usr/bin/promtool and /usr/bin/prometheus: apt-get install -y prometheus")
        .isTrue();
  }

  /** Runs promtool with {@code args}, {@code stdin} on its standard input; returns exit code and output. */
  static Result run(String stdin, String... args) throws IOException, InterruptedException {
    assertInstalled();
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return new Result(p.exitValue(), out);
  }

  record Result(int exit, String output) {}
}
