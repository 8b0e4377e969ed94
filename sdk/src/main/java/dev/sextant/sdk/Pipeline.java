package dev.sextant.sdk;

/** Moves finished records from the threads that produce them to the exporter. */
abstract class Pipeline {

  abstract void stepEnded(SpanRun run, SpanStep step);

  abstract void runEnded(SpanRun run, RunData snapshot);

  /** Waits until everything produced before the call is settled; false on timeout. */
  abstract boolean flush(long timeoutNanos);

  /** Exports what it can within the timeout, counts the rest as dropped, closes the exporter. */
  abstract void close(long timeoutNanos);

  abstract long pending();

  /** Records produced that {@link Counters#produced} does not count: those the async queue took. */
  long accepted() {
    return 0;
  }
}
