package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.model.Batch;
import dev.sextant.model.Position;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.otlp.OtlpWire;
import dev.sextant.store.Project;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /v1/traces} (and Langfuse's {@code /api/public/otel/v1/traces}): OTLP/HTTP with a
 * protobuf or JSON body, optionally gzip. Answers as the OTLP specification says, in the request's
 * own encoding: an empty {@code ExportTraceServiceResponse} after the spans are committed, a
 * partial success naming rejected spans, or a {@code google.rpc.Status} with the HTTP error.
 */
final class OtlpHttpService implements HttpService {
  static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private final OtlpIngest ingest;
  private final String protocol;

  OtlpHttpService(OtlpIngest ingest, String protocol) {
    this.ingest = ingest;
    this.protocol = protocol;
  }

  /**
   * The media type and the credential are checked from the headers, before any of the body is
   * read; then the body is admitted against the body budget, read, decoded and ingested.
   */
  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    MediaType type = req.contentType();
    boolean json = Bodies.isJson(type);
    if (!json && !isProtobuf(type)) {
      Bodies.discardAfterAnswer(ctx, req);
      return failure(true, new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type must be application/x-protobuf or application/json, got "
              + (type == null ? "none" : type.toString())));
    }
    Executor requests = ingest.requests(ctx);
    CompletableFuture<HttpResponse> out = CompletableFuture
        .supplyAsync(() -> ingest.project(ctx, req.headers()), requests)
        .thenCompose(project -> ingest.budget().aggregate(ctx, req, ingest.maxBodyBytes())
            .thenComposeAsync(agg -> handle(project, json, agg), requests))
        .exceptionally(t -> {
          Bodies.discardAfterAnswer(ctx, req);
          return failure(json, t);
        });
    return HttpResponse.of(out);
  }

  private CompletableFuture<HttpResponse> handle(Project project, boolean json, AggregatedHttpRequest agg) {
    Batch<Position> batch;
    // protobuf as it came is read in place; anything else as a stream, decompressed on the way
    byte[] protobuf = json ? null : Bodies.uncompressed(agg, ingest.maxBodyBytes());
    try (InputStream body = protobuf != null ? null : Bodies.open(agg, ingest.maxBodyBytes())) {
      batch = protobuf != null ? ingest.decoder().decodeProtobuf(protobuf)
          : json ? ingest.decoder().decodeJson(body) : ingest.decoder().decodeProtobuf(body);
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid_body", e.getMessage());
    }
    return ingest.ingest(project, batch, protocol).thenApply(r -> ok(json, r));
  }

  private static HttpResponse ok(boolean json, ExportTraceServiceResponse r) {
    return json
        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, HttpData.wrap(OtlpWire.responseJson(r)))
        : HttpResponse.of(HttpStatus.OK, PROTOBUF, HttpData.wrap(r.toByteArray()));
  }

  /** Every failure as its HTTP status with a {@code google.rpc.Status} body; see {@link FailureAnswer}. */
  static HttpResponse failure(boolean json, Throwable t) {
    FailureAnswer a = FailureAnswer.of(t);
    if (a == null) return Failures.gone(t);
    ResponseHeadersBuilder h = ResponseHeaders.builder(a.status()).contentType(json ? MediaType.JSON : PROTOBUF);
    if (a.retryAfterSeconds() != null) h.set(HttpHeaderNames.RETRY_AFTER, Integer.toString(a.retryAfterSeconds()));
    byte[] body = json ? OtlpWire.statusJson(a.rpcCode(), a.code(), a.message())
        : OtlpWire.status(a.rpcCode(), a.message(), null);
    return HttpResponse.of(h.build(), HttpData.wrap(body));
  }

  static boolean isProtobuf(MediaType type) {
    if (type == null) return false;
    String sub = type.subtype().toLowerCase(Locale.ROOT);
    return sub.equals("x-protobuf") || sub.equals("protobuf") || sub.equals("vnd.google.protobuf");
  }
}
