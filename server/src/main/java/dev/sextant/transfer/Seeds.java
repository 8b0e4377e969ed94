package dev.sextant.transfer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Item;
import dev.sextant.model.Position;
import dev.sextant.model.Json;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.protocol.BadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the seed SDKs' decoders share: reading the file, keeping unknown fields, building steps. */
final class Seeds {
  private Seeds() {}

  /** Adds {@code records}, each named by {@code ref} (where in the file they came from), to {@code into}. */
  static <T> void add(List<Item<T, Position>> into, List<T> records, Position ref) {
    for (T r : records) into.add(new Item<>(r, ref));
  }

  /**
   * Every top-level JSON value of the file: one document, or several written one after another
   * (as an SDK that prints one document per session leaves them); an array is read as its items.
   */
  static List<JsonNode> documents(ObjectMapper mapper, InputStream in, String format) {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(in)) {
      while (it.hasNextValue()) {
        JsonNode v = it.nextValue();
        if (v.isArray()) v.forEach(out::add);
        else out.add(v);
      }
    } catch (JacksonException e) {
      throw new BadRequest("invalid_json", "the " + format + " file is not valid JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the " + format + " file could not be read: " + e.getMessage());
    }
    return out;
  }

  /**
   * The fields of {@code o} that a decoder does not map, kept as metadata (the content policy then
   * decides what of them is stored); null when there are none.
   */
  static ObjectNode unknown(JsonNode o, Set<String> known) {
    ObjectNode out = Json.object();
    if (o != null && o.isObject()) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!known.contains(e.getKey()) && !e.getValue().isNull()) out.set(e.getKey(), e.getValue());
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** Copies the fields of {@code from} into {@code into}, which may be null; returns the result or null. */
  static ObjectNode merge(ObjectNode into, JsonNode from) {
    if (from == null || !from.isObject() || from.isEmpty()) return into;
    ObjectNode out = into == null ? Json.object() : into;
    for (Map.Entry<String, JsonNode> e : from.properties()) out.set(e.getKey(), e.getValue());
    return out;
  }

  /** A step with the fields seed SDKs know; the rest left unsaid. */
  static StepRecord step(String runId, String stepId, String parentStepId, Integer seq, String type, String name,
      Long start, Long end, StepStatus status, String model, String provider, Long inputTokens, Long outputTokens,
      StepError error, ObjectNode metadata, JsonNode input, JsonNode output, List<StepEvent> events) {
    return StepRecord.builder(runId, stepId).parentStepId(parentStepId).seq(seq).type(type).name(name)
        .startNanos(start).endNanos(end).status(status).model(model).provider(provider).inputTokens(inputTokens)
        .outputTokens(outputTokens).error(error).metadata(metadata).input(input).output(output).events(events).build();
  }

  /** The first of two counts that is there. */
  static Long first(Long a, Long b) {
    return a != null ? a : b;
  }
}
