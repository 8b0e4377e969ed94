package dev.sextant.langchain4j;

import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import java.util.Optional;

/**
 * A step the integration started, and the run it started for it when there was none to join. A
 * LangChain4j callback outside any AI Service call and outside any run of the application (a chat
 * model or retriever used on its own) still becomes a run: one run holding that one step.
 */
record Placed(Step step, Run ownRun) {

  /**
   * Starts a step under {@code scope} (the AI Service call it belongs to) when known, else under the
   * calling thread's current step or run, else in a new run named {@code runName}.
   */
  static Placed start(Sextant sextant, Scope scope, String type, String name, String runName) {
    if (scope != null) {
      return new Placed(scope.child(type, name), null);
    }
    Optional<Run> current = Sextant.current().run();
    if (current.isPresent()) {
      return new Placed(current.get().step(type, name), null);
    }
    Run run = sextant.startRun(runName);
    return new Placed(run.step(type, name), run);
  }

  /**
   * Records a classified error on the step, and as the failure of its own run if it has one. The
   * step is given the exception first, so that a run of the application ending with that exception
   * ({@code Run.fail}) points at this step and takes its type and code.
   */
  void error(ModelFailure error, Throwable cause) {
    step.fail(cause);
    step.error(error.type(), error.code(), error.message());
    if (ownRun != null) {
      ownRun.recordFailure(error.type(), error.code(), error.message(), step);
    }
  }

  /** Records an exception the framework did not classify on the step, and on its own run if it has one. */
  void fail(Throwable error) {
    step.fail(error);
    if (ownRun != null) {
      ownRun.fail(error);
    }
  }

  /** Ends the step, then its own run. */
  void end() {
    step.close();
    if (ownRun != null) {
      ownRun.close();
    }
  }
}
