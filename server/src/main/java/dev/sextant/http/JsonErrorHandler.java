package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the server's own errors (404, 405, 413, timeouts, protocol violations) JSON like every
 * other error, and OTLP where the request went to an OTLP endpoint.
 */
public final class JsonErrorHandler implements ServerErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

  /**
   * A failed response: Sextant's own failures are mapped as its handlers map them. That includes a
   * body Armeria rejected for its size, which aborts the handler's response with a 413. Anything
   * else (timeouts, shutdown, cancellation) gets Armeria's status, rendered by {@link #renderStatus}.
   */
  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    Throwable e = Failures.peel(cause);
    if (!Failures.isOwn(e)) return null;
    if (ctx.config().service().as(OtlpHttpService.class) != null) {
      return OtlpHttpService.failure(Bodies.isJson(ctx.request().contentType()), e);
    }
    if (ctx.config().service().as(OtlpGrpcService.class) != null) return OtlpGrpcService.failure(e);
    return Failures.toResponse(e);
  }

  /** Seconds a client is told to wait after a request the server could not finish in time. */
  static final int TIMEOUT_RETRY_AFTER_SECONDS = 2;

  /**
   * A status Armeria answers itself. A request that ran out of time — 503 when the answer was not
   * ready (e.g. a commit waited behind a long queue), 408 when the body had not all arrived (a
   * server too busy to read it is the usual reason) — is answered 503 with {@code Retry-After}:
   * nothing in it was acknowledged, and since every write is an idempotent upsert, sending it again
   * is safe even when part of it was stored.
   */
  @Override
  public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
      HttpStatus status, String description, Throwable cause) {
    if (status.code() == 408 || status.code() == 503) return timedOut(headers);
    // a 500 that no handler classified: the client is told to see the log, so the cause must be there
    if (status.code() >= 500) {
      log.error("unexpected error answering {}", headers == null ? "a request" : headers.path(), cause);
    }
    return Responses.aggregatedError(status, code(status), message(status, description, headers, config));
  }

  static AggregatedHttpResponse timedOut(RequestHeaders headers) {
    String request = headers == null ? "this request" : headers.method() + " " + headers.path();
    return Responses.aggregatedError(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "the server could not finish "
        + request + " in time; nothing in it was acknowledged; send it again after Retry-After seconds (writes "
        + "are idempotent, so items it may have stored are not duplicated)", TIMEOUT_RETRY_AFTER_SECONDS);
  }

  @Override
  public AggregatedHttpResponse onProtocolViolation(ServiceConfig config, RequestHeaders headers, HttpStatus status,
      String description, Throwable cause) {
    if (status.code() == 408 || status.code() == 503) return timedOut(headers);
    if (status.code() >= 500) {
      log.error("unexpected error reading {}", headers == null ? "a request" : headers.path(), cause);
    }
    return Responses.aggregatedError(status, code(status), message(status, description, headers, config));
  }

  private static String code(HttpStatus status) {
    switch (status.code()) {
      case 404: return "not_found";
      case 405: return "method_not_allowed";
      case 413: return "too_large";
      case 415: return "unsupported_media_type";
      case 503: return "unavailable";
      default: return status.code() >= 500 ? "internal" : "bad_request";
    }
  }

  private static String message(HttpStatus status, String description, RequestHeaders headers,
      ServiceConfig config) {
    String request = headers == null ? "this request" : headers.method() + " " + headers.path();
    switch (status.code()) {
      case 404: return "no endpoint " + request + "; the API is described at /openapi.json";
      case 405: return "the method of this request is not supported" + (headers == null ? "" : " on " + headers.path())
          + "; the API is described at /openapi.json";
      case 413: return Failures.bodyTooLarge(config == null ? 0 : config.maxRequestLength());
      default: return description != null ? description : status.reasonPhrase();
    }
  }
}
