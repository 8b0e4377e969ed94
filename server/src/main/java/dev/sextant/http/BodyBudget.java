package dev.sextant.http;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.ingest.Overloaded;
import dev.sextant.model.RequestTooLarge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget of request-body bytes held in memory at once, shared by every listener. A body is
 * admitted before it is read: by its {@code Content-Length} when it declares one, chunk by chunk
 * otherwise. Past the budget the request is refused with {@code 429} and {@code Retry-After}, so
 * many large or slow requests at once slow clients down instead of filling the heap. The bytes
 * are returned when the exchange ends, whichever way it ends.
 */
public final class BodyBudget {
  static final int RETRY_AFTER_SECONDS = 1;

  private final long capacity;
  private final AtomicLong used = new AtomicLong();
  private final Counter refused;

  public BodyBudget(long capacityBytes, MeterRegistry metrics) {
    this.capacity = capacityBytes;
    Gauge.builder("sextant_http_body_bytes_in_flight", used, AtomicLong::get)
        .description("request-body bytes held in memory now, against the budget")
        .register(metrics);
    this.refused = Counter.builder("sextant_http_body_budget_refused")
        .description("requests refused because the request-body budget was spent").register(metrics);
  }

  public long capacity() {
    return capacity;
  }

  long used() {
    return used.get();
  }

  /**
   * Reads {@code req}'s whole body once its bytes fit the budget.
   *
   * @param maxBytes the most this endpoint takes; a larger body is {@link RequestTooLarge}
   * @return fails with {@link Overloaded} ({@code MEMORY_FULL}) when the budget is spent
   */
  CompletableFuture<AggregatedHttpRequest> aggregate(ServiceRequestContext ctx, HttpRequest req, long maxBytes) {
    AtomicLong held = new AtomicLong();
    ctx.log().whenComplete().thenRun(() -> used.addAndGet(-held.getAndSet(0)));
    long declared = req.headers().contentLength();
    if (declared > maxBytes) return refuse(new RequestTooLarge(Failures.bodyTooLarge(maxBytes)));
    if (declared >= 0) {
      if (!take(declared, held)) return refuse(overloaded());
      return req.aggregate();
    }
    return req.peekData(data -> {
      if (held.get() + data.length() > maxBytes) throw new RequestTooLarge(Failures.bodyTooLarge(maxBytes));
      if (!take(data.length(), held)) throw overloaded();
    }).aggregate();
  }

  private boolean take(long bytes, AtomicLong held) {
    while (true) {
      long now = used.get();
      if (now + bytes > capacity) return false;
      if (used.compareAndSet(now, now + bytes)) {
        held.addAndGet(bytes);
        return true;
      }
    }
  }

  private Overloaded overloaded() {
    refused.increment();
    return new Overloaded(Overloaded.Reason.MEMORY_FULL, RETRY_AFTER_SECONDS, "the server is reading as many request bodies as it holds in"
        + " memory at once; retry after " + RETRY_AFTER_SECONDS + " s", null);
  }

  /**
   * Refuses a request without reading its body. The request is not aborted here: every caller
   * answers the failure and then discards the request ({@link Bodies#discardAfterAnswer}). Aborting
   * it from this thread raced the HTTP/1.1 decoder, which checks on the event loop that a request is
   * open before writing the next piece of its body into it: the write then failed and the decoder
   * sent a second answer, a 500, on the connection.
   */
  private static CompletableFuture<AggregatedHttpRequest> refuse(RuntimeException why) {
    return CompletableFuture.failedFuture(why);
  }
}
