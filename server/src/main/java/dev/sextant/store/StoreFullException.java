package dev.sextant.store;

/** The store has no room for a write: its disk (or its size limit) is full. Nothing of the write was stored. */
public class StoreFullException extends StoreException {
  public StoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
