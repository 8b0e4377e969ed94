package dev.sextant.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.ClientProxy;
import dev.sextant.integrations.ModelCall;
import dev.sextant.integrations.ProviderError;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Step;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Which Anthropic client methods are traced, and the tracing of one call. */
final class AnthropicInterceptor implements ClientProxy.Interceptor {

  static final String PROVIDER = "anthropic";
  static final String STEP = "anthropic.messages";

  private final Sextant sextant;

  AnthropicInterceptor(Sextant sextant) {
    this.sextant = sextant;
  }

  @Override
  public ClientProxy.Kind kind(Method method) {
    if (ClientProxy.isCreate(method, MessageCreateParams.class)) {
      return ClientProxy.Kind.TRACE;
    }
    return ClientProxy.serviceKind(method, "com.anthropic.client.", "com.anthropic.services.");
  }

  @Override
  public Object call(Object target, Method method, Object[] args) throws Throwable {
    MessageCreateParams params = (MessageCreateParams) args[0];
    boolean async = ClientProxy.isAsync(method);
    boolean content = sextant.capturesContent();
    ModelCall call = ModelCall.start(sextant, "llm", STEP, PROVIDER);
    ModelCall.safely(() -> {
      call.step().model(params.model().asString());
      if (content) {
        call.step().input(json(params._messages()));
      }
    });
    Object result = call.invoke(target, method, args, async, AnthropicInterceptor::error);
    if (method.getName().equals("createStreaming")) {
      AnthropicStreams.Recorder recorder = new AnthropicStreams.Recorder(call, content);
      return AnthropicStreams.trace(result, async, recorder);
    }
    if (async) {
      return call.completion(AnthropicInterceptor.<CompletableFuture<Message>>cast(result), m -> record(call, m, content),
          AnthropicInterceptor::error);
    }
    try {
      ModelCall.safely(() -> record(call, (Message) result, content));
    } finally {
      call.end();
    }
    return result;
  }

  static void record(ModelCall call, Message message, boolean content) {
    Step step = call.step().model(message.model().asString());
    usage(step, message.usage());
    message.stopReason().ifPresent(reason -> step.metadata("finish_reason", reason.asString()));
    int calls = 0;
    for (ContentBlock block : message.content()) {
      if (block.isToolUse()) {
        call.toolCall(calls++, block.asToolUse().name(), block.asToolUse().id());
      }
    }
    if (calls > 0) {
      step.metadata("tool_calls", calls);
    }
    if (content) {
      step.output(json(message._content()));
    }
  }

  static void usage(Step step, Usage usage) {
    // Anthropic counts cached input apart from input_tokens; Sextant's input tokens include it
    long cacheRead = usage.cacheReadInputTokens().orElse(0L);
    long cacheWrite = usage.cacheCreationInputTokens().orElse(0L);
    step.tokens(usage.inputTokens() + cacheRead + cacheWrite, usage.outputTokens());
    usage.cacheReadInputTokens().ifPresent(step::cacheReadTokens);
    usage.outputTokensDetails().ifPresent(d -> step.reasoningTokens(d.thinkingTokens()));
  }

  /** Maps what the Anthropic client threw to the failure taxonomy. */
  static ProviderError error(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof AnthropicServiceException service) {
      String type = null;
      String message = service.getMessage();
      try {
        JsonNode body = ObjectMappers.jsonMapper().valueToTree(service.body());
        type = body.path("error").path("type").asText(null);
        message = body.path("error").path("message").asText(message);
      } catch (RuntimeException ignored) {
        // a body that is not the documented error object: the status alone decides
      }
      return ProviderError.of(service.statusCode(), type, message, false, t);
    }
    return ProviderError.of(0, null, t.getMessage(), t instanceof AnthropicInvalidDataException, t);
  }

  static String json(Object value) {
    try {
      return ObjectMappers.jsonMapper().writeValueAsString(value);
    } catch (Exception e) {
      return String.valueOf(value);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }
}
