package dev.sextant.store;

import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;

/**
 * Receives stored runs and steps as ingest records, for export: a run, then each of its steps.
 * An exception thrown here (a client that went away) stops the export.
 */
public interface RecordSink {
  void run(RunRecord run);

  void step(StepRecord step);
}
