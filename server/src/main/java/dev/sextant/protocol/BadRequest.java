package dev.sextant.protocol;

/** The request as a whole cannot be read (not JSON, wrong shape): answered with 400. */
public final class BadRequest extends RuntimeException {
  private final String code;

  public BadRequest(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
