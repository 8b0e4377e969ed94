package dev.sextant.openai;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.sextant.integrations.ClientProxy;
import dev.sextant.integrations.ModelCall;
import dev.sextant.integrations.ProviderError;
import dev.sextant.sdk.Sextant;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/** Which OpenAI client methods are traced, and the tracing of one call. */
final class OpenAIInterceptor implements ClientProxy.Interceptor {

  static final String PROVIDER = "openai";

  private final Sextant sextant;

  OpenAIInterceptor(Sextant sextant) {
    this.sextant = sextant;
  }

  @Override
  public ClientProxy.Kind kind(Method method) {
    if (ClientProxy.isCreate(method, ChatCompletionCreateParams.class, ResponseCreateParams.class,
        EmbeddingCreateParams.class)) {
      return ClientProxy.Kind.TRACE;
    }
    return ClientProxy.serviceKind(method, "com.openai.client.", "com.openai.services.");
  }

  @Override
  public Object call(Object target, Method method, Object[] args) throws Throwable {
    Object params = args[0];
    boolean async = ClientProxy.isAsync(method);
    ModelCall call = start(params);
    Object result = call.invoke(target, method, args, async, OpenAIInterceptor::error);
    if (method.getName().equals("createStreaming")) {
      OpenAIStreams.Recorder<?> recorder = params instanceof ChatCompletionCreateParams
          ? new OpenAIStreams.ChatRecorder(call, sextant.capturesContent())
          : new OpenAIStreams.ResponseRecorder(call, sextant.capturesContent());
      return OpenAIStreams.trace(result, async, recorder);
    }
    if (async) {
      return call.completion((CompletableFuture<?>) result, value -> record(call, value), OpenAIInterceptor::error);
    }
    try {
      ModelCall.safely(() -> record(call, result));
    } finally {
      call.end();
    }
    return result;
  }

  private ModelCall start(Object params) {
    ModelCall call = params instanceof EmbeddingCreateParams
        ? ModelCall.start(sextant, "embedding", "openai.embeddings", PROVIDER)
        : ModelCall.start(sextant, "llm", params instanceof ChatCompletionCreateParams ? "openai.chat" : "openai.responses",
            PROVIDER);
    ModelCall.safely(() -> request(call, params, sextant.capturesContent()));
    return call;
  }

  /** The requested model (until the answer names its own) and, with content capture, the input. */
  private static void request(ModelCall call, Object params, boolean content) {
    if (params instanceof ChatCompletionCreateParams chat) {
      call.step().model(chat.model().asString());
      if (content) {
        call.step().input(OpenAIRecords.json(chat._messages()));
      }
    } else if (params instanceof ResponseCreateParams responses) {
      responses.model().ifPresent(m -> call.step().model(OpenAIRecords.model(m)));
      if (content) {
        call.step().input(OpenAIRecords.json(responses._input()));
      }
    } else if (params instanceof EmbeddingCreateParams embeddings) {
      call.step().model(embeddings.model().asString());
      if (content) {
        call.step().input(OpenAIRecords.json(embeddings._input()));
      }
    }
  }

  private void record(ModelCall call, Object value) {
    if (value instanceof ChatCompletion completion) {
      OpenAIRecords.chat(call, completion, sextant.capturesContent());
    } else if (value instanceof Response response) {
      OpenAIRecords.response(call, response, sextant.capturesContent());
    } else if (value instanceof CreateEmbeddingResponse embeddings) {
      OpenAIRecords.embeddings(call, embeddings);
    }
  }

  /** Maps what the OpenAI client threw to the failure taxonomy. */
  static ProviderError error(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && !(t instanceof OpenAIServiceException) && !(t instanceof OpenAIInvalidDataException)
        && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    if (t instanceof OpenAIServiceException service) {
      String code = service.code().orElse(service.type().orElse(null));
      return ProviderError.of(service.statusCode(), code, service.getMessage(), false, t);
    }
    return ProviderError.of(0, null, t.getMessage(), t instanceof OpenAIInvalidDataException, t);
  }
}
