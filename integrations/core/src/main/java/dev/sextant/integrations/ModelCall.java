package dev.sextant.integrations;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import dev.sextant.sdk.StepStatus;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model call (chat, messages, responses, embeddings) as a Sextant step. The step joins the run
 * current on the calling thread; with none, the call becomes a run of its own, named after the
 * operation, so a bare client call is still traced. Ends exactly once, from any thread.
 */
public final class ModelCall {

  private final Run ownRun;
  private final Step step;
  private final AtomicBoolean ended = new AtomicBoolean();
  private int chunks;

  private ModelCall(Run ownRun, Step step) {
    this.ownRun = ownRun;
    this.step = step;
  }

  /**
   * Starts the step {@code name} of type {@code type} ({@code llm} or {@code embedding}) for
   * {@code provider}, under the current run or in a new run of {@code sextant}.
   */
  public static ModelCall start(Sextant sextant, String type, String name, String provider) {
    Run run = Sextant.current().run().orElse(null);
    Run own = null;
    if (run == null) {
      own = sextant.startRun(name);
      run = own;
    }
    return new ModelCall(own, run.step(type, name).provider(provider));
  }

  /**
   * Calls {@code method} on the provider client {@code target} as this call: detached first when
   * {@code async}; a throw fails the call (mapped by {@code classify}) and is rethrown unchanged. The
   * caller records the result.
   */
  public Object invoke(Object target, java.lang.reflect.Method method, Object[] args, boolean async,
      java.util.function.Function<Throwable, ProviderError> classify) throws Throwable {
    if (async) {
      detach();
    }
    try {
      return ClientProxy.callTarget(target, method, args);
    } catch (Throwable t) {
      fail(classify.apply(t));
      throw t;
    }
  }

  /**
   * The future the caller gets for an async call: it completes after {@code record} (given the
   * answer) ran and the call ended, or after the call failed with the mapped error, so a caller that
   * waits for it finds the step finished.
   */
  public <T> java.util.concurrent.CompletableFuture<T> completion(java.util.concurrent.CompletableFuture<T> future,
      java.util.function.Consumer<? super T> record, java.util.function.Function<Throwable, ProviderError> classify) {
    return future.whenComplete((value, error) -> {
      if (error != null) {
        fail(classify.apply(error));
        return;
      }
      try {
        safely(() -> record.accept(value));
      } finally {
        end();
      }
    });
  }

  /**
   * Runs {@code recording} (reading the answer into the step) so that nothing it throws reaches the
   * application: a client library version whose answers look different loses detail, never calls.
   */
  public static void safely(Runnable recording) {
    try {
      recording.run();
    } catch (RuntimeException | LinkageError e) {
      java.util.logging.Logger.getLogger("dev.sextant.integrations")
          .log(java.util.logging.Level.FINE, "Sextant: could not read a model answer; the call is traced without it", e);
    }
  }

  /** The step, for model, tokens, metadata and content. */
  public Step step() {
    return step;
  }

  /**
   * For a call that ends on another thread: the step (and its own run) stop being current on the
   * calling thread, so the caller's next steps do not nest under an unfinished call.
   */
  public ModelCall detach() {
    step.detach();
    if (ownRun != null) {
      ownRun.detach();
    }
    return this;
  }

  /** One stream chunk: the first marks the time to first token; each is a {@code chunk} event. */
  public void chunk() {
    int index;
    synchronized (this) {
      index = chunks++;
    }
    step.emit("chunk", Map.of("index", index));
  }

  /** Chunks seen so far. */
  public synchronized int chunks() {
    return chunks;
  }

  /** A tool call the model asked for: an event, and its name as {@code tool_call_<n>} metadata. */
  public void toolCall(int index, String name, String id) {
    if (name == null) {
      return;
    }
    step.metadata("tool_call_" + index, name);
    step.emit("tool_call", id == null ? Map.of("index", index, "name", name) : Map.of("index", index, "name", name, "id", id));
  }

  /** True once the call ended. */
  public boolean isEnded() {
    return ended.get();
  }

  /** Ends the call successfully. Later calls to {@link #end} or {@link #fail} do nothing. */
  public void end() {
    if (ended.compareAndSet(false, true)) {
      step.close();
      if (ownRun != null) {
        ownRun.close();
      }
    }
  }

  /** Ends the call with {@code error}; the call's own run, if any, fails with it. */
  public void fail(ProviderError error) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (error.httpStatus() > 0) {
      step.metadata("http_status", error.httpStatus());
    }
    if (error.providerCode() != null) {
      step.metadata("provider_error", error.providerCode());
    }
    step.error(ProviderError.TYPE, error.code(), error.message());
    if (error.code().equals("timeout")) {
      step.status(StepStatus.TIMEOUT);
    } else if (error.code().equals("cancelled")) {
      step.status(StepStatus.CANCELLED);
    }
    if (ownRun != null) {
      ownRun.recordFailure(ProviderError.TYPE, error.code(), error.message(), step);
    }
    step.close();
    if (ownRun != null) {
      ownRun.close();
    }
  }
}
