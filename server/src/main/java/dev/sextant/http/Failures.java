package dev.sextant.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ContentTooLargeException;
import dev.sextant.ingest.Overloaded;
import dev.sextant.ingest.RequestTooLarge;
import dev.sextant.protocol.BadRequest;
import dev.sextant.store.StoreException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every exception a handler can raise to its status and JSON error. Client mistakes are 4xx. */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  public static HttpResponse toResponse(Throwable t) {
    Throwable e = t;
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    if (e instanceof HttpFailure) {
      HttpFailure f = (HttpFailure) e;
      return Responses.error(f.status, f.code, f.getMessage());
    }
    if (e instanceof BadRequest) {
      return Responses.error(HttpStatus.BAD_REQUEST, ((BadRequest) e).code(), e.getMessage());
    }
    if (e instanceof RequestTooLarge) {
      return Responses.error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", e.getMessage());
    }
    if (e instanceof ContentTooLargeException) {
      return Responses.error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
          "the request body is over the size limit; send smaller batches");
    }
    if (e instanceof Overloaded) {
      Overloaded o = (Overloaded) e;
      return Responses.retryLater(HttpStatus.valueOf(o.status()),
          o.status() == 429 ? "overloaded" : "unavailable", o.getMessage(), o.retryAfterSeconds());
    }
    if (e instanceof StoreException) {
      log.warn("store unavailable: {}", e.getMessage());
      return Responses.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
          "the store is unavailable (" + e.getMessage() + "); retry later", 2);
    }
    if (e instanceof IllegalArgumentException) {
      return Responses.error(HttpStatus.BAD_REQUEST, "invalid_parameter", e.getMessage());
    }
    log.error("unexpected error", e);
    return Responses.error(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log");
  }
}
