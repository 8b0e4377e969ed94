package dev.sextant.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a decoder produced from one request: canonical records, each with its protocol's reference
 * ({@link Item}), plus the items it could not read, by the same kind of reference.
 */
public record Batch<R>(List<Item<RunRecord, R>> runs, List<Item<StepRecord, R>> steps, List<ItemError<R>> errors) {
  public Batch {
    runs = List.copyOf(runs);
    steps = List.copyOf(steps);
    errors = List.copyOf(errors);
  }

  /** Runs and steps named by their positions in the two lists, nothing rejected. */
  public static Batch<Position> of(List<RunRecord> runs, List<StepRecord> steps) {
    return new Batch<>(positioned("run", runs), positioned("step", steps), List.of());
  }

  /** Each record of {@code records} named by its index under {@code kind}. */
  public static <T> List<Item<T, Position>> positioned(String kind, List<T> records) {
    List<Item<T, Position>> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) out.add(new Item<>(records.get(i), new Position(kind, i)));
    return out;
  }

  public List<RunRecord> runRecords() {
    return runs.stream().map(Item::record).toList();
  }

  public List<StepRecord> stepRecords() {
    return steps.stream().map(Item::record).toList();
  }
}
