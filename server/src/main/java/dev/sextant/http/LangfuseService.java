package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.IngestResult;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.protocol.RecentIds;
import dev.sextant.protocol.langfuse.LangfuseDecoder;
import dev.sextant.protocol.langfuse.LangfuseDecoder.Decoded;
import dev.sextant.protocol.langfuse.LangfuseDecoder.Event;
import dev.sextant.store.Project;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Langfuse's legacy batch ingestion, {@code POST /api/public/ingestion}. A well-formed envelope
 * always gets {@code 207} with one entry per event in {@code successes} or {@code errors}, as the
 * Langfuse SDKs expect. Envelope ids already committed are acknowledged without being applied
 * again, because SDKs resend whole batches on retry and an old event must not undo a newer one.
 */
final class LangfuseService {
  private static final int REMEMBERED_ENVELOPES = 200_000;

  private final IngestPipeline pipeline;
  private final LangfuseDecoder decoder;
  private final RecentIds committed = new RecentIds(REMEMBERED_ENVELOPES);

  LangfuseService(IngestPipeline pipeline) {
    this.pipeline = pipeline;
    this.decoder = new LangfuseDecoder(pipeline.limits());
  }

  CompletableFuture<HttpResponse> ingest(Call call) throws IOException {
    MediaType type = call.request().contentType();
    if (type != null && !type.subtype().endsWith("json")) {
      throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type must be application/json, got " + type);
    }
    Project project = call.project();
    List<Event> events;
    try (InputStream body = Bodies.open(call.request(), pipeline.limits().maxBodyBytes())) {
      events = decoder.parse(body);
    }
    int size = events.size();
    String scope = project.projectId();
    // Within the request, the first event with an id stands for its duplicates.
    int[] sameAs = new int[size];
    Map<String, Integer> firstIndex = new HashMap<>();
    List<Event> fresh = new ArrayList<>();
    boolean[] replayed = new boolean[size];
    for (Event e : events) {
      int i = e.index();
      sameAs[i] = i;
      if (e.id() != null && e.problem() == null) {
        Integer earlier = firstIndex.putIfAbsent(e.id(), i);
        if (earlier != null) {
          sameAs[i] = earlier;
          continue;
        }
        if (committed.contains(scope, e.id())) {
          replayed[i] = true;
          continue;
        }
      }
      fresh.add(e);
    }
    Decoded decoded = decoder.map(project.projectId(), fresh, size);
    return pipeline.ingest(project, decoded.batch(), "langfuse")
        .thenApply(r -> respond(events, decoded, r, sameAs, replayed, scope));
  }

  private HttpResponse respond(List<Event> events, Decoded decoded, IngestResult result, int[] sameAs,
      boolean[] replayed, String scope) {
    String[] problems = decoded.problems().clone();
    for (ItemError e : result.errors()) {
      List<List<Integer>> from = e.kind().equals("run") ? decoded.runEvents() : decoded.stepEvents();
      if (e.index() >= from.size()) continue;
      for (int i : from.get(e.index())) if (problems[i] == null) problems[i] = e.message();
    }
    ObjectNode body = Json.object();
    ArrayNode successes = body.putArray("successes");
    ArrayNode errors = body.putArray("errors");
    for (Event e : events) {
      int i = sameAs[e.index()];
      String problem = problems[i];
      String id = e.id() != null ? e.id() : "unknown";
      if (problem == null) {
        if (!replayed[i] && e.id() != null) committed.put(scope, e.id(), "");
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
