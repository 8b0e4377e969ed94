package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.IngestResult;
import dev.sextant.model.Json;
import dev.sextant.protocol.langsmith.LangSmithDecoder;
import dev.sextant.protocol.langsmith.LangSmithDecoder.Decoded;
import dev.sextant.protocol.langsmith.LangSmithDecoder.Rejection;
import dev.sextant.protocol.langsmith.LangSmithDecoder.RunRef;
import dev.sextant.protocol.langsmith.LangSmithDecoder.Skipped;
import dev.sextant.store.Project;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LangSmith's run-ingestion API, served at {@code /} and under {@code /api/v1} so that either form
 * of {@code LANGSMITH_ENDPOINT} works. Accepted requests get {@code 202 {}} (the SDKs only look at
 * the status); items that could not be used are listed under {@code errors} in the same body, and
 * a request of which nothing could be used is a {@code 400}.
 */
final class LangSmithService {
  /** Runs per request the SDKs are told to send; their own default. */
  private static final int OPERATIONS_PER_REQUEST = 100;
  private static final Logger log = LoggerFactory.getLogger(LangSmithService.class);

  private final IngestPipeline pipeline;
  private final LangSmithDecoder decoder;
  private final boolean multipart;
  private final ScoreStore store;
  private final Clock clock;

  /**
   * @param multipart whether {@code /info} tells SDKs to use {@code /runs/multipart}; with false
   *     they send {@code /runs/batch} (both endpoints are served either way)
   */
  LangSmithService(IngestPipeline pipeline, ScoreStore store, boolean multipart, Clock clock) {
    this.pipeline = pipeline;
    this.store = store;
    this.clock = clock;
    this.decoder = new LangSmithDecoder(pipeline.limits(), clock);
    this.multipart = multipart;
  }

  /** {@code GET /info}: what this server really supports, in LangSmith's shape. */
  HttpResponse info(Call call) {
    ObjectNode body = Json.object();
    body.put("version", "0.10.0");
    body.putNull("license_expiration_time");
    ObjectNode batch = body.putObject("batch_ingest_config");
    batch.put("use_multipart_endpoint", multipart);
    batch.put("size_limit", Math.min(OPERATIONS_PER_REQUEST, pipeline.limits().maxRunsPerRequest()));
    batch.put("size_limit_bytes", pipeline.limits().maxBodyBytes());
    batch.put("scale_up_qsize_trigger", 1000);
    batch.put("scale_up_nthreads_limit", 16);
    batch.put("scale_down_nempty_trigger", 4);
    ObjectNode flags = body.putObject("instance_flags");
    // The multipart route inflates gzip bodies; there is no zstd decoder.
    flags.put("gzip_body_enabled", true);
    flags.put("zstd_compression_enabled", false);
    flags.put("dataset_examples_multipart_enabled", false);
    body.putNull("customer_info");
    return Responses.ok(body);
  }

  /** {@code POST /runs/multipart}. */
  CompletableFuture<HttpResponse> multipart(Call call) throws IOException {
    MediaType type = call.request().contentType();
    if (type == null || !type.type().equals("multipart") || !type.subtype().equals("form-data")) {
      throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type must be multipart/form-data; boundary=..., got " + (type == null ? "none" : type));
    }
    List<String> boundary = type.parameters().get("boundary");
    Project project = call.project();
    Decoded decoded;
    try (InputStream body = Bodies.open(call.request(), pipeline.limits().maxBodyBytes())) {
      decoded = decoder.decodeMultipart(project.projectId(), body, boundary == null || boundary.isEmpty() ? null : boundary.get(0));
    } catch (IOException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_body", "the body could not be read: " + e.getMessage());
    }
    return ingest(project, decoded, HttpStatus.ACCEPTED);
  }

  /** {@code POST /runs/batch}. */
  CompletableFuture<HttpResponse> batch(Call call) throws IOException {
    Project project = call.project();
    Decoded decoded;
    try (InputStream body = json(call)) {
      decoded = decoder.decodeBatch(project.projectId(), body);
    }
    return ingest(project, decoded, HttpStatus.ACCEPTED);
  }

  /** {@code POST /runs}. */
  CompletableFuture<HttpResponse> create(Call call) throws IOException {
    Project project = call.project();
    Decoded decoded;
    try (InputStream body = json(call)) {
      decoded = decoder.decodeOne(project.projectId(), body, false, null);
    }
    return ingest(project, decoded, HttpStatus.ACCEPTED);
  }

  /** {@code PATCH /runs/{runId}}. */
  CompletableFuture<HttpResponse> update(Call call) throws IOException {
    Project project = call.project();
    Decoded decoded;
    try (InputStream body = json(call)) {
      decoded = decoder.decodeOne(project.projectId(), body, true, call.path("runId"));
    }
    return ingest(project, decoded, HttpStatus.OK);
  }

  private InputStream json(Call call) {
    Bodies.requireJson(call.request());
    return Bodies.open(call.request(), pipeline.limits().maxBodyBytes());
  }

  private CompletableFuture<HttpResponse> ingest(Project project, Decoded decoded, HttpStatus success) {
    storeFeedback(project, decoded);
    return pipeline.ingest(project, decoded.batch(), "langsmith").thenApply(r -> respond(decoded, r, success));
  }

  /** Multipart feedback parts are scores too (the decoder reports the unusable ones). */
  private void storeFeedback(Project project, Decoded decoded) {
    List<Score> scores = new ArrayList<>();
    for (ObjectNode f : decoded.feedback()) {
      try {
        scores.add(pipeline.scrub(project, LangSmithFeedback.parse(f, clock.instant())));
      } catch (IllegalArgumentException e) {
        log.debug("LangSmith feedback part not stored as a score: {}", e.getMessage());
      }
    }
    store.putScores(project.projectId(), scores);
  }

  private static HttpResponse respond(Decoded decoded, IngestResult<RunRef> result, HttpStatus success) {
    ArrayNode errors = Json.NODES.arrayNode();
    for (Rejection r : decoded.rejections(result.errors())) {
      ObjectNode o = errors.addObject();
      o.put("id", r.id());
      o.put("message", r.message());
    }
    for (Skipped s : decoded.skipped()) {
      if (!s.problem()) continue;
      ObjectNode o = errors.addObject();
      o.put("part", s.part());
      o.put("message", s.reason());
    }
    ObjectNode body = Json.object();
    if (errors.isEmpty()) return Responses.json(success, body);
    if (result.acceptedRuns() + result.acceptedSteps() == 0) {
      String first = errors.get(0).path("message").asText();
      body.put("error", "invalid_runs");
      body.put("message", "no run in the request could be used: " + first
          + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more, see errors)" : ""));
      body.set("errors", errors);
      log.debug("LangSmith request rejected: {}", body);
      return Responses.json(HttpStatus.BAD_REQUEST, body);
    }
    body.set("errors", errors);
    log.debug("LangSmith request partly rejected: {}", errors);
    return Responses.json(success, body);
  }
}
