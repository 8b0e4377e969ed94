package dev.sextant.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
    model.chat(request, ChatRequestOptions.builder().listenerAttributes(attributes).build(), traced(handler, first));
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

  /**
   * The application's handler, with the first partial answer (any {@code onPartial…} callback:
   * text, thinking, a tool call) marked on the step first; every callback reaches the handler as it
   * was made.
   */
  private static StreamingChatResponseHandler traced(StreamingChatResponseHandler handler, FirstToken first) {
    return (StreamingChatResponseHandler) Proxy.newProxyInstance(StreamingChatResponseHandler.class.getClassLoader(),
        new Class<?>[] {StreamingChatResponseHandler.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? proxy == args[0]
                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "Traced(" + handler + ")";
          }
          if (method.getName().startsWith("onPartial")) {
            first.mark();
          }
          try {
            return method.invoke(handler, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
