package dev.sextant.anthropic;

import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.RawContentBlockStartEvent;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.sextant.integrations.ModelCall;
import dev.sextant.integrations.StreamProxy;
import dev.sextant.integrations.StreamTracing;

/**
 * Streamed messages: {@code message_start} names the model and the input tokens, each content delta
 * is a chunk, {@code content_block_start} of a {@code tool_use} block names a tool call, and {@code
 * message_delta} carries the stop reason and the output tokens.
 */
final class AnthropicStreams {

  private AnthropicStreams() {}

  static final class Recorder {
    final ModelCall call;
    private final StringBuilder text;
    private int toolCalls;

    Recorder(ModelCall call, boolean content) {
      this.call = call;
      this.text = content ? new StringBuilder() : null;
    }

    void event(RawMessageStreamEvent event) {
      if (event.isContentBlockDelta()) {
        call.chunk();
        if (text != null && event.asContentBlockDelta().delta().isText()) {
          text.append(event.asContentBlockDelta().delta().asText().text());
        }
      } else if (event.isMessageStart()) {
        call.step().model(event.asMessageStart().message().model().asString());
        AnthropicInterceptor.usage(call.step(), event.asMessageStart().message().usage());
      } else if (event.isContentBlockStart()) {
        RawContentBlockStartEvent.ContentBlock block = event.asContentBlockStart().contentBlock();
        if (block.isToolUse()) {
          call.toolCall(toolCalls++, block.asToolUse().name(), block.asToolUse().id());
        }
      } else if (event.isMessageDelta()) {
        RawMessageDeltaEvent delta = event.asMessageDelta();
        delta.delta().stopReason().ifPresent(reason -> call.step().metadata("finish_reason", reason.asString()));
        call.step().outputTokens(delta.usage().outputTokens());
        delta.usage().outputTokensDetails().ifPresent(d -> call.step().reasoningTokens(d.thinkingTokens()));
      }
    }

    StreamTracing<RawMessageStreamEvent> tracing() {
      return new StreamTracing<>(call, this::event, this::end, AnthropicInterceptor::error);
    }

    void end() {
      call.step().metadata("stream_chunks", call.chunks());
      if (toolCalls > 0) {
        call.step().metadata("tool_calls", toolCalls);
      }
      if (text != null) {
        call.step().output(text.toString());
      }
    }
  }

  /** The client's stream response ({@code async}: an {@code AsyncStreamResponse}), traced by {@code recorder}. */
  static Object trace(Object response, boolean async, Recorder recorder) {
    return async ? StreamProxy.wrap(AsyncStreamResponse.class, (AsyncStreamResponse<?>) response, recorder.tracing())
        : StreamProxy.wrap(StreamResponse.class, (StreamResponse<?>) response, recorder.tracing());
  }
}
