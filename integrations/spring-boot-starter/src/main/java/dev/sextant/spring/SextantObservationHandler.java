package dev.sextant.spring;

import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Spring AI's observations into Sextant runs and steps. A chat client call outside any run is
 * a run; inside one (an {@code @AgentRun} method, a run of the application) it is an {@code agent}
 * step. Advisors, chat model calls, tool calls, embedding calls and vector store operations become
 * {@code chain}, {@code llm}, {@code tool}, {@code embedding} and {@code retrieval}/{@code memory}
 * steps, nested as their observations are. Every callback is fail-open.
 */
final class SextantObservationHandler implements ObservationHandler<Observation.Context> {

  private final Sextant sextant;
  private final Map<String, StepKind> kinds;

  SextantObservationHandler(Sextant sextant, Map<String, StepKind> kinds) {
    this.sextant = sextant;
    this.kinds = kinds;
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return kinds.containsKey(context.getClass().getName());
  }

  @Override
  public void onStart(Observation.Context context) {
    try {
      StepKind kind = kinds.get(context.getClass().getName());
      Traced traced = start(kind, context);
      if (traced == null) {
        return;
      }
      context.put(Traced.class, traced);
      if (traced.step != null) {
        kind.started(context, traced.step);
        traced.step.input(kind.input(context));
      } else {
        traced.ownRun.input(kind.input(context));
      }
    } catch (RuntimeException e) {
      // never fail the application's call
    }
  }

  private Traced start(StepKind kind, Observation.Context context) {
    String type = kind.type(context);
    String name = kind.name(context);
    Traced parent = parentOf(context);
    if (parent != null) {
      Traced traced = new Traced(parent.child(type, name), null, parent);
      retryOfEarlierFailure(kind, traced, name);
      return traced;
    }
    Optional<Run> current = Sextant.current().run();
    if (current.isPresent()) {
      return new Traced(current.get().step(type, name), null, null);
    }
    if (!kind.startsRun()) {
      return null;
    }
    Run run = sextant.startRun(name);
    return kind.isRunItself() ? new Traced(null, run, null) : new Traced(run.step(type, name), run, null);
  }

  private static void retryOfEarlierFailure(StepKind kind, Traced traced, String name) {
    if (kind instanceof ModelKinds.ToolCall) {
      Step earlier = traced.root.failedAttempt(name);
      if (earlier != null) {
        traced.step.retryOf(earlier);
      }
    }
  }

  /** The nearest traced ancestor observation, or null. */
  static Traced parentOf(Observation.Context context) {
    ObservationView parent = context.getParentObservation();
    for (int hops = 0; parent != null && hops < 64; hops++) {
      Traced traced = parent.getContextView().get(Traced.class);
      if (traced != null) {
        return traced;
      }
      parent = parent.getContextView().getParentObservation();
    }
    return null;
  }

  @Override
  public void onError(Observation.Context context) {
    Traced traced = context.get(Traced.class);
    Throwable error = context.getError();
    if (traced == null || error == null) {
      return;
    }
    try {
      traced.error(ModelFailure.of(error), error);
    } catch (RuntimeException e) {
      // never fail the application's call
    }
  }

  @Override
  public void onStop(Observation.Context context) {
    Traced traced = (Traced) context.remove(Traced.class);
    if (traced == null) {
      return;
    }
    try {
      StepKind kind = kinds.get(context.getClass().getName());
      if (traced.step != null) {
        kind.stopped(context, traced.step);
        if (kind instanceof ModelKinds.ToolCall) {
          traced.root.toolEnded(kind.name(context), traced.step, traced.failed);
        }
      }
    } catch (RuntimeException e) {
      // never fail the application's call
    } finally {
      traced.end();
    }
  }

  /** Records that the tool of the observation {@code context} stands for threw {@code error}. */
  static void toolFailed(Observation.Context context, Throwable error) {
    Traced traced = context == null ? null : context.get(Traced.class);
    if (traced != null && traced.step != null) {
      traced.failed = true;
      traced.step.fail(error);
    }
  }
}
