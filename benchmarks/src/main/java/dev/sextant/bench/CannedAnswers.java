package dev.sextant.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** The answers the model-call benchmark's fake providers give, and in-process HTTP layers for both SDKs. */
final class CannedAnswers {

  private CannedAnswers() {}

  static final String OPENAI_CHAT = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764670000,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"It shipped yesterday.\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";

  static final String ANTHROPIC_MESSAGE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"It shipped yesterday.\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":5}}";

  private static final byte[] OPENAI_BYTES = OPENAI_CHAT.getBytes(StandardCharsets.UTF_8);
  private static final byte[] ANTHROPIC_BYTES = ANTHROPIC_MESSAGE.getBytes(StandardCharsets.UTF_8);

  /** Answers every OpenAI request with {@link #OPENAI_CHAT}, in the calling thread. */
  static final class OpenAIHttp implements com.openai.core.http.HttpClient {
    private final com.openai.core.http.Headers headers =
        com.openai.core.http.Headers.builder().put("content-type", "application/json").build();

    @Override
    public com.openai.core.http.HttpResponse execute(com.openai.core.http.HttpRequest request,
        com.openai.core.RequestOptions options) {
      return new com.openai.core.http.HttpResponse() {
        @Override
        public int statusCode() {
          return 200;
        }

        @Override
        public com.openai.core.http.Headers headers() {
          return headers;
        }

        @Override
        public InputStream body() {
          return new ByteArrayInputStream(OPENAI_BYTES);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public CompletableFuture<com.openai.core.http.HttpResponse> executeAsync(com.openai.core.http.HttpRequest request,
        com.openai.core.RequestOptions options) {
      return CompletableFuture.completedFuture(execute(request, options));
    }

    @Override
    public void close() {}
  }

  /** Answers every Anthropic request with {@link #ANTHROPIC_MESSAGE}, in the calling thread. */
  static final class AnthropicHttp implements com.anthropic.core.http.HttpClient {
    private final com.anthropic.core.http.Headers headers =
        com.anthropic.core.http.Headers.builder().put("content-type", "application/json").build();

    @Override
    public com.anthropic.core.http.HttpResponse execute(com.anthropic.core.http.HttpRequest request,
        com.anthropic.core.RequestOptions options) {
      return new com.anthropic.core.http.HttpResponse() {
        @Override
        public int statusCode() {
          return 200;
        }

        @Override
        public com.anthropic.core.http.Headers headers() {
          return headers;
        }

        @Override
        public InputStream body() {
          return new ByteArrayInputStream(ANTHROPIC_BYTES);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public CompletableFuture<com.anthropic.core.http.HttpResponse> executeAsync(
        com.anthropic.core.http.HttpRequest request, com.anthropic.core.RequestOptions options) {
      return CompletableFuture.completedFuture(execute(request, options));
    }

    @Override
    public void close() {}
  }
}
