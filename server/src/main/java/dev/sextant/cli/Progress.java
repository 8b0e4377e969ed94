package dev.sextant.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, redrawn at most ten times a second, shown only when
 * the command runs on a terminal (so logs and pipes get no carriage returns).
 */
final class Progress {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean enabled;
  private final String what;
  private final long total;
  private long lastDraw;

  /** @param total the amount at 100 %, or 0 when unknown (then only the count is shown) */
  Progress(PrintStream out, boolean enabled, String what, long total) {
    this.out = out;
    this.enabled = enabled;
    this.what = what;
    this.total = total;
  }

  static boolean onTerminal() {
    return System.console() != null;
  }

  void update(long done) {
    if (!enabled) return;
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L) return;
    lastDraw = now;
    out.print('\r' + line(done));
    out.flush();
  }

  void finish(long done) {
    if (!enabled) return;
    out.print('\r' + line(done) + '\n');
    out.flush();
  }

  String line(long done) {
    if (total <= 0) return String.format(Locale.ROOT, "%s %,d", what, done);
    double f = Math.min(1, (double) done / total);
    int filled = (int) Math.round(f * WIDTH);
    return String.format(Locale.ROOT, "%s [%s%s] %3d%% %,d/%,d", what, "=".repeat(filled), " ".repeat(WIDTH - filled),
        Math.round(f * 100), done, total);
  }
}
