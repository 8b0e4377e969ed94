package dev.sextant.sdk;

import java.util.List;

/**
 * Records handed to an {@link Exporter} in one call.
 *
 * @param runs run snapshots, never {@code null}
 * @param steps finished steps, never {@code null}
 */
public record Batch(List<RunData> runs, List<StepData> steps) {

  /** Number of records in the batch. */
  public int size() {
    return runs.size() + steps.size();
  }
}
