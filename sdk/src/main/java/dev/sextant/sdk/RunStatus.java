package dev.sextant.sdk;

import java.util.Locale;

/** Status of a run, as sent on the wire in lower case. */
public enum RunStatus {
  /** The run finished and reached its goal. */
  SUCCESS,
  /** The run failed; a {@link Failure} says why. */
  FAILURE,
  /** The run finished, but some steps failed without being recovered by a retry. */
  PARTIAL,
  /** The run has not ended yet. */
  RUNNING;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The wire form: {@code success}, {@code failure}, {@code partial} or {@code running}. */
  public String wireName() {
    return wire;
  }
}
