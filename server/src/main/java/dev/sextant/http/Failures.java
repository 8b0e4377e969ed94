package dev.sextant.http;

import com.linecorp.armeria.common.CancellationException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpStatusException;
import dev.sextant.ingest.Overloaded;
import dev.sextant.model.RequestTooLarge;
import dev.sextant.protocol.BadRequest;
import dev.sextant.store.StoreException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Exceptions as JSON errors, and what every endpoint needs to know about a failure before answering it. */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  private static final long MIB = 1024 * 1024;
  /** What a client is told when the store fails; the reason is in the server log. */
  static final String STORE_UNAVAILABLE = "the store is unavailable; retry later (the reason is in the server log)";

  private Failures() {}

  /** The failure as its status and JSON error; see {@link FailureAnswer#of}. */
  public static HttpResponse toResponse(Throwable t) {
    FailureAnswer a = FailureAnswer.of(t);
    if (a == null) return gone(t);
    return a.retryAfterSeconds() == null ? Responses.error(a.status(), a.code(), a.message())
        : Responses.retryLater(a.status(), a.code(), a.message(), a.retryAfterSeconds());
  }

  /**
   * The failure behind the wrappers of futures and of Armeria. Armeria rejects a body over
   * {@code maxRequestLength} before any handler reads it (early, by its Content-Length, or while it
   * streams in); that rejection becomes the same {@link RequestTooLarge} a handler raises for a
   * body that only grows over the limit when it is decompressed, so both get one answer.
   */
  static Throwable peel(Throwable t) {
    Throwable e = t;
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    if (e instanceof HttpStatusException && e.getCause() instanceof ContentTooLargeException) e = e.getCause();
    if (e instanceof ContentTooLargeException) {
      return new RequestTooLarge(bodyTooLarge(((ContentTooLargeException) e).maxContentLength()));
    }
    return e;
  }

  /** What a client that sent a body over {@code maxBytes} is told. */
  static String bodyTooLarge(long maxBytes) {
    if (maxBytes <= 0) return "the request body is larger than the size limit; send smaller batches";
    String readable = maxBytes % MIB == 0 ? maxBytes / MIB + " MiB"
        : String.format(Locale.ROOT, "%.1f MiB", maxBytes / (double) MIB);
    return "the request body is larger than the limit of " + maxBytes + " bytes (" + readable
        + ", counted after decompression); send smaller batches";
  }

  /** Whether Sextant's own failure mapping applies: exceptions its handlers raise on purpose. */
  static boolean isOwn(Throwable e) {
    return e instanceof HttpFailure || e instanceof BadRequest || e instanceof RequestTooLarge
        || e instanceof Overloaded || e instanceof StoreException;
  }

  /**
   * Whether the exchange is over: the response was already sent (Armeria answered a rejected
   * request itself) or the client went away. Nobody would read an answer, so none is logged as an
   * error.
   */
  static boolean isGone(Throwable e) {
    return e instanceof CancellationException || Exceptions.isStreamCancelling(e);
  }

  /** The response to a request that is already over: it only resets the stream. */
  static HttpResponse gone(Throwable t) {
    Throwable e = peel(t);
    log.debug("request ended before its answer: {}", e.toString());
    return HttpResponse.ofFailure(e);
  }
}
