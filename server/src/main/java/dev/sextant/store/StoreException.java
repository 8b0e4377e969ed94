package dev.sextant.store;

/** The store could not do what was asked: unreachable, full, or a constraint failed. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
