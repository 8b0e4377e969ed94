package dev.sextant.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import dev.sextant.integrations.ModelFailure;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each chat model call becomes an {@code llm} step: provider, requested then answered model, tokens
 * (cached and reasoning ones from the providers' usage classes, {@link TokenDetails}), time to first
 * token for a model wrapped by {@link TracedStreamingChatModel}, finish reason, the tool calls the model asked for as {@code tool_call_requested} events, errors
 * mapped by {@link ModelFailure}; messages and the answer as content, kept only when the SDK captures
 * content. The step is handed from request to response through LangChain4j's listener attributes, so
 * a streaming model that answers on another thread ends the right step.
 */
final class LlmListener implements ChatModelListener {

  private static final String PLACED = LlmListener.class.getName();

  private final Sextant sextant;

  LlmListener(Sextant sextant) {
    this.sextant = sextant;
  }

  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      ChatRequest request = context.chatRequest();
      Placed placed = Placed.start(sextant, null, "llm", "chat", "chat");
      Step step = placed.step();
      step.provider(provider(context.modelProvider()));
      if (request.modelName() != null) {
        step.model(request.modelName());
      }
      if (request.toolSpecifications() != null && !request.toolSpecifications().isEmpty()) {
        step.metadata("tools_offered", request.toolSpecifications().size());
      }
      step.metadata("messages", request.messages().size());
      step.input(Content.of(request.messages()));
      context.attributes().put(PLACED, placed);
      if (context.attributes().get(FirstToken.ATTRIBUTE) instanceof FirstToken first) {
        first.bind(step);
      }
    } catch (RuntimeException e) {
      // never fail the model call
    }
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    Placed placed = (Placed) context.attributes().remove(PLACED);
    if (placed == null) {
      return;
    }
    try {
      record(placed.step(), context.chatResponse());
    } finally {
      placed.end();
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    Placed placed = (Placed) context.attributes().remove(PLACED);
    if (placed == null) {
      return;
    }
    try {
      ModelFailure error = ModelFailure.of(context.error());
      if (error != null) {
        placed.error(error, context.error());
      } else {
        placed.fail(context.error());
      }
    } finally {
      placed.end();
    }
  }

  private static void record(Step step, ChatResponse response) {
    if (response == null) {
      return;
    }
    ChatResponseMetadata metadata = response.metadata();
    if (metadata != null) {
      if (metadata.modelName() != null) {
        step.model(metadata.modelName());
      }
      TokenUsage usage = metadata.tokenUsage();
      if (usage != null) {
        if (usage.inputTokenCount() != null) {
          step.inputTokens(usage.inputTokenCount());
        }
        if (usage.outputTokenCount() != null) {
          step.outputTokens(usage.outputTokenCount());
        }
        TokenDetails.record(step, usage);
      }
      if (metadata.finishReason() != null) {
        step.metadata("finish_reason", metadata.finishReason().name().toLowerCase(Locale.ROOT));
      }
    }
    AiMessage message = response.aiMessage();
    if (message != null) {
      List<ToolExecutionRequest> calls = message.toolExecutionRequests();
      if (calls != null) {
        for (ToolExecutionRequest call : calls) {
          step.emit("tool_call_requested", call.id() == null ? Map.of("tool", call.name())
              : Map.of("tool", call.name(), "tool_call_id", call.id()));
        }
      }
      step.output(Content.of(message));
    }
  }

  /** LangChain4j's provider enum as Sextant's provider names: {@code OPEN_AI} is {@code openai}. */
  static String provider(ModelProvider provider) {
    if (provider == null) {
      return "unknown";
    }
    return provider.name().toLowerCase(Locale.ROOT).replace("open_ai", "openai");
  }
}
