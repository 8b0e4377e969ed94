package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A thread dying of an Error stops the process; the real JVM is checked in a child process. */
class ITFatalErrors {
  /** Run in a child JVM: installs the handler, then lets a worker thread die of an OutOfMemoryError. */
  public static final class Probe {
    public static void main(String[] args) throws InterruptedException {
      FatalErrors.install();
      Thread t = new Thread(() -> {
        throw new OutOfMemoryError("Java heap space (probe)");
      }, "sextant-writer-0");
      t.start();
      Thread.sleep(20_000);
      System.exit(0);
    }
  }

  @Test
  void aThreadDyingOfAnError_stopsTheRealProcessWithStatus70() throws Exception {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName())).redirectErrorStream(true).start();
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("the process stopped").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(FatalErrors.EXIT_STATUS);
    assertThat(out).contains("thread sextant-writer-0 died of java.lang.OutOfMemoryError: Java heap space (probe)");
  }

  @Test
  void anUncaughtException_endsOnlyItsThread() {
    AtomicInteger halted = new AtomicInteger(-1);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread.UncaughtExceptionHandler h = FatalErrors.handler(new PrintStream(err, true, StandardCharsets.UTF_8),
        halted::set);
    h.uncaughtException(new Thread("worker"), new IllegalStateException("boom"));
    assertThat(halted.get()).isEqualTo(-1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("thread worker ended with an uncaught exception");
    h.uncaughtException(new Thread("worker"), new StackOverflowError());
    assertThat(halted.get()).isEqualTo(70);
  }
}
