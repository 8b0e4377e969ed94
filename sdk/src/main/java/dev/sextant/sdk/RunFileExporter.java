package dev.sextant.sdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each finished run to {@code <dir>/<run_id>.json}: the run's fields as in {@code POST
 * /v1/ingest} and its steps as a tree, each step with its {@code children} in start order. Steps wait
 * in memory until their run ends (at most {@link #MAX_OPEN_RUNS} runs; the oldest is dropped past
 * that); a step that ends after its run was written is not added. The file is written to a temporary
 * name and moved into place, so a reader never sees half a run.
 */
final class RunFileExporter implements Exporter {

  static final int MAX_OPEN_RUNS = 1024;

  private final Path dir;
  private final Map<String, List<StepData>> open = new LinkedHashMap<>();
  private final JsonWriter writer = new JsonWriter(4096);

  RunFileExporter(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized void export(Batch batch) throws IOException {
    for (StepData step : batch.steps()) {
      List<StepData> steps = open.get(step.runId());
      if (steps == null) {
        if (open.size() >= MAX_OPEN_RUNS) {
          Iterator<String> oldest = open.keySet().iterator();
          oldest.next();
          oldest.remove();
        }
        steps = new ArrayList<>();
        open.put(step.runId(), steps);
      }
      steps.add(step);
    }
    IOException failed = null;
    for (RunData run : batch.runs()) {
      if (run.status() == RunStatus.RUNNING) {
        continue;
      }
      List<StepData> steps = open.remove(run.runId());
      try {
        write(run, steps == null ? List.of() : steps);
      } catch (IOException e) {
        failed = e;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private void write(RunData run, List<StepData> steps) throws IOException {
    Map<String, List<StepData>> children = new HashMap<>();
    List<StepData> roots = new ArrayList<>();
    Map<String, StepData> byId = new HashMap<>();
    steps.forEach(s -> byId.put(s.stepId(), s));
    steps.sort((a, b) -> Integer.compare(a.seq(), b.seq()));
    for (StepData step : steps) {
      String parent = step.parentStepId();
      if (parent != null && byId.containsKey(parent)) {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(step);
      } else {
        roots.add(step);
      }
    }
    writer.reset();
    writer.beginObject();
    writer.name("run");
    BatchEncoder.writeRun(writer, run);
    writer.name("steps");
    writeSteps(roots, children, 0);
    writer.endObject();
    Files.createDirectories(dir);
    Path file = dir.resolve(run.runId() + ".json");
    Path temp = dir.resolve(run.runId() + ".json.tmp");
    Files.write(temp, writer.toByteArray());
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void writeSteps(List<StepData> steps, Map<String, List<StepData>> children, int depth) {
    writer.beginArray();
    for (StepData step : steps) {
      writer.beginObject();
      BatchEncoder.writeStepFields(writer, step);
      List<StepData> below = children.get(step.stepId());
      if (below != null && depth < 256) {
        writer.name("children");
        writeSteps(below, children, depth + 1);
      }
      writer.endObject();
    }
    writer.endArray();
  }
}
