package dev.sextant.server;

import java.io.PrintStream;
import java.util.function.IntConsumer;

/**
 * A thread that dies of an {@link Error} (out of memory, a stack overflow, a linkage failure)
 * stops the whole process with {@link #EXIT_STATUS}, so that a supervisor restarts it, instead of
 * leaving a server that accepts connections but no longer ingests. Other uncaught exceptions are
 * reported and end only their thread, as the JVM does by default. The process halts without
 * running shutdown hooks: they wait on the threads that may be the broken ones.
 */
public final class FatalErrors {
  /** EX_SOFTWARE from sysexits.h: an internal failure. */
  public static final int EXIT_STATUS = 70;

  private FatalErrors() {}

  /** Makes this the handler of every thread that has none of its own. */
  public static void install() {
    Thread.setDefaultUncaughtExceptionHandler(handler(System.err, status -> Runtime.getRuntime().halt(status)));
  }

  static Thread.UncaughtExceptionHandler handler(PrintStream err, IntConsumer halt) {
    return (thread, e) -> {
      try {
        if (e instanceof Error) {
          err.println("sextant: thread " + thread.getName() + " died of " + e + "; stopping the process (exit status "
              + EXIT_STATUS + ") so that it can be restarted");
        } else {
          err.println("sextant: thread " + thread.getName() + " ended with an uncaught exception:");
        }
        e.printStackTrace(err);
        err.flush();
      } catch (Throwable ignored) {
        // with the heap exhausted even the report may fail; stopping matters more
      } finally {
        if (e instanceof Error) halt.accept(EXIT_STATUS);
      }
    };
  }
}
