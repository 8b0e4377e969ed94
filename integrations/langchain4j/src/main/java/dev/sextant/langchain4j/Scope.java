package dev.sextant.langchain4j;

import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Step;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One AI Service call as Sextant sees it: a run of its own, or a step of the run that was current
 * when the call started. Tool and retrieval steps of the call nest under it on any thread.
 */
final class Scope {

  private final Run run;
  private final Step step;
  /** The last failed attempt of each tool in this call, so the next call of it is its retry. */
  private final Map<String, Step> failedTools = new ConcurrentHashMap<>();
  /** Tool steps started and not yet ended, by the request LangChain4j executes. */
  final Map<Object, ToolHooks.Open> openTools = new ConcurrentHashMap<>();

  private Scope(Run run, Step step) {
    this.run = run;
    this.step = step;
  }

  static Scope ofRun(Run run) {
    return new Scope(run, null);
  }

  static Scope ofStep(Step step) {
    return new Scope(null, step);
  }

  Step child(String type, String name) {
    return step != null ? step.child(type, name) : run.step(type, name);
  }

  /** The failed earlier attempt of {@code tool} in this call, or null. */
  Step failedAttempt(String tool) {
    return failedTools.get(tool);
  }

  void toolEnded(String tool, Step attempt, boolean failed) {
    if (failed) {
      failedTools.put(tool, attempt);
    } else {
      failedTools.remove(tool);
    }
  }

  void output(Object result) {
    if (step != null) {
      step.output(result);
    } else {
      run.output(result);
    }
  }

  void input(Object input) {
    if (step != null) {
      step.input(input);
    } else {
      run.input(input);
    }
  }

  /** Records why the call failed: on its step, or as its run's failure. */
  void fail(ModelFailure error, Throwable cause) {
    if (step != null) {
      if (error != null) {
        step.error(error.type(), error.code(), error.message());
      } else {
        step.fail(cause);
      }
    } else if (error != null) {
      run.recordFailure(error.type(), error.code(), error.message());
    } else {
      run.fail(cause);
    }
  }

  void end() {
    if (step != null) {
      step.close();
    } else {
      run.close();
    }
  }
}
