package dev.sextant.sdk;

import java.util.Optional;

/**
 * The run and step current on the calling thread, as returned by {@link Sextant#current()}; for
 * example to put run and step ids into log lines.
 */
public final class Current {

  static final Current NONE = new Current(null, null);

  private final Run run;
  private final Step step;

  Current(Run run, Step step) {
    this.run = run;
    this.step = step;
  }

  public Optional<Run> run() {
    return Optional.ofNullable(run);
  }

  public Optional<Step> step() {
    return Optional.ofNullable(step);
  }

  /** The current run's id, or {@code null}. */
  public String runId() {
    return run == null ? null : run.id();
  }

  /** The current step's id, or {@code null}. */
  public String stepId() {
    return step == null ? null : step.id();
  }

  @Override
  public String toString() {
    return "Current{run=" + runId() + ", step=" + stepId() + "}";
  }
}
