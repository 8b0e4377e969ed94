package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.IngestResult;
import dev.sextant.model.Batch;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Position;
import dev.sextant.protocol.sextant.NativeDecoder;
import dev.sextant.store.Project;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code POST /v1/ingest}: Sextant's own JSON, answered after the accepted items are committed. */
final class NativeIngestService {
  private final IngestPipeline pipeline;
  private final NativeDecoder decoder;

  NativeIngestService(IngestPipeline pipeline) {
    this.pipeline = pipeline;
    this.decoder = new NativeDecoder(pipeline.limits());
  }

  CompletableFuture<HttpResponse> ingest(Call call) throws Exception {
    Bodies.requireJson(call.request());
    Project project = call.project();
    Batch<Position> batch;
    try (InputStream body = Bodies.open(call.request(), pipeline.limits().maxBodyBytes())) {
      batch = decoder.decode(body);
    }
    return pipeline.ingest(project, batch, "native").thenApply(NativeIngestService::response);
  }

  /** The errors in request order: runs, then steps. */
  static HttpResponse response(IngestResult<Position> r) {
    ObjectNode body = Json.object();
    ObjectNode accepted = body.putObject("accepted");
    accepted.put("runs", r.acceptedRuns());
    accepted.put("steps", r.acceptedSteps());
    ArrayNode errors = body.putArray("errors");
    List<ItemError<Position>> rejected = new ArrayList<>(r.errors());
    rejected.sort(Comparator.comparing(e -> e.ref()));
    for (ItemError<Position> e : rejected) {
      ObjectNode o = errors.addObject();
      o.put("kind", e.ref().kind());
      o.put("index", e.ref().index());
      o.put("message", e.message());
    }
    return Responses.ok(body);
  }
}
