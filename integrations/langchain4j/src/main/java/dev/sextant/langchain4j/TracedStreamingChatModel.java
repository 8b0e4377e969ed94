package dev.sextant.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A streaming chat model that tells its {@code llm} step when the first partial answer arrived (time
 * to first token), which LangChain4j's listeners do not see. Everything else is the wrapped model's:
 * its listeners (which must include {@link SextantLangChain4j#chatModelListener()}), parameters and
 * provider. The handler is called exactly as before.
 */
final class TracedStreamingChatModel implements StreamingChatModel {

  private final StreamingChatModel model;

  TracedStreamingChatModel(StreamingChatModel model) {
    this.model = model;
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    chat(request, ChatRequestOptions.EMPTY, handler);
  }

  @Override
  public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    FirstToken first = new FirstToken();
    Map<Object, Object> attributes = new HashMap<>(options.listenerAttributes());
    attributes.put(FirstToken.ATTRIBUTE, first);
    model.chat(request, ChatRequestOptions.builder().listenerAttributes(attributes).build(), new Handler(handler, first));
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    model.doChat(request, handler);
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return model.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return model.listeners();
  }

  @Override
  public ModelProvider provider() {
    return model.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return model.supportedCapabilities();
  }

  /** The application's handler, with the first partial answer marked on the step first. */
  private record Handler(StreamingChatResponseHandler handler, FirstToken first) implements StreamingChatResponseHandler {

    @Override
    public void onPartialResponse(String partial) {
      first.mark();
      handler.onPartialResponse(partial);
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
      first.mark();
      handler.onPartialResponse(partial, context);
    }

    @Override
    public void onPartialThinking(PartialThinking thinking) {
      first.mark();
      handler.onPartialThinking(thinking);
    }

    @Override
    public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
      first.mark();
      handler.onPartialThinking(thinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall call) {
      first.mark();
      handler.onPartialToolCall(call);
    }

    @Override
    public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
      first.mark();
      handler.onPartialToolCall(call, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall call) {
      handler.onCompleteToolCall(call);
    }

    @Override
    public void onUnmappedRawEvent(Object event) {
      handler.onUnmappedRawEvent(event);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      handler.onCompleteResponse(response);
    }

    @Override
    public void onError(Throwable error) {
      handler.onError(error);
    }
  }
}
