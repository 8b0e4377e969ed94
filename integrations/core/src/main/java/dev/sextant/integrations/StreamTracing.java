package dev.sextant.integrations;

import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One streamed model call: each chunk goes to {@code onChunk} before the caller sees it; the call
 * ends when the stream is exhausted or completes, fails when reading it throws or it completes with
 * an error, and ends as it is, with {@code stream_completed=false}, when the caller closes it early.
 * {@code onEnd} runs once before the call ends normally (for totals known only at the end). The
 * provider adapters forward their client library's stream types to {@link #stream}, {@link #next},
 * {@link #complete} and {@link #closed}.
 */
public final class StreamTracing<T> {

  private final ModelCall call;
  private final Consumer<? super T> onChunk;
  private final Runnable onEnd;
  private final Function<Throwable, ProviderError> classify;

  public StreamTracing(ModelCall call, Consumer<? super T> onChunk, Runnable onEnd,
      Function<Throwable, ProviderError> classify) {
    this.call = call;
    this.onChunk = onChunk;
    this.onEnd = onEnd;
    this.classify = classify;
  }

  /** A blocking stream of chunks, traced. */
  public Stream<T> stream(Stream<T> source) {
    Spliterator<T> inner = source.spliterator();
    Spliterator<T> traced = new Spliterators.AbstractSpliterator<T>(Long.MAX_VALUE, inner.characteristics() & Spliterator.ORDERED) {
      @Override
      public boolean tryAdvance(Consumer<? super T> action) {
        boolean more;
        try {
          more = inner.tryAdvance(chunk -> {
            ModelCall.safely(() -> onChunk.accept(chunk));
            action.accept(chunk);
          });
        } catch (RuntimeException | Error e) {
          call.fail(classify.apply(e));
          throw e;
        }
        if (!more) {
          finish(true);
        }
        return more;
      }
    };
    return StreamSupport.stream(traced, false).onClose(() -> {
      try {
        source.close();
      } finally {
        finish(false);
      }
    });
  }

  /** A chunk an asynchronous stream delivered. */
  public void next(T chunk) {
    ModelCall.safely(() -> onChunk.accept(chunk));
  }

  /** An asynchronous stream completed, with an error or without. */
  public void complete(Optional<Throwable> error) {
    if (error.isPresent()) {
      call.fail(classify.apply(error.get()));
    } else {
      finish(true);
    }
  }

  /** The caller closed the stream; ends the call unless it ended already. */
  public void closed() {
    finish(false);
  }

  private void finish(boolean completed) {
    if (call.isEnded()) {
      return;
    }
    if (!completed) {
      call.step().metadata("stream_completed", false);
    }
    try {
      ModelCall.safely(onEnd);
    } finally {
      call.end();
    }
  }
}
