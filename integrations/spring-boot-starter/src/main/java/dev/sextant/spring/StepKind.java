package dev.sextant.spring;

import dev.sextant.sdk.Step;
import io.micrometer.observation.Observation;

/** How one kind of Spring AI observation context becomes a step. */
interface StepKind {

  String type(Observation.Context context);

  String name(Observation.Context context);

  /** True when an observation of this kind outside any run starts a run of its own; else it is not traced. */
  default boolean startsRun() {
    return false;
  }

  /** True when, outside any run, the call itself is the run (no step of its own). */
  default boolean isRunItself() {
    return false;
  }

  /** Copies what is known when the observation starts. */
  default void started(Observation.Context context, Step step) {}

  /** Copies what is known when the observation stops: response, usage, results. */
  default void stopped(Observation.Context context, Step step) {}

  /** The input to capture as content, or null. */
  default Object input(Observation.Context context) {
    return null;
  }
}
