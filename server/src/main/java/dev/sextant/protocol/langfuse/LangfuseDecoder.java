package dev.sextant.protocol.langfuse;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Batch;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.JsonFields;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import dev.sextant.protocol.RecentIds;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes Langfuse's legacy batch ingestion ({@code POST /api/public/ingestion}). A trace becomes a
 * run, every observation (span, generation, event, agent, tool, …) a step, and a score an
 * {@code evaluator} step. Events of one batch are unordered: creates are applied before updates,
 * each in timestamp order, and all events about one entity are merged into one record, so the
 * store sees the entity's final state for this batch.
 */
public final class LangfuseDecoder {
  private static final int REMEMBERED_OBSERVATIONS = 100_000;
  private static final int MAX_ENVELOPE_ID = 800;

  private final ObjectMapper mapper;
  private final EventMapper events;
  private final Envelopes envelopes = new Envelopes();

  public LangfuseDecoder(Limits limits) {
    this.mapper = Json.create(limits);
    this.events = new EventMapper(limits, new RecentIds(REMEMBERED_OBSERVATIONS));
  }

  /** The memory of committed envelopes, by which resent batches are acknowledged without being applied. */
  public Envelopes envelopes() {
    return envelopes;
  }

  /**
   * One envelope of the batch.
   *
   * @param index position in the request's {@code batch}
   * @param id the envelope id (the deduplication key), or null when missing
   * @param problem why the envelope itself cannot be used, or null
   */
  public record Event(int index, String id, String type, Long timestamp, JsonNode body, String problem) {}

  /**
   * What a batch decoded to. Each record of {@code batch} is named by the envelopes it was built
   * from (their indexes in the request's batch); {@code problems} holds, per envelope index, why
   * the decoder rejected it (null when it did not).
   */
  public record Decoded(Batch<List<Integer>> batch, String[] problems) {
    /**
     * Why each envelope was rejected, per envelope index (null when it was not): by the decoder,
     * or by the pipeline, whose {@code rejected} items name the envelopes of a record of {@link #batch}.
     * An envelope keeps the first problem reported for it.
     */
    public String[] problems(List<ItemError<List<Integer>>> rejected) {
      String[] out = problems.clone();
      for (ItemError<List<Integer>> e : rejected) {
        for (int i : e.ref()) if (out[i] == null) out[i] = e.message();
      }
      return out;
    }

    /** The steps of {@link #batch} that the pipeline did not reject. */
    public List<StepRecord> acceptedSteps(List<ItemError<List<Integer>>> rejected) {
      // by identity: a run built from the same envelopes as a step is another record
      Set<List<Integer>> refused = Collections.newSetFromMap(new IdentityHashMap<>());
      for (ItemError<List<Integer>> e : rejected) refused.add(e.ref());
      List<StepRecord> out = new ArrayList<>();
      for (Item<StepRecord, List<Integer>> s : batch.steps()) if (!refused.contains(s.ref())) out.add(s.record());
      return out;
    }
  }

  /**
   * Reads the envelope {@code {"batch": [...], "metadata": ...}}.
   *
   * @throws BadRequest when the body is not such an envelope
   */
  public List<Event> parse(InputStream body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      throw new BadRequest("invalid_json", "Invalid request data: the body is not valid JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "Invalid request data: the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject() || !root.path("batch").isArray()) {
      throw new BadRequest("invalid_body",
          "Invalid request data: the body must be a JSON object with a \"batch\" array of events");
    }
    JsonNode batch = root.get("batch");
    List<Event> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) out.add(event(i, batch.get(i)));
    return out;
  }

  private Event event(int i, JsonNode e) {
    if (!e.isObject()) return new Event(i, null, null, null, null, "event must be an object, got " + JsonFields.kind(e));
    String id = e.path("id").isTextual() ? e.get("id").textValue() : null;
    String type = e.path("type").isTextual() ? e.get("type").textValue() : null;
    JsonNode body = e.get("body");
    Long timestamp;
    try {
      timestamp = LenientTimes.read(e, "timestamp");
    } catch (IllegalArgumentException ex) {
      return new Event(i, id, type, null, body, ex.getMessage());
    }
    String problem = null;
    if (id == null || id.isEmpty()) problem = "id is required: each event needs a unique id";
    else if (id.length() > MAX_ENVELOPE_ID || id.indexOf('\r') >= 0) {
      problem = "id must be 1 to " + MAX_ENVELOPE_ID + " characters without carriage returns";
    } else if (type == null) problem = "type is required, e.g. trace-create or span-create";
    else if (body == null || !body.isObject()) problem = "body must be an object";
    return new Event(i, id, type, timestamp, body, problem);
  }

  /** Maps the usable events to records. Events with a problem are only reported. */
  public Decoded map(String project, List<Event> batch, int size) {
    String[] problems = new String[size];
    List<Event> usable = new ArrayList<>();
    for (Event e : batch) {
      if (e.problem() != null) problems[e.index()] = e.problem();
      else usable.add(e);
    }
    // Creates first, then updates; each in timestamp order (Langfuse's own rule for a batch).
    usable.sort(Comparator.comparingInt((Event e) -> isUpdate(e.type()) ? 1 : 0)
        .thenComparingLong(e -> e.timestamp() == null ? Long.MIN_VALUE : e.timestamp()));

    Map<String, EventMapper.Entity> traces = new LinkedHashMap<>();
    Map<String, EventMapper.Entity> observations = new LinkedHashMap<>();
    Map<String, EventMapper.Entity> scores = new LinkedHashMap<>();
    for (Event e : usable) {
      String kind = EventMapper.kind(e.type());
      String problem = null;
      switch (kind) {
        case "trace":
          problem = gather(traces, e, "id");
          break;
        case "observation":
          problem = gather(observations, e, "id");
          break;
        case "score":
          if (Lenient.text(e.body(), "id") == null) ((ObjectNode) e.body()).put("id", e.id());
          problem = gather(scores, e, "id");
          break;
        case "log":
          break;
        default:
          problem = EventMapper.unsupported(e.type());
      }
      if (problem != null) problems[e.index()] = problem;
    }

    List<Item<RunRecord, List<Integer>>> runs = new ArrayList<>();
    List<Item<StepRecord, List<Integer>>> steps = new ArrayList<>();
    Map<String, Long> ends = new LinkedHashMap<>();
    Map<String, List<Integer>> endEvents = new LinkedHashMap<>();
    for (EventMapper.Entity o : observations.values()) {
      try {
        EventMapper.Observed s = events.observation(project, o);
        steps.add(new Item<>(s.step(), o.events));
        if (s.lastTime() != null) {
          ends.merge(s.step().runId(), s.lastTime(), Math::max);
          endEvents.computeIfAbsent(s.step().runId(), k -> new ArrayList<>()).addAll(o.events);
        }
      } catch (IllegalArgumentException ex) {
        for (int i : o.events) problems[i] = ex.getMessage();
      }
    }
    for (EventMapper.Entity s : scores.values()) {
      try {
        StepRecord step = events.score(project, s);
        if (step != null) steps.add(new Item<>(step, s.events));
      } catch (IllegalArgumentException ex) {
        for (int i : s.events) problems[i] = ex.getMessage();
      }
    }
    for (EventMapper.Entity t : traces.values()) {
      try {
        RunRecord r = events.trace(t, ends.remove(t.id));
        endEvents.remove(t.id);
        runs.add(new Item<>(r, t.events));
      } catch (IllegalArgumentException ex) {
        for (int i : t.events) problems[i] = ex.getMessage();
      }
    }
    // Traces without a trace event in this batch still learn how far their observations got.
    for (Map.Entry<String, Long> e : ends.entrySet()) {
      runs.add(new Item<>(RunRecord.builder(e.getKey()).endNanos(e.getValue()).build(), endEvents.get(e.getKey())));
    }
    return new Decoded(new Batch<>(runs, steps, List.of()), problems);
  }

  /** Adds event {@code e} to the entity its body names; returns a problem or null. */
  private static String gather(Map<String, EventMapper.Entity> into, Event e, String idField) {
    JsonNode idNode = e.body().get(idField);
    if (idNode == null || !idNode.isTextual() || idNode.textValue().isEmpty()) {
      return "body.id is required for " + e.type();
    }
    String id = idNode.textValue();
    EventMapper.Entity entity = into.computeIfAbsent(id, EventMapper.Entity::new);
    entity.add(e.index(), e.type(), e.timestamp(), (ObjectNode) e.body());
    return null;
  }

  static boolean isUpdate(String type) {
    return type != null && type.endsWith("-update");
  }
}
