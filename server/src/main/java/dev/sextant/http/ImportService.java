package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.model.Json;
import dev.sextant.store.Project;
import dev.sextant.transfer.ImportFormat;
import dev.sextant.transfer.Importer;
import java.io.InputStream;

/**
 * {@code POST /v1/import/{format}}: a Sextant export (JSON Lines) or a file written by another
 * tool's SDK, ingested through the pipeline like any other request.
 */
final class ImportService {
  private static final int MAX_ERRORS_LISTED = 100;

  private final IngestPipeline pipeline;
  private final Importer importer;

  ImportService(IngestPipeline pipeline) {
    this.pipeline = pipeline;
    this.importer = new Importer(pipeline);
  }

  HttpResponse importFile(Call call) throws Exception {
    ImportFormat format;
    try {
      format = ImportFormat.parse(call.path("format"));
    } catch (IllegalArgumentException e) {
      throw HttpFailure.notFound("no import format \"" + call.path("format") + "\": " + e.getMessage());
    }
    Project project = call.project();
    Importer.Result r;
    try (InputStream body = Bodies.open(call.request(), pipeline.limits().maxBodyBytes())) {
      r = importer.importFrom(project, format, body, n -> {});
    }
    return Responses.ok(body(format, r));
  }

  static ObjectNode body(ImportFormat format, Importer.Result r) {
    ObjectNode body = Json.object();
    body.put("format", format.wire());
    ObjectNode accepted = body.putObject("accepted");
    accepted.put("runs", r.runs());
    accepted.put("steps", r.steps());
    body.put("error_count", r.errors().size());
    ArrayNode errors = body.putArray("errors");
    for (Importer.Problem p : r.errors().subList(0, Math.min(MAX_ERRORS_LISTED, r.errors().size()))) {
      ObjectNode o = errors.addObject();
      if (p.line() > 0) o.put("line", p.line());
      o.put("kind", p.kind());
      o.put("message", p.message());
    }
    return body;
  }
}
