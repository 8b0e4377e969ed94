package dev.sextant.http;

import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.ingest.Overloaded;
import dev.sextant.model.RequestTooLarge;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.otlp.OtlpWire;
import dev.sextant.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed request tells its client, whatever the wire: the HTTP status, Sextant's short error
 * code, the message, and for a failure worth retrying the seconds to wait. Every endpoint (JSON,
 * OTLP/HTTP, OTLP/gRPC) classifies a failure here and only renders the answer in its own encoding,
 * so a failure means the same thing on every protocol.
 *
 * @param retryAfterSeconds null for a failure the client must not retry as it is
 */
record FailureAnswer(HttpStatus status, String code, String message, Integer retryAfterSeconds) {
  private static final Logger log = LoggerFactory.getLogger(FailureAnswer.class);

  /**
   * The answer to {@code t}, or null when the exchange is already over ({@link Failures#isGone}).
   * Client mistakes are 4xx; the causes of server-side failures go to the log only.
   */
  static FailureAnswer of(Throwable t) {
    Throwable e = Failures.peel(t);
    if (e instanceof HttpFailure) {
      HttpFailure f = (HttpFailure) e;
      return new FailureAnswer(f.status, f.code, f.getMessage(), null);
    }
    if (e instanceof BadRequest) {
      return new FailureAnswer(HttpStatus.BAD_REQUEST, ((BadRequest) e).code(), e.getMessage(), null);
    }
    if (e instanceof RequestTooLarge) {
      return new FailureAnswer(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", e.getMessage(), null);
    }
    if (e instanceof Overloaded) {
      Overloaded o = (Overloaded) e;
      return switch (o.reason()) {
        // busy for a moment: this node takes the retry
        case QUEUE_FULL, MEMORY_FULL ->
            new FailureAnswer(HttpStatus.TOO_MANY_REQUESTS, "overloaded", o.getMessage(), o.retryAfterSeconds());
        case SHUTTING_DOWN, STORE_UNAVAILABLE ->
            new FailureAnswer(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", o.getMessage(), o.retryAfterSeconds());
        // 503, not 507: every client retries a 503 (OTLP exporters do not retry a 507)
        case STORE_FULL ->
            new FailureAnswer(HttpStatus.SERVICE_UNAVAILABLE, "store_full", o.getMessage(), o.retryAfterSeconds());
      };
    }
    if (e instanceof StoreException) {
      // the cause (SQL, paths, host names) goes to the log only, never to a client
      log.warn("store unavailable: {}", e.getMessage());
      return new FailureAnswer(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", Failures.STORE_UNAVAILABLE, 2);
    }
    if (e instanceof IllegalArgumentException) {
      return new FailureAnswer(HttpStatus.BAD_REQUEST, "invalid_parameter", e.getMessage(), null);
    }
    if (Failures.isGone(e)) return null;
    log.error("unexpected error", e);
    return new FailureAnswer(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log", null);
  }

  /**
   * The gRPC status code of this answer, for OTLP's {@code google.rpc.Status}: {@code UNAVAILABLE}
   * (retryable) for overload and an unavailable store, {@code RESOURCE_EXHAUSTED} without retry
   * for an oversized request, {@code UNIMPLEMENTED} for an unsupported encoding, as gRPC prescribes
   * for compression it does not support, and {@code INVALID_ARGUMENT} for other client mistakes.
   */
  int rpcCode() {
    switch (status.code()) {
      case 401: return OtlpWire.UNAUTHENTICATED;
      case 403: return OtlpWire.PERMISSION_DENIED;
      case 413: return OtlpWire.RESOURCE_EXHAUSTED;
      case 415: return OtlpWire.UNIMPLEMENTED;
      case 429:
      case 503: return OtlpWire.UNAVAILABLE;
      default: return status.code() >= 500 ? OtlpWire.INTERNAL : OtlpWire.INVALID_ARGUMENT;
    }
  }
}
