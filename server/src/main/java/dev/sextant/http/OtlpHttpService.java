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
import dev.sextant.ingest.Overloaded;
import dev.sextant.ingest.RequestTooLarge;
import dev.sextant.model.Batch;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.otlp.OtlpWire;
import dev.sextant.store.Project;
import dev.sextant.store.StoreException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/traces} (and Langfuse's {@code /api/public/otel/v1/traces}): OTLP/HTTP with a
 * protobuf or JSON body, optionally gzip. Answers as the OTLP specification says, in the request's
 * own encoding: an empty {@code ExportTraceServiceResponse} after the spans are committed, a
 * partial success naming rejected spans, or a {@code google.rpc.Status} with the HTTP error.
 */
final class OtlpHttpService implements HttpService {
  private static final Logger log = LoggerFactory.getLogger(OtlpHttpService.class);
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
    boolean json = isJson(type);
    if (!json && !isProtobuf(type)) {
      req.abort();
      return error(true, HttpStatus.UNSUPPORTED_MEDIA_TYPE, OtlpWire.INVALID_ARGUMENT, "unsupported_media_type",
          "Content-Type must be application/x-protobuf or application/json, got "
              + (type == null ? "none" : type.toString()), null);
    }
    CompletableFuture<HttpResponse> out = CompletableFuture
        .supplyAsync(() -> ingest.project(req.headers()), ctx.blockingTaskExecutor())
        .thenCompose(project -> ingest.budget().aggregate(ctx, req, ingest.maxBodyBytes())
            .thenComposeAsync(agg -> handle(project, json, agg), ctx.blockingTaskExecutor()))
        .exceptionally(t -> {
          req.abort();
          return failure(json, t);
        });
    return HttpResponse.of(out);
  }

  private CompletableFuture<HttpResponse> handle(Project project, boolean json, AggregatedHttpRequest agg) {
    Batch batch;
    try (InputStream body = Bodies.open(agg, ingest.maxBodyBytes())) {
      batch = json ? ingest.decoder().decodeJson(body) : ingest.decoder().decodeProtobuf(body);
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
    }
    return ingest.ingest(project, batch, protocol).thenApply(r -> ok(json, r));
  }

  private static HttpResponse ok(boolean json, ExportTraceServiceResponse r) {
    return json
        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, HttpData.wrap(OtlpWire.responseJson(r)))
        : HttpResponse.of(HttpStatus.OK, PROTOBUF, HttpData.wrap(r.toByteArray()));
  }

  /** Every failure as its HTTP status with a {@code google.rpc.Status} body; client mistakes are 4xx. */
  static HttpResponse failure(boolean json, Throwable t) {
    Throwable e = Failures.peel(t);
    if (e instanceof HttpFailure) {
      HttpFailure f = (HttpFailure) e;
      int code = f.status.code() == 401 ? OtlpWire.UNAUTHENTICATED
          : f.status.code() == 403 ? OtlpWire.PERMISSION_DENIED : OtlpWire.INVALID_ARGUMENT;
      return error(json, f.status, code, f.code, f.getMessage(), null);
    }
    if (e instanceof BadRequest) {
      return error(json, HttpStatus.BAD_REQUEST, OtlpWire.INVALID_ARGUMENT, ((BadRequest) e).code(), e.getMessage(), null);
    }
    if (e instanceof RequestTooLarge) {
      return error(json, HttpStatus.REQUEST_ENTITY_TOO_LARGE, OtlpWire.RESOURCE_EXHAUSTED, "too_large", e.getMessage(),
          null);
    }
    if (e instanceof Overloaded) {
      Overloaded o = (Overloaded) e;
      return error(json, HttpStatus.valueOf(o.status()), OtlpWire.UNAVAILABLE,
          o.status() == 429 ? "overloaded" : "unavailable", o.getMessage(), o.retryAfterSeconds());
    }
    if (e instanceof StoreException) {
      log.warn("store unavailable: {}", e.getMessage());
      return error(json, HttpStatus.SERVICE_UNAVAILABLE, OtlpWire.UNAVAILABLE, "unavailable",
          Failures.STORE_UNAVAILABLE, 2);
    }
    if (e instanceof IllegalArgumentException) {
      return error(json, HttpStatus.BAD_REQUEST, OtlpWire.INVALID_ARGUMENT, "invalid_body", e.getMessage(), null);
    }
    if (Failures.isGone(e)) return Failures.gone(e);
    log.error("unexpected error in OTLP ingest", e);
    return error(json, HttpStatus.INTERNAL_SERVER_ERROR, OtlpWire.INTERNAL, "internal",
        "internal error; see the server log", null);
  }

  private static HttpResponse error(boolean json, HttpStatus status, int rpcCode, String error, String message,
      Integer retryAfter) {
    ResponseHeadersBuilder h = ResponseHeaders.builder(status).contentType(json ? MediaType.JSON : PROTOBUF);
    if (retryAfter != null) h.set(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfter));
    byte[] body = json ? OtlpWire.statusJson(rpcCode, error, message) : OtlpWire.status(rpcCode, message, null);
    return HttpResponse.of(h.build(), HttpData.wrap(body));
  }

  static boolean isJson(MediaType type) {
    return type != null && type.subtype().toLowerCase(Locale.ROOT).endsWith("json");
  }

  static boolean isProtobuf(MediaType type) {
    if (type == null) return false;
    String sub = type.subtype().toLowerCase(Locale.ROOT);
    return sub.equals("x-protobuf") || sub.equals("protobuf") || sub.equals("vnd.google.protobuf");
  }
}
