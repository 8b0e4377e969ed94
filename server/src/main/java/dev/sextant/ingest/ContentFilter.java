package dev.sextant.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies a project's {@link ContentPolicy} to records before they are queued, so content that
 * the policy excludes never reaches memory queues, disk or logs.
 */
public final class ContentFilter {
  /** Identifier-like: no spaces, short. Tool names, model ids, HTTP codes, region names pass. */
  private static final Pattern SAFE_STRING = Pattern.compile("^[A-Za-z0-9_.:/@+#=\\-]{0,64}$");
  private static final int MAX_DEPTH = 4;
  private static final int MAX_ARRAY = 32;

  private final Redactor redactor = new Redactor();

  public RunRecord apply(ContentPolicy policy, RunRecord r) {
    switch (policy) {
      case FULL:
        return r;
      case REDACTED:
        return r.withContent(
            r.failure() == null ? null : r.failure().withMessage(redactor.redactText(r.failure().message())),
            (ObjectNode) redactor.redact(r.metadata()), redactor.redact(r.input()), redactor.redact(r.output()));
      default:
        return r.withContent(r.failure() == null ? null : r.failure().withoutMessage(),
            safeObject(r.metadata(), 0), null, null);
    }
  }

  public StepRecord apply(ContentPolicy policy, StepRecord s) {
    switch (policy) {
      case FULL:
        return s;
      case REDACTED:
        return s.withContent(
            s.error() == null ? null : new dev.sextant.model.StepError(s.error().type(), s.error().code(),
                redactor.redactText(s.error().message())),
            (ObjectNode) redactor.redact(s.metadata()), redactor.redact(s.input()), redactor.redact(s.output()),
            redactEvents(s.events()), s.normalization());
      default:
        return s.withContent(s.error() == null ? null : s.error().withoutMessage(), safeObject(s.metadata(), 0),
            null, null, safeEvents(s.events()), s.normalization());
    }
  }

  private List<StepEvent> safeEvents(List<StepEvent> events) {
    if (events == null) return null;
    List<StepEvent> out = new ArrayList<>(events.size());
    for (StepEvent e : events) out.add(new StepEvent(e.name(), e.timeNanos(), safeObject(e.attributes(), 0)));
    return out;
  }

  private List<StepEvent> redactEvents(List<StepEvent> events) {
    if (events == null) return null;
    List<StepEvent> out = new ArrayList<>(events.size());
    for (StepEvent e : events) {
      out.add(new StepEvent(e.name(), e.timeNanos(), (ObjectNode) redactor.redact(e.attributes())));
    }
    return out;
  }

  /** Keeps numbers, booleans and identifier-like strings; recurses into objects and scalar arrays. */
  static ObjectNode safeObject(ObjectNode in, int depth) {
    if (in == null) return null;
    ObjectNode out = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode safe = safe(e.getValue(), depth);
      if (safe != null) out.set(e.getKey(), safe);
    }
    return out;
  }

  private static JsonNode safe(JsonNode v, int depth) {
    if (v.isNumber() || v.isBoolean() || v.isNull()) return v;
    if (v.isTextual()) return SAFE_STRING.matcher(v.textValue()).matches() ? v : null;
    if (depth >= MAX_DEPTH) return null;
    if (v.isObject()) {
      ObjectNode o = safeObject((ObjectNode) v, depth + 1);
      return o.isEmpty() ? null : o;
    }
    if (v.isArray()) {
      ArrayNode out = Json.NODES.arrayNode();
      for (JsonNode x : v) {
        if (out.size() == MAX_ARRAY) break;
        if (x.isContainerNode()) continue;
        JsonNode s = safe(x, depth + 1);
        if (s != null) out.add(s);
      }
      return out.isEmpty() ? null : out;
    }
    return null;
  }
}
