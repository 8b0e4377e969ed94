package dev.sextant.openai;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sextant.integrations.ModelCall;
import dev.sextant.integrations.ProviderError;
import dev.sextant.integrations.StreamProxy;
import dev.sextant.integrations.StreamTracing;
import java.util.Optional;

/** Streamed answers: chunks become events, the totals the stream ends with become the step's. */
final class OpenAIStreams {

  private OpenAIStreams() {}

  /** Accumulates what one stream says; {@link #end} runs once, before the call ends. */
  abstract static class Recorder<T> {
    final ModelCall call;
    final boolean content;
    final StringBuilder text;

    Recorder(ModelCall call, boolean content) {
      this.call = call;
      this.content = content;
      this.text = content ? new StringBuilder() : null;
    }

    abstract void chunk(T chunk);

    /** An error the stream itself reported, or {@code null}. */
    ProviderError streamError() {
      return null;
    }

    void end() {
      call.step().metadata("stream_chunks", call.chunks());
      if (content) {
        call.step().output(text.toString());
      }
    }
  }

  static final class ChatRecorder extends Recorder<ChatCompletionChunk> {
    private int toolCalls;

    ChatRecorder(ModelCall call, boolean content) {
      super(call, content);
    }

    @Override
    void chunk(ChatCompletionChunk chunk) {
      call.chunk();
      call.step().model(chunk.model());
      chunk.usage().ifPresent(usage -> OpenAIRecords.usage(call.step(), usage));
      for (ChatCompletionChunk.Choice choice : chunk.choices()) {
        if (choice.index() != 0) {
          continue;
        }
        choice.finishReason().ifPresent(reason -> call.step().metadata("finish_reason", reason.asString()));
        ChatCompletionChunk.Choice.Delta delta = choice.delta();
        for (ChatCompletionChunk.Choice.Delta.ToolCall toolCall : delta.toolCalls().orElse(java.util.List.of())) {
          // the first delta of a tool call names it; later ones carry argument fragments
          Optional<String> name = toolCall.function().flatMap(f -> f.name());
          if (name.isPresent()) {
            call.toolCall((int) toolCall.index(), name.get(), toolCall.id().orElse(null));
            toolCalls++;
          }
        }
        if (content) {
          delta.content().ifPresent(text::append);
        }
      }
    }

    @Override
    void end() {
      if (toolCalls > 0) {
        call.step().metadata("tool_calls", toolCalls);
      }
      super.end();
    }
  }

  static final class ResponseRecorder extends Recorder<ResponseStreamEvent> {
    private ProviderError error;

    ResponseRecorder(ModelCall call, boolean content) {
      super(call, content);
    }

    @Override
    void chunk(ResponseStreamEvent event) {
      if (event.isOutputTextDelta()) {
        call.chunk();
        if (content) {
          text.append(event.asOutputTextDelta().delta());
        }
      } else if (event.isCompleted()) {
        OpenAIRecords.response(call, event.asCompleted().response(), false);
      } else if (event.isIncomplete()) {
        OpenAIRecords.response(call, event.asIncomplete().response(), false);
      } else if (event.isFailed()) {
        OpenAIRecords.response(call, event.asFailed().response(), false);
        error = event.asFailed().response().error()
            .map(e -> ProviderError.of(0, e.code().asString(), e.message(), false, null))
            .orElse(ProviderError.of(0, "failed", "the response failed", false, null));
      } else if (event.isError()) {
        error = ProviderError.of(0, event.asError().code().orElse(null), event.asError().message(), false, null);
      }
    }

    @Override
    ProviderError streamError() {
      return error;
    }
  }

  /** The client's stream response ({@code async}: an {@code AsyncStreamResponse}), traced by {@code recorder}. */
  static Object trace(Object response, boolean async, Recorder<?> recorder) {
    return async ? StreamProxy.wrap(AsyncStreamResponse.class, (AsyncStreamResponse<?>) response, tracing(recorder))
        : StreamProxy.wrap(StreamResponse.class, (StreamResponse<?>) response, tracing(recorder));
  }

  @SuppressWarnings("unchecked")
  private static <T> StreamTracing<T> tracing(Recorder<?> recorder) {
    Recorder<T> r = (Recorder<T>) recorder;
    return new StreamTracing<>(r.call, r::chunk, () -> end(r), OpenAIInterceptor::error);
  }

  /** The stream's end: an error it reported fails the call; otherwise its totals are recorded. */
  private static void end(Recorder<?> recorder) {
    recorder.end();
    ProviderError error = recorder.streamError();
    if (error != null) {
      recorder.call.fail(error);
    }
  }
}
