package dev.sextant.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Failure;
import dev.sextant.model.Json;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepError;
import dev.sextant.model.StepEvent;
import dev.sextant.model.StepRecord;
import dev.sextant.sdk.internal.Detectors;
import dev.sextant.store.Project;
import dev.sextant.store.Score;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place where a project's {@link ContentPolicy} is applied: after decoding, before anything
 * is queued, to every string of the canonical records whatever protocol they came from — ids,
 * names, codes, labels, metadata keys and values, event names and attributes, normalisation notes,
 * messages and content. Under {@code metadata-only} and {@code redacted}, personal data and secrets
 * found by {@link Detectors} never reach the queue:
 *
 * <ul>
 *   <li>fields users group by (run, step and session ids, label values, metadata under user or
 *       session keys) keep a keyed pseudonym of the whole value ({@link Pseudonyms});
 *   <li>every other string keeps its text with each finding replaced by a marker ({@code [email]});
 *   <li>values under secret-like keys ({@code password}, {@code api_key}, …) become {@code [secret]}.
 * </ul>
 *
 * <p>{@code metadata-only} also drops inputs, outputs and messages, and keeps in metadata only
 * numbers, booleans and short identifier-like strings. {@code full} keeps everything as sent.
 */
public final class Scrubber {
  /** Identifier-like: at most this many of letters, digits and {@code _ . : / @ + # = -}. */
  private static final int MAX_SAFE_STRING = 64;
  private static final int MAX_DEPTH = 4;
  private static final int MAX_ARRAY = 32;
  private static final TextNode SECRET = TextNode.valueOf(Detectors.marker(Detectors.SECRET));

  /**
   * Normalization notes repeat over most steps of a protocol (a few distinct maps in a whole load):
   * those found clean are remembered, up to this many, and pass again without a scan.
   */
  private static final int MAX_CLEAN_NOTES = 1024;

  /**
   * Names, keys and short values repeat from step to step (a model, a tool's name, an attribute's
   * key, a service's name): those found clean are remembered, up to this many, and pass again
   * after a lookup instead of a scan. The set is emptied when full, so that strings seen once (ids,
   * times) cannot keep the repeating ones out for long.
   */
  static final int MAX_CLEAN_STRINGS = 4096;
  /** Longer strings (free text, content) rarely repeat: remembered, they would only fill the set. */
  private static final int MAX_REMEMBERED_LENGTH = 64;

  private final Pseudonyms pseudonyms;
  private final Set<Map<String, String>> cleanNotes = ConcurrentHashMap.newKeySet();
  private final Set<String> cleanStrings = ConcurrentHashMap.newKeySet();

  public Scrubber(Pseudonyms pseudonyms) {
    this.pseudonyms = pseudonyms;
  }

  public RunRecord apply(Project project, RunRecord r) {
    if (project.contentPolicy() == ContentPolicy.FULL) return r;
    Pass p = new Pass(project);
    Failure f = r.failure();
    return RunRecord.builder(p.id(r.runId())).agentId(p.text(r.agentId())).agentVersion(p.text(r.agentVersion()))
        .environment(p.text(r.environment())).name(p.text(r.name())).sessionId(p.id(r.sessionId()))
        .labels(p.labels(r.labels())).startNanos(r.startNanos()).endNanos(r.endNanos()).status(r.status())
        .failure(f == null ? null : new Failure(p.text(f.type()), p.text(f.code()), p.message(f.message()),
            p.id(f.stepId()), f.inferred()))
        .metadata(p.metadata(r.metadata())).input(p.content(r.input())).output(p.content(r.output())).build();
  }

  public StepRecord apply(Project project, StepRecord s) {
    if (project.contentPolicy() == ContentPolicy.FULL) return s;
    Pass p = new Pass(project);
    StepError e = s.error();
    return StepRecord.builder(p.id(s.runId()), p.id(s.stepId())).parentStepId(p.id(s.parentStepId())).seq(s.seq())
        .type(p.text(s.type())).name(p.text(s.name())).startNanos(s.startNanos()).endNanos(s.endNanos())
        .status(s.status()).attempt(s.attempt()).retryOf(p.id(s.retryOf())).model(p.text(s.model()))
        .provider(p.text(s.provider())).inputTokens(s.inputTokens()).outputTokens(s.outputTokens())
        .cacheReadTokens(s.cacheReadTokens()).reasoningTokens(s.reasoningTokens()).costUsd(s.costUsd())
        .timeToFirstTokenMs(s.timeToFirstTokenMs())
        .error(e == null ? null : new StepError(p.text(e.type()), p.text(e.code()), p.message(e.message())))
        .metadata(p.metadata(s.metadata())).input(p.content(s.input())).output(p.content(s.output()))
        .events(p.events(s.events())).normalization(p.notes(s.normalization())).build();
  }

  /** A score: its comment is free text, dropped under metadata-only; a category is kept only identifier-like. */
  public Score apply(Project project, Score s) {
    if (project.contentPolicy() == ContentPolicy.FULL) return s;
    Pass p = new Pass(project);
    String category = s.stringValue() == null ? null : p.category(s.stringValue());
    return new Score(p.id(s.scoreId()), p.id(s.runId()), p.id(s.stepId()), p.text(s.name()), s.value(),
        category, p.message(s.comment()), p.text(s.source()),
        s.metadata() instanceof ObjectNode o ? p.metadata(o) : null, s.createdAt());
  }

  /** Identifier-like: no spaces, short. Tool names, model ids, HTTP codes, region names pass. */
  static boolean safe(String s) {
    if (s.length() > MAX_SAFE_STRING) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
          || c == ':' || c == '/' || c == '@' || c == '+' || c == '#' || c == '=' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link Detectors#redact}, which depends on the text alone: a string it left unchanged is
   * remembered ({@link #MAX_CLEAN_STRINGS}) and then returned without a scan.
   */
  String redact(String s) {
    if (s == null || s.length() > MAX_REMEMBERED_LENGTH) return Detectors.redact(s);
    if (cleanStrings.contains(s)) return s;
    String r = Detectors.redact(s);
    if (r == s) {
      if (cleanStrings.size() >= MAX_CLEAN_STRINGS) cleanStrings.clear();
      cleanStrings.add(s);
    }
    return r;
  }

  /** One record under one project's policy. */
  private final class Pass {
    private final String projectId;
    private final boolean metadataOnly;

    Pass(Project project) {
      this.projectId = project.projectId();
      this.metadataOnly = project.contentPolicy() == ContentPolicy.METADATA_ONLY;
    }

    /** Free text and names: each finding becomes its marker. */
    String text(String s) {
      return redact(s);
    }

    /** Identifiers users group by: a value with a finding becomes its pseudonym, whole. */
    String id(String s) {
      if (s == null || redact(s) == s) return s;
      String kind = Detectors.detect(s);
      return pseudonyms.of(projectId, kind == null ? Detectors.SECRET : kind, s);
    }

    String message(String s) {
      return metadataOnly ? null : text(s);
    }

    JsonNode content(JsonNode v) {
      return metadataOnly || v == null ? null : json(v, "", 0);
    }

    ObjectNode metadata(ObjectNode v) {
      if (v == null) return null;
      ObjectNode out = object(v, 0);
      return out == null ? Json.object() : out;
    }

    Map<String, String> labels(Map<String, String> labels) {
      if (labels == null) return null;
      Map<String, String> out = new LinkedHashMap<>(labels.size() * 2);
      for (Map.Entry<String, String> e : labels.entrySet()) {
        String k = e.getKey();
        // label keys are [a-z0-9_]; a pseudonym of one is written in the same alphabet
        String key = redact(k) == k ? k : id(k).replace('[', ' ').replace(']', ' ').strip().replace(':', '_');
        // protocols copy metadata entries into labels: a label can be named "password" too
        out.put(key, Detectors.secretKey(k) ? SECRET.textValue() : id(e.getValue()));
      }
      return out;
    }

    List<StepEvent> events(List<StepEvent> events) {
      if (events == null) return null;
      List<StepEvent> out = new ArrayList<>(events.size());
      for (StepEvent e : events) out.add(new StepEvent(text(e.name()), e.timeNanos(), metadata(e.attributes())));
      return out;
    }

    Map<String, String> notes(Map<String, String> notes) {
      if (notes == null || cleanNotes.contains(notes)) return notes;
      Map<String, String> out = new LinkedHashMap<>(notes.size() * 2);
      for (Map.Entry<String, String> e : notes.entrySet()) out.put(text(e.getKey()), text(e.getValue()));
      if (out.equals(notes) && cleanNotes.size() < MAX_CLEAN_NOTES) cleanNotes.add(new HashMap<>(notes));
      return out;
    }

    /** Null when nothing is left (metadata-only drops empty containers). */
    private ObjectNode object(ObjectNode in, int depth) {
      ObjectNode out = Json.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = json(e.getValue(), e.getKey(), depth);
        if (v != null) out.set(text(e.getKey()), v);
      }
      return metadataOnly && out.isEmpty() && depth > 0 ? null : out;
    }

    private JsonNode json(JsonNode v, String key, int depth) {
      if (v.isNumber() || v.isBoolean() || v.isNull()) return v;
      if (v.isTextual()) return string(v, key);
      if (metadataOnly && depth >= MAX_DEPTH) return null;
      if (v.isObject()) return object((ObjectNode) v, depth + 1);
      if (v.isArray()) return array(v, key, depth);
      return null;
    }

    private JsonNode array(JsonNode in, String key, int depth) {
      ArrayNode out = Json.NODES.arrayNode(Math.min(in.size(), metadataOnly ? MAX_ARRAY : in.size()));
      for (JsonNode x : in) {
        if (metadataOnly && (out.size() == MAX_ARRAY || x.isContainerNode())) {
          if (out.size() == MAX_ARRAY) break;
          continue;
        }
        JsonNode s = json(x, key, depth + 1);
        if (s != null) out.add(s);
      }
      return metadataOnly && out.isEmpty() ? null : out;
    }

    /** A category (a score's string value): null when metadata-only drops it. */
    String category(String v) {
      JsonNode out = string(TextNode.valueOf(v), "value");
      return out == null ? null : out.textValue();
    }

    private JsonNode string(JsonNode v, String key) {
      String s = v.textValue();
      if (metadataOnly && !safe(s)) return null;
      if (Detectors.secretKey(key)) return SECRET;
      String r = redact(s);
      if (r == s) return v;
      return TextNode.valueOf(Detectors.identifierKey(key) ? id(s) : r);
    }
  }
}
