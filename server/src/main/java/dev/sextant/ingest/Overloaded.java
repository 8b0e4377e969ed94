package dev.sextant.ingest;

/**
 * The request was not accepted and nothing of it was stored; the client should retry after
 * {@link #retryAfterSeconds()}. {@link #reason()} says why, which tells the transport what to
 * answer (the HTTP layer maps it to 429 or 503).
 */
public final class Overloaded extends RuntimeException {
  /** Why a request was refused whole. */
  public enum Reason {
    /** The ingest queue has no room for the request now; it will have soon. */
    QUEUE_FULL,
    /** The server holds as many request bodies in memory as it may; retry soon. */
    MEMORY_FULL,
    /** This node is stopping: retry against another node or later. */
    SHUTTING_DOWN,
    /** The store could not commit the request. */
    STORE_UNAVAILABLE,
    /** The store's disk (or size limit) is full: nothing is written until there is room again. */
    STORE_FULL
  }

  private final Reason reason;
  private final int retryAfterSeconds;

  public Overloaded(Reason reason, int retryAfterSeconds, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A request that came while the server stops taking them. */
  static Overloaded shuttingDown() {
    return new Overloaded(Reason.SHUTTING_DOWN, 5, "the server is shutting down; retry against another node or later", null);
  }

  public Reason reason() {
    return reason;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
