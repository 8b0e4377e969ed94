package dev.sextant.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a decoder produced from one request: canonical records, each with the reference its
 * protocol names it by, plus the items it could not read under their own references.
 * {@code sentRuns} and {@code sentSteps} count the runs and steps the request carried, read or
 * not: the per-request limits apply to these.
 */
public record Batch<R>(List<Item<RunRecord, R>> runs, List<Item<StepRecord, R>> steps, List<ItemError<R>> errors,
    int sentRuns, int sentSteps) {
  public Batch {
    runs = List.copyOf(runs);
    steps = List.copyOf(steps);
    errors = List.copyOf(errors);
  }

  /** A batch whose every item was read. */
  public Batch(List<Item<RunRecord, R>> runs, List<Item<StepRecord, R>> steps, List<ItemError<R>> errors) {
    this(runs, steps, errors, runs.size(), steps.size());
  }

  /** Records that are named by their position in {@code runs} and {@code steps}. */
  public static Batch<Position> of(List<RunRecord> runs, List<StepRecord> steps) {
    List<Item<RunRecord, Position>> r = new ArrayList<>(runs.size());
    for (RunRecord run : runs) r.add(new Item<>(run, Position.run(r.size())));
    List<Item<StepRecord, Position>> s = new ArrayList<>(steps.size());
    for (StepRecord step : steps) s.add(new Item<>(step, Position.step(s.size())));
    return new Batch<>(r, s, List.of());
  }

  /** The run records, without their references. */
  public List<RunRecord> runRecords() {
    return runs.stream().map(Item::record).toList();
  }

  /** The step records, without their references. */
  public List<StepRecord> stepRecords() {
    return steps.stream().map(Item::record).toList();
  }
}
