package dev.sextant.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a decoder produced from one request: canonical records, plus the items it could not read.
 * A list keeps the request's positions: an item that failed to decode stands as {@code null}, and
 * its problem is in {@code errors} under the same index.
 */
public record Batch(List<RunRecord> runs, List<StepRecord> steps, List<ItemError> errors) {
  public Batch {
    runs = Collections.unmodifiableList(new ArrayList<>(runs));
    steps = Collections.unmodifiableList(new ArrayList<>(steps));
    errors = List.copyOf(errors);
  }

  public static Batch of(List<RunRecord> runs, List<StepRecord> steps) {
    return new Batch(runs, steps, List.of());
  }
}
