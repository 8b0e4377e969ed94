package dev.sextant.model;

import java.util.Objects;

/**
 * One decoded record with the reference by which its protocol names it back to the client.
 *
 * @param record the canonical record
 * @param ref what the protocol reports a problem of this record under (a {@link Position}, a run id, …)
 */
public record Item<T, R>(T record, R ref) {
  public Item {
    Objects.requireNonNull(record, "record");
  }
}
