package dev.sextant.sdk;

/** An exporter that can report records the receiver rejected while accepting the rest. */
interface CountingExporter {

  /** Exports the batch; returns how many of its records were rejected. Throws when it failed whole. */
  int exportCounting(Batch batch) throws Exception;

  static int export(Exporter exporter, Batch batch) throws Exception {
    if (exporter instanceof CountingExporter counting) {
      return Math.max(0, Math.min(batch.size(), counting.exportCounting(batch)));
    }
    exporter.export(batch);
    return 0;
  }
}
