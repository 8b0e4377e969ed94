package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.IngestResult;
import dev.sextant.model.Json;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Times;
import dev.sextant.protocol.langfuse.Envelopes;
import dev.sextant.protocol.langfuse.LangfuseDecoder;
import dev.sextant.protocol.langfuse.LangfuseDecoder.Decoded;
import dev.sextant.protocol.langfuse.LangfuseDecoder.Event;
import dev.sextant.store.Project;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Langfuse's legacy batch ingestion, {@code POST /api/public/ingestion}. A well-formed envelope
 * always gets {@code 207} with one entry per event in {@code successes} or {@code errors}, as the
 * Langfuse SDKs expect. Envelope ids already committed are acknowledged without being applied
 * again, because SDKs resend whole batches on retry and an old event must not undo a newer one.
 */
final class LangfuseService {
  private final IngestPipeline pipeline;
  private final LangfuseDecoder decoder;

  private final ScoreStore store;

  LangfuseService(IngestPipeline pipeline, ScoreStore store) {
    this.pipeline = pipeline;
    this.store = store;
    this.decoder = new LangfuseDecoder(pipeline.limits());
  }

  CompletableFuture<HttpResponse> ingest(Call call) throws IOException {
    Bodies.requireJson(call.request());
    Project project = call.project();
    List<Event> events;
    try (InputStream body = Bodies.open(call.request(), pipeline.limits().maxBodyBytes())) {
      events = decoder.parse(body);
    }
    Envelopes.Plan plan = decoder.envelopes().plan(project.projectId(), events);
    Decoded decoded = decoder.map(project.projectId(), plan.fresh(), events.size());
    // off the thread that completes the commit: storing the scores is another write
    return pipeline.ingest(project, decoded.batch(), "langfuse").thenApplyAsync(r -> {
      storeScores(project, decoded, r);
      return respond(project, events, plan, decoded.problems(r.errors()));
    }, call.ctx().blockingTaskExecutor());
  }

  /**
   * Langfuse scores, stored as {@code evaluator} steps by the pipeline, are Sextant scores too: of
   * the observation they rate, or of the trace. Only those the pipeline accepted.
   */
  private void storeScores(Project project, Decoded decoded, IngestResult<List<Integer>> result) {
    List<Score> scores = new ArrayList<>();
    for (StepRecord s : decoded.acceptedSteps(result.errors())) {
      if (s.normalization() == null
          || !"langfuse score-create".equals(s.normalization().get("type")) || s.metadata() == null) continue;
      JsonNode m = s.metadata();
      JsonNode v = m.path("score_value");
      Double value = v.isNumber() ? v.doubleValue() : v.isBoolean() ? (v.booleanValue() ? 1.0 : 0.0) : null;
      String category = v.isTextual() ? v.textValue() : v.isBoolean() ? Boolean.toString(v.booleanValue()) : null;
      ObjectNode metadata = Json.object();
      metadata.put("protocol", "langfuse");
      for (String k : List.of("score_data_type", "score_config_id")) {
        if (m.has(k)) metadata.set(k.substring("score_".length()), m.get(k));
      }
      if (m.path("metadata").isObject()) metadata.set("metadata", m.get("metadata"));
      String source = m.path("score_source").isTextual() ? m.path("score_source").textValue().toLowerCase(Locale.ROOT) : "api";
      String comment = s.output() != null && s.output().path("comment").isTextual() ? s.output().path("comment").textValue() : null;
      Instant at = s.startNanos() != null ? Times.toInstant(s.startNanos()) : Instant.now();
      scores.add(pipeline.scrub(project, new Score(s.stepId(), s.runId(), s.parentStepId(),
          m.path("score_name").asText(s.name()), value, category, comment, source, metadata, at)));
    }
    store.putScores(project.projectId(), scores);
  }

  /** One entry per envelope; a committed envelope is remembered so that a resent copy is not applied again. */
  private HttpResponse respond(Project project, List<Event> events, Envelopes.Plan plan, String[] problems) {
    ObjectNode body = Json.object();
    ArrayNode successes = body.putArray("successes");
    ArrayNode errors = body.putArray("errors");
    for (Event e : events) {
      int i = plan.representative(e.index());
      String problem = problems[i];
      String id = e.id() != null ? e.id() : "unknown";
      if (problem == null) {
        if (!plan.replayed(i) && e.id() != null) decoder.envelopes().committed(project.projectId(), e.id());
        ObjectNode o = successes.addObject();
        o.put("id", id);
        o.put("status", 201);
      } else {
        ObjectNode o = errors.addObject();
        o.put("id", id);
        o.put("status", 400);
        o.put("message", "Invalid request data");
        o.put("error", problem);
      }
    }
    return Responses.json(HttpStatus.MULTI_STATUS, body);
  }
}
