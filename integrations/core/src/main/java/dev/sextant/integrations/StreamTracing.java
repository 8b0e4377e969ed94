package dev.sextant.integrations;

import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Traces a blocking stream of chunks: each chunk goes to {@code onChunk} before the caller sees it;
 * the call ends when the stream is exhausted or closed, and fails when reading it throws. A caller
 * that stops early and closes the stream ends the call as it is, with {@code stream_completed=false}.
 */
public final class StreamTracing {

  private StreamTracing() {}

  /**
   * {@code source} traced as {@code call}. {@code onEnd} runs once before the call ends normally
   * (for totals only known at the end); {@code classify} maps a read error.
   */
  public static <T> Stream<T> trace(Stream<T> source, ModelCall call, Consumer<? super T> onChunk, Runnable onEnd,
      Function<Throwable, ProviderError> classify) {
    Spliterator<T> inner = source.spliterator();
    Spliterator<T> traced = new Spliterators.AbstractSpliterator<T>(Long.MAX_VALUE, inner.characteristics() & Spliterator.ORDERED) {
      @Override
      public boolean tryAdvance(Consumer<? super T> action) {
        boolean more;
        try {
          more = inner.tryAdvance(chunk -> {
            onChunk.accept(chunk);
            action.accept(chunk);
          });
        } catch (RuntimeException | Error e) {
          call.fail(classify.apply(e));
          throw e;
        }
        if (!more) {
          finish(call, onEnd, true);
        }
        return more;
      }
    };
    return StreamSupport.stream(traced, false).onClose(() -> {
      try {
        source.close();
      } finally {
        finish(call, onEnd, false);
      }
    });
  }

  /** Ends {@code call} after {@code onEnd}; {@code completed} false when the caller stopped early. */
  public static void finish(ModelCall call, Runnable onEnd, boolean completed) {
    if (call.isEnded()) {
      return;
    }
    if (!completed) {
      call.step().metadata("stream_completed", false);
    }
    try {
      onEnd.run();
    } finally {
      call.end();
    }
  }
}
