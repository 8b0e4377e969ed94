package dev.sextant.openai;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.ResponsesModel;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseUsage;
import dev.sextant.integrations.ModelCall;
import dev.sextant.sdk.Step;
import java.util.List;

/** What an OpenAI answer tells about the call: model, tokens, finish reason, tool calls, content. */
final class OpenAIRecords {

  private OpenAIRecords() {}

  static void chat(ModelCall call, ChatCompletion completion, boolean content) {
    Step step = call.step().model(completion.model());
    completion.usage().ifPresent(usage -> usage(step, usage));
    List<ChatCompletion.Choice> choices = completion.choices();
    if (!choices.isEmpty()) {
      step.metadata("finish_reason", choices.get(0).finishReason().asString());
      int index = 0;
      for (ChatCompletionMessageToolCall toolCall : choices.get(0).message().toolCalls().orElse(List.of())) {
        if (toolCall.isFunction()) {
          call.toolCall(index, toolCall.asFunction().function().name(), toolCall.asFunction().id());
        }
        index++;
      }
      if (index > 0) {
        step.metadata("tool_calls", index);
      }
      if (content) {
        step.output(json(choices.get(0).message()));
      }
    }
  }

  static void usage(Step step, CompletionUsage usage) {
    step.tokens(usage.promptTokens(), usage.completionTokens());
    usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).ifPresent(step::cacheReadTokens);
    usage.completionTokensDetails().flatMap(d -> d.reasoningTokens()).ifPresent(step::reasoningTokens);
  }

  static void response(ModelCall call, Response response, boolean content) {
    Step step = call.step().model(model(response.model()));
    response.usage().ifPresent(usage -> usage(step, usage));
    response.status().ifPresent(status -> step.metadata("response_status", status.asString()));
    response.incompleteDetails().flatMap(d -> d.reason())
        .ifPresent(reason -> step.metadata("finish_reason", reason.asString()));
    int calls = 0;
    for (ResponseOutputItem item : response.output()) {
      if (item.isFunctionCall()) {
        call.toolCall(calls++, item.asFunctionCall().name(), item.asFunctionCall().callId());
      }
    }
    if (calls > 0) {
      step.metadata("tool_calls", calls);
    }
    if (content) {
      step.output(json(response._output()));
    }
  }

  static String model(ResponsesModel model) {
    if (model.isString()) {
      return model.asString();
    }
    return model.isChat() ? model.asChat().asString() : model.asOnly().asString();
  }

  static void usage(Step step, ResponseUsage usage) {
    step.tokens(usage.inputTokens(), usage.outputTokens());
    step.cacheReadTokens(usage.inputTokensDetails().cachedTokens());
    step.reasoningTokens(usage.outputTokensDetails().reasoningTokens());
  }

  static void embeddings(ModelCall call, CreateEmbeddingResponse response) {
    call.step().model(response.model()).inputTokens(response.usage().promptTokens());
    call.step().metadata("embeddings", response.data().size());
  }

  /** A request or answer part as the provider's JSON, for content capture only. */
  static String json(Object value) {
    try {
      return ObjectMappers.jsonMapper().writeValueAsString(value);
    } catch (Exception e) {
      return String.valueOf(value);
    }
  }
}
