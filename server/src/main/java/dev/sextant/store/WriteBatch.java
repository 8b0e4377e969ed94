package dev.sextant.store;

import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Validated, policy-filtered records of one project, ready to be stored.
 *
 * <p>A batch also knows, from the moment it is built, the distinct runs and step names it holds,
 * whether a record repeats within it, and the JSON text of its records' structured fields. The writer
 * needs them for every write; a batch is built on its request's thread, in parallel with others,
 * while a store has one writer, so they are worked out there rather than in the write.
 */
public final class WriteBatch {
  /**
   * The longest normalization text kept among the names: at most 2,400 bytes of UTF-8, below what
   * a PostgreSQL B-tree entry may hold.
   */
  public static final int MAX_NAMED_NORMALIZATION = 800;

  private final String projectId;
  private final List<RunRecord> runs;
  private final List<StepRecord> steps;
  private final Set<String> runIds;
  private final Set<String> names;
  private final boolean repeats;
  private final List<RunJson> runJson;
  private final List<StepJson> stepJson;

  public WriteBatch(String projectId, List<RunRecord> runs, List<StepRecord> steps) {
    this.projectId = projectId;
    this.runs = runs;
    this.steps = steps;
    Set<String> runIds = new HashSet<>();
    Set<String> names = new HashSet<>();
    Set<String> runRecords = new HashSet<>();
    boolean repeats = false;
    for (RunRecord r : runs) {
      runIds.add(r.runId());
      repeats |= !runRecords.add(r.runId());
    }
    Set<StepKey> stepRecords = new HashSet<>();
    for (StepRecord s : steps) {
      runIds.add(s.runId());
      repeats |= !stepRecords.add(new StepKey(s.runId(), s.stepId()));
      addIfPresent(names, s.type());
      addIfPresent(names, s.name());
      addIfPresent(names, s.model());
      addIfPresent(names, s.provider());
    }
    this.runIds = Collections.unmodifiableSet(runIds);
    this.repeats = repeats;
    List<RunJson> runJson = new ArrayList<>(runs.size());
    for (RunRecord r : runs) {
      runJson.add(new RunJson(text(r.labels()), text(r.metadata()), text(r.input()), text(r.output())));
    }
    List<StepJson> stepJson = new ArrayList<>(steps.size());
    for (StepRecord s : steps) {
      stepJson.add(new StepJson(text(s.metadata()), text(s.input()), text(s.output()),
          text(StepEvent.toJson(s.events())),
          s.normalization() == null || s.normalization().isEmpty() ? null : text(s.normalization())));
    }
    // a normalization repeats over most steps of a protocol: stores keep its text once, like a name,
    // unless it is too long for the dictionary's unique index
    for (StepJson j : stepJson) {
      if (j.normalization() != null && j.normalization().length() <= MAX_NAMED_NORMALIZATION) names.add(j.normalization());
    }
    this.names = Collections.unmodifiableSet(names);
    this.runJson = runJson;
    this.stepJson = stepJson;
  }

  /** The JSON text of a run's structured fields, each null when the record has none. */
  public record RunJson(String labels, String metadata, String input, String output) {}

  /** The JSON text of a step's structured fields, each null when the record has none (or no events). */
  public record StepJson(String metadata, String input, String output, String events, String normalization) {}

  private static String text(Object value) {
    return value == null ? null : Json.write(value);
  }

  private record StepKey(String runId, String stepId) {}

  private static void addIfPresent(Set<String> names, String name) {
    if (name != null) names.add(name);
  }

  public String projectId() {
    return projectId;
  }

  public List<RunRecord> runs() {
    return runs;
  }

  public List<StepRecord> steps() {
    return steps;
  }

  public int size() {
    return runs.size() + steps.size();
  }

  /** The ids of the runs that the batch's runs and steps name, each once. */
  public Set<String> runIds() {
    return runIds;
  }

  /** The steps' types, names, models, providers and the JSON text of their normalization, each once. */
  public Set<String> names() {
    return names;
  }

  /** The JSON text of {@code runs().get(index)}. */
  public RunJson runJson(int index) {
    return runJson.get(index);
  }

  /** The JSON text of {@code steps().get(index)}. */
  public StepJson stepJson(int index) {
    return stepJson.get(index);
  }

  /** Whether a run, or a step of a run, occurs more than once in the batch. */
  public boolean repeats() {
    return repeats;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteBatch b && Objects.equals(projectId, b.projectId) && runs.equals(b.runs) && steps.equals(b.steps);
  }

  @Override
  public int hashCode() {
    return Objects.hash(projectId, runs, steps);
  }

  @Override
  public String toString() {
    return "WriteBatch[projectId=" + projectId + ", runs=" + runs.size() + ", steps=" + steps.size() + "]";
  }
}
