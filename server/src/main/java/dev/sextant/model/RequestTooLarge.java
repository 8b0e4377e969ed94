package dev.sextant.model;

/** The request breaks a size limit as a whole (body bytes, items per request): answered with 413. */
public final class RequestTooLarge extends RuntimeException {
  public RequestTooLarge(String message) {
    super(message, null, false, false);
  }
}
