package dev.sextant.protocol.sextant;

import static dev.sextant.protocol.JsonFields.any;
import static dev.sextant.protocol.JsonFields.integer;
import static dev.sextant.protocol.JsonFields.number;
import static dev.sextant.protocol.JsonFields.object;
import static dev.sextant.protocol.JsonFields.smallInt;
import static dev.sextant.protocol.JsonFields.stringMap;
import static dev.sextant.protocol.JsonFields.text;
import static dev.sextant.protocol.JsonFields.time;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Batch;
import dev.sextant.model.Failure;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.JsonFields;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Decodes Sextant's own {@code POST /v1/ingest} body. Unknown fields are ignored. */
public final class NativeDecoder {
  private final ObjectMapper mapper;

  public NativeDecoder(Limits limits) {
    this.mapper = Json.create(limits);
  }

  /** Each item is named by its position in the body's {@code runs} or {@code steps}. */
  public Batch<Position> decode(InputStream body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      throw new BadRequest("invalid_json", "the body is not valid JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest("invalid_body", "the body must be a JSON object with \"runs\" and/or \"steps\" arrays");
    }
    List<ItemError<Position>> errors = new ArrayList<>();
    List<Item<RunRecord, Position>> runs = new ArrayList<>();
    List<Item<StepRecord, Position>> steps = new ArrayList<>();
    JsonNode runArray = array(root, "runs");
    JsonNode stepArray = array(root, "steps");
    for (int i = 0; i < runArray.size(); i++) {
      try {
        runs.add(new Item<>(run(item(runArray.get(i))), Position.run(i)));
      } catch (IllegalArgumentException e) {
        errors.add(new ItemError<>(Position.run(i), e.getMessage()));
      }
    }
    for (int i = 0; i < stepArray.size(); i++) {
      try {
        steps.add(new Item<>(step(item(stepArray.get(i))), Position.step(i)));
      } catch (IllegalArgumentException e) {
        errors.add(new ItemError<>(Position.step(i), e.getMessage()));
      }
    }
    return new Batch<>(runs, steps, errors, runArray.size(), stepArray.size());
  }

  private static JsonNode array(JsonNode root, String field) {
    JsonNode a = root.get(field);
    if (a == null || a.isNull()) return Json.NODES.arrayNode();
    if (!a.isArray()) {
      throw new BadRequest("invalid_body", "\"" + field + "\" must be an array, got " + JsonFields.kind(a));
    }
    return a;
  }

  private static JsonNode item(JsonNode n) {
    if (!n.isObject()) throw new IllegalArgumentException("must be an object, got " + JsonFields.kind(n));
    return n;
  }

  private static RunRecord run(JsonNode o) {
    String status = text(o, "status");
    RunStatus parsed = RunStatus.parse(status);
    if (status != null && parsed == null) {
      throw new IllegalArgumentException("status must be one of success, failure, partial, running, got \"" + status + "\"");
    }
    Failure failure = null;
    ObjectNode f = object(o, "failure");
    if (f != null) {
      failure = new Failure(text(f, "type"), text(f, "code"), text(f, "message"), text(f, "step_id"));
    }
    return RunRecord.builder(text(o, "run_id")).agentId(text(o, "agent_id")).agentVersion(text(o, "agent_version"))
        .environment(text(o, "environment")).name(text(o, "name")).sessionId(text(o, "session_id"))
        .labels(stringMap(o, "labels")).startNanos(time(o, "start_time")).endNanos(time(o, "end_time")).status(parsed)
        .failure(failure).metadata(object(o, "metadata")).input(any(o, "input")).output(any(o, "output")).build();
  }

  private static StepRecord step(JsonNode o) {
    String status = text(o, "status");
    StepStatus parsed = StepStatus.parse(status);
    if (status != null && parsed == null) {
      throw new IllegalArgumentException("status must be one of ok, error, timeout, cancelled, got \"" + status + "\"");
    }
    StepError error = null;
    ObjectNode e = object(o, "error");
    if (e != null) error = new StepError(text(e, "type"), text(e, "code"), text(e, "message"));
    List<StepEvent> events = null;
    JsonNode ev = any(o, "events");
    if (ev != null) {
      if (!ev.isArray()) throw new IllegalArgumentException("events must be an array, got " + JsonFields.kind(ev));
      events = new ArrayList<>(ev.size());
      for (int i = 0; i < ev.size(); i++) {
        JsonNode x = ev.get(i);
        if (!x.isObject()) throw new IllegalArgumentException("events[" + i + "] must be an object");
        String name = text(x, "name");
        Long t = time(x, "time");
        if (name == null) throw new IllegalArgumentException("events[" + i + "].name is required");
        if (t == null) throw new IllegalArgumentException("events[" + i + "].time is required");
        ObjectNode attrs = object(x, "attributes");
        events.add(new StepEvent(name, t, attrs == null ? Json.object() : attrs));
      }
    }
    return StepRecord.builder(text(o, "run_id"), text(o, "step_id")).parentStepId(text(o, "parent_step_id"))
        .seq(smallInt(o, "seq")).type(text(o, "type")).name(text(o, "name")).startNanos(time(o, "start_time"))
        .endNanos(time(o, "end_time")).status(parsed).attempt(smallInt(o, "attempt")).retryOf(text(o, "retry_of"))
        .model(text(o, "model")).provider(text(o, "provider")).inputTokens(integer(o, "input_tokens"))
        .outputTokens(integer(o, "output_tokens")).cacheReadTokens(integer(o, "cache_read_tokens"))
        .reasoningTokens(integer(o, "reasoning_tokens")).costUsd(number(o, "cost_usd"))
        .timeToFirstTokenMs(number(o, "time_to_first_token_ms")).error(error).metadata(object(o, "metadata"))
        .input(any(o, "input")).output(any(o, "output")).events(events).normalization(stringMap(o, "normalization"))
        .build();
  }

}
