package dev.sextant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void line_showsBarPercentAndCounts() {
    Progress p = new Progress(System.err, true, "exporting runs", 2000);
    assertThat(p.line(500)).isEqualTo("exporting runs [========                      ]  25% 500/2,000");
    assertThat(p.line(4000)).endsWith("] 100% 4,000/2,000");
    assertThat(new Progress(System.err, true, "importing bytes", 0).line(1234567)).isEqualTo("importing bytes 1,234,567");
  }

  @Test
  void offTerminal_printsNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8), false, "x", 10);
    p.update(5);
    p.finish(10);
    assertThat(out.size()).isZero();
  }
}
