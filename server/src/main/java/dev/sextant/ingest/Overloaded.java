package dev.sextant.ingest;

/**
 * The request was not accepted and nothing of it was stored; the client should retry after
 * {@link #retryAfterSeconds()}. {@code status} is 429 when the queue is full, 503 when the store
 * is unavailable.
 */
public final class Overloaded extends RuntimeException {
  private final int status;
  private final int retryAfterSeconds;

  public Overloaded(int status, int retryAfterSeconds, String message, Throwable cause) {
    super(message, cause, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
