package dev.sextant.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A timestamped point inside a step: a stream chunk, an exception, a tool-call marker. */
public record StepEvent(String name, long timeNanos, ObjectNode attributes) {
  /** The events as stores keep them: name, ISO time and attributes each; null for none. */
  public static ArrayNode toJson(List<StepEvent> events) {
    if (events == null || events.isEmpty()) return null;
    ArrayNode a = Json.NODES.arrayNode(events.size());
    for (StepEvent e : events) {
      ObjectNode o = a.addObject();
      o.put("name", e.name());
      o.put("time", Times.format(e.timeNanos()));
      o.set("attributes", e.attributes() == null ? Json.object() : e.attributes());
    }
    return a;
  }

  /** Events as {@link #toJson} stores them; null for none stored. */
  public static List<StepEvent> fromJson(JsonNode stored) {
    if (stored == null) return null;
    List<StepEvent> out = new ArrayList<>(stored.size());
    for (JsonNode e : stored) {
      JsonNode attrs = e.get("attributes");
      out.add(new StepEvent(e.path("name").asText(), Times.parse(e.path("time").asText()),
          attrs instanceof ObjectNode o ? o : null));
    }
    return out;
  }
}
