package dev.sextant.spring;

import dev.sextant.sdk.Step;
import io.micrometer.observation.Observation;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/** The observations of {@code spring-ai-model}: chat model calls, embedding calls, tool calls. */
final class ModelKinds {

  private ModelKinds() {}

  static Map<String, StepKind> all() {
    return Map.of(
        ChatModelObservationContext.class.getName(), new ChatModel(),
        EmbeddingModelObservationContext.class.getName(), new Embedding(),
        ToolCallingObservationContext.class.getName(), new ToolCall());
  }

  /** A chat model call: an {@code llm} step with provider, model, tokens (cached included), finish reason, requested tool calls. */
  static final class ChatModel implements StepKind {

    @Override
    public String type(Observation.Context context) {
      return "llm";
    }

    @Override
    public String name(Observation.Context context) {
      return "chat";
    }

    @Override
    public boolean startsRun() {
      return true;
    }

    @Override
    public void started(Observation.Context context, Step step) {
      ChatModelObservationContext c = (ChatModelObservationContext) context;
      step.provider(c.getOperationMetadata().provider());
      if (c.getRequest().getOptions() != null && c.getRequest().getOptions().getModel() != null) {
        step.model(c.getRequest().getOptions().getModel());
      }
      step.metadata("messages", c.getRequest().getInstructions().size());
    }

    @Override
    public Object input(Observation.Context context) {
      return Content.of(((ChatModelObservationContext) context).getRequest().getInstructions());
    }

    @Override
    public void stopped(Observation.Context context, Step step) {
      ChatResponse response = ((ChatModelObservationContext) context).getResponse();
      if (response == null) {
        return;
      }
      ChatResponseMetadata metadata = response.getMetadata();
      if (metadata.getModel() != null && !metadata.getModel().isEmpty()) {
        step.model(metadata.getModel());
      }
      Usage usage = metadata.getUsage();
      if (usage != null) {
        if (usage.getPromptTokens() != null) {
          step.inputTokens(usage.getPromptTokens());
        }
        if (usage.getCompletionTokens() != null) {
          step.outputTokens(usage.getCompletionTokens());
        }
        if (usage.getCacheReadInputTokens() != null) {
          step.cacheReadTokens(usage.getCacheReadInputTokens());
        }
      }
      Generation result = response.getResult();
      if (result == null) {
        return;
      }
      String finish = result.getMetadata().getFinishReason();
      if (finish != null && !finish.isEmpty()) {
        step.metadata("finish_reason", finish.toLowerCase(Locale.ROOT));
      }
      List<AssistantMessage.ToolCall> calls = result.getOutput().getToolCalls();
      for (AssistantMessage.ToolCall call : calls) {
        step.emit("tool_call_requested", call.id() == null ? Map.of("tool", call.name())
            : Map.of("tool", call.name(), "tool_call_id", call.id()));
      }
      step.output(Content.of(result.getOutput().getText()));
    }
  }

  /** An embedding call: an {@code embedding} step with model and input tokens; traced only inside a run. */
  static final class Embedding implements StepKind {

    @Override
    public String type(Observation.Context context) {
      return "embedding";
    }

    @Override
    public String name(Observation.Context context) {
      return "embed";
    }

    @Override
    public void started(Observation.Context context, Step step) {
      EmbeddingModelObservationContext c = (EmbeddingModelObservationContext) context;
      step.provider(c.getOperationMetadata().provider());
      if (c.getRequest().getOptions() != null && c.getRequest().getOptions().getModel() != null) {
        step.model(c.getRequest().getOptions().getModel());
      }
      step.metadata("inputs", c.getRequest().getInstructions().size());
    }

    @Override
    public void stopped(Observation.Context context, Step step) {
      EmbeddingResponse response = ((EmbeddingModelObservationContext) context).getResponse();
      if (response == null) {
        return;
      }
      if (response.getMetadata().getModel() != null && !response.getMetadata().getModel().isEmpty()) {
        step.model(response.getMetadata().getModel());
      }
      Usage usage = response.getMetadata().getUsage();
      if (usage != null && usage.getPromptTokens() != null) {
        step.inputTokens(usage.getPromptTokens());
      }
    }
  }

  /** A tool call: a {@code tool} step named after the tool, with the model's tool call id. */
  static final class ToolCall implements StepKind {

    @Override
    public String type(Observation.Context context) {
      return "tool";
    }

    @Override
    public String name(Observation.Context context) {
      return ((ToolCallingObservationContext) context).getToolDefinition().name();
    }

    @Override
    public void started(Observation.Context context, Step step) {
      String id = ((ToolCallingObservationContext) context).getToolCallId();
      if (id != null && !id.isEmpty()) {
        step.metadata("tool_call_id", id);
      }
    }

    @Override
    public Object input(Observation.Context context) {
      return Content.of(((ToolCallingObservationContext) context).getToolCallArguments());
    }

    @Override
    public void stopped(Observation.Context context, Step step) {
      step.output(Content.of(((ToolCallingObservationContext) context).getToolCallResult()));
    }
  }
}
