package dev.sextant.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every batch it is given. */
final class CapturingExporter implements Exporter {

  final List<Batch> batches = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public void export(Batch batch) {
    batches.add(batch);
  }

  @Override
  public void close() {
    closed = true;
  }

  List<RunData> runs() {
    List<RunData> all = new ArrayList<>();
    batches.forEach(b -> all.addAll(b.runs()));
    return all;
  }

  List<StepData> steps() {
    List<StepData> all = new ArrayList<>();
    batches.forEach(b -> all.addAll(b.steps()));
    return all;
  }

  RunData lastRun() {
    List<RunData> runs = runs();
    return runs.get(runs.size() - 1);
  }

  /** The newest snapshot of the run called {@code name}. */
  RunData lastRunNamed(String name) {
    List<RunData> runs = runs();
    for (int i = runs.size() - 1; i >= 0; i--) {
      if (runs.get(i).name().equals(name)) return runs.get(i);
    }
    throw new AssertionError("no run named " + name);
  }

  StepData step(String name) {
    return steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
