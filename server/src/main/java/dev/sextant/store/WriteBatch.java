package dev.sextant.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
   * The longest JSON text (a normalization, a metadata's scope part) kept among the names: at most
   * 2,400 bytes of UTF-8, below what a PostgreSQL B-tree entry may hold.
   */
  public static final int MAX_NAMED_TEXT = 800;

  /**
   * Metadata that describes the span rather than its work: its kind and the instrumentation scope
   * that made it. OTLP decoders append them to every span's metadata, where they repeat over most
   * spans of a service; stores keep them once, like a name (see {@link StepJson#metadataScope}).
   */
  public static final Set<String> SCOPE_KEYS = Set.of("otel.span.kind", "otel.scope.name", "otel.scope.version");

  private final String projectId;
  private final List<RunRecord> runs;
  private final List<StepRecord> steps;
  private final Set<String> runIds;
  private final Set<String> names;
  private final boolean repeats;
  private final List<RunJson> runJson;
  private final List<StepJson> stepJson;
  /** What a store worked out of the batch ahead of its write ({@link TraceWriter#prepare}), or null. */
  private volatile Object prepared;

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
    // most steps of a request share one of a few normalizations: each is rendered once
    Map<Map<String, String>, String> normalizations = new HashMap<>();
    for (StepRecord s : steps) {
      String[] metadata = metadataParts(s.metadata());
      stepJson.add(new StepJson(metadata[0], metadata[1], text(s.input()), text(s.output()),
          text(StepEvent.toJson(s.events())), s.normalization() == null || s.normalization().isEmpty() ? null
              : normalizations.computeIfAbsent(s.normalization(), WriteBatch::text)));
    }
    // a normalization repeats over most steps of a protocol: stores keep its text once, like a name,
    // unless it is too long for the dictionary's unique index
    for (StepJson j : stepJson) {
      if (j.normalization() != null && j.normalization().length() <= MAX_NAMED_TEXT) names.add(j.normalization());
      if (j.metadataScope() != null) names.add(j.metadataScope());
    }
    this.names = Collections.unmodifiableSet(names);
    this.runJson = runJson;
    this.stepJson = stepJson;
  }

  /** The JSON text of a run's structured fields, each null when the record has none. */
  public record RunJson(String labels, String metadata, String input, String output) {}

  /**
   * The JSON text of a step's structured fields, each null when the record has none (or no events).
   * The metadata comes in two parts: {@code metadataScope}, the entries under {@link #SCOPE_KEYS}
   * that end it, kept among the names, and {@code metadata}, the entries before them; together
   * they are the metadata's text ({@link #fullMetadata}).
   */
  public record StepJson(String metadata, String metadataScope, String input, String output, String events,
      String normalization) {
    /** The metadata's JSON text, whole. */
    public String fullMetadata() {
      return joinMetadata(metadata, metadataScope);
    }

    /** Whether the record brings metadata, in either part. */
    public boolean hasMetadata() {
      return metadata != null || metadataScope != null;
    }
  }

  /**
   * The JSON text of an object from the texts of its first entries and of its last ones, as
   * {@link #metadataParts} split it: the stores' view {@code steps} joins them alike.
   */
  public static String joinMetadata(String first, String last) {
    if (last == null) return first;
    if (first == null) return last;
    return first.substring(0, first.length() - 1) + "," + last.substring(1);
  }

  /**
   * The text of the metadata's entries before its last ones under {@link #SCOPE_KEYS} (null when
   * there are none), and of those last ones (null when there are none, or when their text would be
   * too long for the names). Only a suffix is split, so the two joined are the metadata's text.
   */
  static String[] metadataParts(ObjectNode metadata) {
    if (metadata == null) return new String[] {null, null};
    int size = metadata.size();
    int scopeFrom = size;
    int at = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); at++) {
      Map.Entry<String, JsonNode> e = it.next();
      boolean scope = SCOPE_KEYS.contains(e.getKey()) && e.getValue().isTextual();
      if (!scope) scopeFrom = size;
      else if (scopeFrom == size) scopeFrom = at;
    }
    if (scopeFrom == size) return new String[] {text(metadata), null};
    ObjectNode first = Json.object();
    ObjectNode last = Json.object();
    at = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); at++) {
      Map.Entry<String, JsonNode> e = it.next();
      (at < scopeFrom ? first : last).set(e.getKey(), e.getValue());
    }
    String before = first.isEmpty() ? null : text(first);
    String scope = text(last);
    // too long for the names: the whole text stays in the row (the two joined, not rendered again)
    if (scope.length() > MAX_NAMED_TEXT) return new String[] {joinMetadata(before, scope), null};
    return new String[] {before, scope};
  }

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

  /**
   * The steps' types, names, models, providers, the JSON text of their normalization and of their
   * metadata's scope part, each once.
   */
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

  /**
   * What a store worked out of the batch ahead of its write ({@link TraceWriter#prepare}), or null.
   * A store that finds something of another kind, or nothing, works it out in the write.
   */
  public Object prepared() {
    return prepared;
  }

  /** Keeps what a store worked out of the batch ahead of its write (see {@link #prepared()}). */
  public void prepared(Object prepared) {
    this.prepared = prepared;
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
