package dev.sextant.sdk;

/** Moves finished records from the threads that produce them to the exporter. */
abstract class Pipeline {

  final Sextant sdk;
  final Exporter exporter;
  final Counters counters;

  Pipeline(Sextant sdk, Exporter exporter) {
    this.sdk = sdk;
    this.exporter = exporter;
    this.counters = sdk.counters;
  }

  abstract void stepEnded(SpanRun run, SpanStep step);

  abstract void runEnded(SpanRun run, RunData snapshot);

  /** Waits until everything produced before the call is settled; false on timeout. */
  abstract boolean flush(long timeoutNanos);

  /** Exports what it can within the timeout, counts the rest as dropped, closes the exporter. */
  abstract void close(long timeoutNanos);

  abstract long pending();

  /**
   * The most recently ended step of {@code run} whose type maps to the failure type {@code
   * typeIndex} (see {@link Failures#typeIndex}), among the steps this pipeline has seen; or {@code
   * null}. Called under the run's monitor.
   */
  abstract SpanStep lastEndedStep(SpanRun run, int typeIndex);

  /**
   * Gives the ended {@code step} of {@code run} the error {@code failure}, unless it has one or was
   * already handed to the exporter. Called under the run's monitor.
   */
  abstract void failEnded(SpanRun run, SpanStep step, StepError failure);

  /** Records produced that {@link Counters#produced} does not count: those the async queue took. */
  long accepted() {
    return 0;
  }

  /**
   * Hands {@code batch} to the exporter and settles its {@code records} produced records: exported;
   * failed when the receiver rejected them or the export threw; dropped when the exporter discarded
   * them itself. {@code records} may exceed the batch's size when superseded run snapshots were left
   * out of it. Never throws.
   */
  final void exportAndCount(Batch batch, int records) {
    try {
      Exporter.Result result = exporter.exportWithResult(batch);
      int rejected = 0;
      int dropped = 0;
      if (result != null) {
        rejected = Math.min(batch.size(), result.rejected());
        dropped = Math.min(batch.size() - rejected, result.dropped());
      }
      counters.exported.add(records - rejected - dropped);
      counters.failed.add(rejected);
      counters.dropped.add(dropped);
    } catch (InterruptedException e) {
      counters.failed.add(records);
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      counters.failed.add(records);
      sdk.log.warn("export-failed", "could not export " + records + " records: " + t.getMessage(),
          t instanceof ExportException ? null : t);
    }
  }

  /** Closes the exporter; a failure is logged, never thrown. */
  final void closeExporter() {
    try {
      exporter.close();
    } catch (Throwable t) {
      sdk.log.warn("exporter-close", "the exporter failed to close: " + t, t);
    }
  }
}
