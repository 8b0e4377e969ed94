package dev.sextant.protocol.langsmith;

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
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.JsonFields;
import dev.sextant.protocol.Lenient;
import dev.sextant.protocol.LenientTimes;
import dev.sextant.protocol.RecentIds;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes LangSmith's run-ingestion requests ({@code /runs/multipart}, {@code /runs/batch},
 * {@code POST /runs}, {@code PATCH /runs/{id}}) into canonical records. A message that cannot be
 * read rejects only itself; the request fails as a whole only when its framing is broken.
 */
public final class LangSmithDecoder {
  private static final int REMEMBERED_RUNS = 100_000;

  private final Limits limits;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final RunMapper runs;

  /** @param clock stamps feedback that carries no time of its own with the time it arrived */
  public LangSmithDecoder(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.mapper = Json.create(limits);
    this.runs = new RunMapper(limits, new RecentIds(REMEMBERED_RUNS));
  }

  /**
   * The LangSmith run a record came from.
   *
   * @param id the run's id, or null when the message named none
   * @param trace whether the record is the Sextant run that this root run opens (else its step)
   * @param seq the message's place among the request's run messages, so problems are reported in
   *     request order
   */
  public record RunRef(String id, boolean trace, int seq) {
    private static final Comparator<RunRef> ORDER =
        Comparator.comparing((RunRef r) -> !r.trace()).thenComparingInt(RunRef::seq);
  }

  /**
   * What one request decoded to: {@code batch} names each record by its {@link RunRef}, so that
   * errors can be reported by id; {@code skipped} lists parts that were accepted but not stored
   * (attachments) or not understood; {@code feedback} holds the usable feedback parts as sent, to
   * be stored as scores too.
   */
  public record Decoded(Batch<RunRef> batch, List<Skipped> skipped, List<ObjectNode> feedback) {
    /**
     * The records the pipeline {@code rejected}, as LangSmith names them: by the run id they came
     * from; a run's own problem is a problem of the trace it roots. Traces first, then runs, each
     * in request order.
     */
    public List<Rejection> rejections(List<ItemError<RunRef>> rejected) {
      List<ItemError<RunRef>> ordered = new ArrayList<>(rejected);
      ordered.sort(Comparator.comparing(ItemError::ref, RunRef.ORDER));
      List<Rejection> out = new ArrayList<>(ordered.size());
      for (ItemError<RunRef> e : ordered) {
        String id = e.ref().id();
        out.add(new Rejection(id, e.ref().trace() ? "trace " + id + ": " + e.message() : e.message()));
      }
      return out;
    }
  }

  /** A LangSmith run that was not stored, and why. */
  public record Rejection(String id, String message) {}

  /** A part that was not turned into a record, and why. */
  public record Skipped(String part, String reason, boolean problem) {}

  /** {@code POST /runs/multipart}: parts {@code post.<id>[.<field>]}, {@code patch.…}, feedback, attachments. */
  public Decoded decodeMultipart(String project, InputStream body, String boundary) throws IOException {
    MultipartReader reader = new MultipartReader(body, boundary);
    Map<String, Op> ops = new LinkedHashMap<>();
    List<ObjectNode> feedback = new ArrayList<>();
    List<String> feedbackParts = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    long maxPart = limits.maxBodyBytes();
    MultipartReader.Part part;
    while ((part = reader.next()) != null) {
      String name = part.name();
      if (name == null || name.isEmpty()) {
        reader.skipBody(maxPart);
        skipped.add(new Skipped(part.label(), "the part has no Content-Disposition name; expected post.<run id>, "
            + "patch.<run id>, feedback.<id> or attachment.<run id>.<name>", true));
        continue;
      }
      int dot = name.indexOf('.');
      String event = dot < 0 ? name : name.substring(0, dot);
      String rest = dot < 0 ? "" : name.substring(dot + 1);
      switch (event) {
        case "post":
        case "patch": {
          int fieldDot = rest.indexOf('.');
          String id = fieldDot < 0 ? rest : rest.substring(0, fieldDot);
          String field = fieldDot < 0 ? null : rest.substring(fieldDot + 1);
          byte[] bytes = reader.readBody(maxPart);
          if (id.isEmpty()) {
            skipped.add(new Skipped(name, "the part name has no run id; expected " + event + ".<run id>", true));
            continue;
          }
          Op op = ops.computeIfAbsent(event + "." + id, k -> new Op(event.equals("patch"), id));
          readPart(op, name, field, bytes);
          break;
        }
        case "feedback": {
          byte[] bytes = reader.readBody(maxPart);
          try {
            JsonNode f = mapper.readTree(bytes);
            if (f == null || !f.isObject()) throw new IllegalArgumentException("must be a JSON object");
            feedback.add((ObjectNode) f);
            feedbackParts.add(name);
          } catch (JacksonException | IllegalArgumentException e) {
            skipped.add(new Skipped(name, "the feedback is not a JSON object: " + message(e), true));
          }
          break;
        }
        case "attachment":
          reader.skipBody(maxPart);
          skipped.add(new Skipped(name, "attachments are accepted but not stored", false));
          break;
        default:
          reader.skipBody(maxPart);
          skipped.add(new Skipped(name, "unknown part; expected post.<run id>, patch.<run id>, feedback.<id> or "
              + "attachment.<run id>.<name>", true));
      }
    }
    Output out = new Output();
    // Creates before updates, whatever the part order, so an update's fields win.
    for (boolean update : new boolean[] {false, true}) {
      for (Op op : ops.values()) {
        if (op.update != update) continue;
        if (op.problem != null) {
          out.fail(op.id, (update ? "patch." : "post.") + op.id + ": " + op.problem);
        } else if (op.main == null) {
          out.fail(op.id, (update ? "patch." : "post.") + op.id + ": the field parts came without the "
              + (update ? "patch." : "post.") + op.id + " part that carries the run itself");
        } else {
          op.main.setAll(op.fields);
          add(project, out, op.main, update, null, (update ? "patch." : "post.") + op.id);
        }
      }
    }
    for (int i = 0; i < feedback.size(); i++) addFeedback(out, feedback.get(i), feedbackParts.get(i));
    return out.decoded(skipped);
  }

  /** {@code POST /runs/batch}: {@code {"post": [run…], "patch": [run…]}}. */
  public Decoded decodeBatch(String project, InputStream body) {
    JsonNode root = read(body);
    if (!root.isObject()) {
      throw new BadRequest("invalid_body", "the body must be a JSON object with \"post\" and/or \"patch\" arrays, got "
          + JsonFields.kind(root));
    }
    Output out = new Output();
    for (String key : List.of("post", "patch")) {
      JsonNode list = root.get(key);
      if (list == null || list.isNull()) continue;
      if (!list.isArray()) {
        throw new BadRequest("invalid_body", "\"" + key + "\" must be an array of runs, got " + JsonFields.kind(list));
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode r = list.get(i);
        String where = key + "[" + i + "]";
        if (!r.isObject()) {
          out.fail(null, where + ": must be a run object, got " + JsonFields.kind(r));
          continue;
        }
        add(project, out, (ObjectNode) r, key.equals("patch"), null, where);
      }
    }
    return out.decoded(List.of());
  }

  /** {@code POST /runs} (one create) or {@code PATCH /runs/{id}} (one update, {@code runId} from the path). */
  public Decoded decodeOne(String project, InputStream body, boolean update, String runId) {
    JsonNode root = read(body);
    if (!root.isObject()) {
      throw new BadRequest("invalid_body", "the body must be a JSON run object, got " + JsonFields.kind(root));
    }
    Output out = new Output();
    add(project, out, (ObjectNode) root, update, runId, update ? "patch" : "run");
    return out.decoded(List.of());
  }

  private void readPart(Op op, String name, String field, byte[] bytes) {
    if (op.problem != null) return;
    JsonNode value;
    try {
      value = mapper.readTree(bytes);
    } catch (IOException e) {
      op.problem = "part " + name + " is not valid JSON: " + message(e);
      return;
    }
    if (value == null) {
      op.problem = "part " + name + " is empty; it must hold JSON";
    } else if (field == null) {
      if (!value.isObject()) {
        op.problem = "part " + name + " must be a JSON object, got " + JsonFields.kind(value);
      } else if (op.main == null) {
        op.main = (ObjectNode) value;
      } else {
        op.main.setAll((ObjectNode) value);
      }
    } else {
      op.fields.set(field, value);
    }
  }

  /** Maps one run, then the runs nested in its {@code child_runs} (older SDKs sent whole trees). */
  private void add(String project, Output out, ObjectNode r, boolean update, String pathId, String where) {
    RunMapper.Mapped m;
    try {
      m = runs.map(project, r, update, pathId);
    } catch (IllegalArgumentException e) {
      out.fail(pathId != null ? pathId : Lenient.text(r, "id"), where + ": " + e.getMessage());
      return;
    }
    out.add(m);
    JsonNode children = r.get("child_runs");
    if (children == null || !children.isArray()) return;
    for (int i = 0; i < children.size(); i++) {
      JsonNode c = children.get(i);
      if (!c.isObject()) continue;
      ObjectNode child = (ObjectNode) c;
      if (!child.hasNonNull("trace_id")) child.put("trace_id", m.step().runId());
      if (!child.hasNonNull("parent_run_id")) child.put("parent_run_id", m.id());
      add(project, out, child, update, null, where + ".child_runs[" + i + "]");
    }
  }

  /**
   * Feedback becomes an {@code evaluator} step under the run it is about, so that it shows in the
   * trace; the caller stores it as a score as well ({@link Decoded#feedback}). The comment is
   * content, so it goes to output.
   */
  private void addFeedback(Output out, ObjectNode f, String part) {
    String id = Lenient.text(f, "id");
    String runId = Lenient.text(f, "run_id");
    String traceId = Lenient.text(f, "trace_id");
    String key = Lenient.text(f, "key");
    if (id == null || traceId == null || key == null) {
      out.fail(id, part + ": feedback needs id, trace_id and key");
      return;
    }
    Long time = null;
    for (String field : List.of("start_time", "created_at", "modified_at")) {
      try {
        time = LenientTimes.read(f, field);
      } catch (IllegalArgumentException e) {
        time = null;
      }
      if (time != null) break;
    }
    if (time == null) time = Times.toNanos(clock.instant());
    ObjectNode metadata = Json.object();
    metadata.put("feedback_key", key);
    for (String field : List.of("score", "value")) {
      JsonNode v = f.get(field);
      if (v != null && (v.isNumber() || v.isBoolean() || v.isTextual())) metadata.set(field, v);
    }
    String source = Lenient.text(Lenient.object(f, "feedback_source"), "type");
    if (source != null) metadata.put("feedback_source", source);
    ObjectNode output = Json.object();
    for (String field : List.of("comment", "correction", "value")) {
      JsonNode v = f.get(field);
      if (v != null && !v.isNull()) output.set(field, v);
    }
    ObjectNode attrs = Json.object();
    attrs.put("key", key);
    if (metadata.has("score")) attrs.set("score", metadata.get("score"));
    List<StepEvent> events = List.of(new StepEvent("feedback", time, attrs));
    StepRecord step = StepRecord.builder(traceId, id).parentStepId(runId != null ? runId : traceId).type("evaluator")
        .name(Lenient.truncate(key, limits.maxNameLength())).startNanos(time).endNanos(time).status(StepStatus.OK)
        .metadata(metadata).output(output.isEmpty() ? null : output).events(events)
        .normalization(Map.of("type", "langsmith feedback")).build();
    out.add(new RunMapper.Mapped(id, step, null));
    out.feedback.add(f);
  }

  private JsonNode read(InputStream body) {
    try {
      JsonNode root = mapper.readTree(body);
      if (root == null) throw new BadRequest("invalid_body", "the body is empty; send a JSON object");
      return root;
    } catch (JacksonException e) {
      throw new BadRequest("invalid_json", "the body is not valid JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
    }
  }

  private static String message(Exception e) {
    return e instanceof JacksonException ? Json.problem((JacksonException) e) : e.getMessage();
  }

  /** The parts of one run message gathered from a multipart request. */
  private static final class Op {
    final boolean update;
    final String id;
    ObjectNode main;
    final ObjectNode fields = Json.object();
    String problem;

    Op(boolean update, String id) {
      this.update = update;
      this.id = id;
    }
  }

  /** Records in request order, each with the LangSmith run it came from. */
  private static final class Output {
    final List<Item<StepRecord, RunRef>> steps = new ArrayList<>();
    final List<Item<RunRecord, RunRef>> runs = new ArrayList<>();
    final List<ItemError<RunRef>> errors = new ArrayList<>();
    final List<ObjectNode> feedback = new ArrayList<>();
    int sent;

    void add(RunMapper.Mapped m) {
      int seq = sent++;
      steps.add(new Item<>(m.step(), new RunRef(m.id(), false, seq)));
      if (m.run() != null) runs.add(new Item<>(m.run(), new RunRef(m.id(), true, seq)));
    }

    void fail(String id, String message) {
      errors.add(new ItemError<>(new RunRef(id, false, sent++), message));
    }

    Decoded decoded(List<Skipped> skipped) {
      return new Decoded(new Batch<>(runs, steps, errors, runs.size(), sent), skipped, feedback);
    }
  }
}
