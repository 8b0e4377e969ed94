package dev.sextant.openai;

import static dev.sextant.integrations.testing.FakeProvider.Answer.json;
import static dev.sextant.integrations.testing.FakeProvider.Answer.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real OpenAI Java SDK against a local fake of the OpenAI HTTP API, traced into the real Sextant
 * server; every assertion reads the stored run back through the query API.
 */
class ITOpenAIAgainstServer {

  @RegisterExtension
  static final SextantServer server = new SextantServer();

  private final String agent = "openai-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private final FakeProvider fake = FakeProvider.start();
  private final Sextant sextant = Sextant.builder().agent(agent).endpoint(server.endpoint())
      .apiKey(SextantServer.API_KEY).mode(Sextant.Mode.INLINE).captureContent(true).shutdownHook(false).build();
  private final OpenAIClient openai = SextantOpenAI.wrap(OpenAIOkHttpClient.builder().baseUrl(fake.baseUrl())
      .apiKey("sk-test").maxRetries(0).timeout(Duration.ofMillis(1500)).build(), sextant);

  @AfterEach
  void close() {
    sextant.close();
    fake.close();
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("Weather in Paris? My card is 4111 1111 1111 1111").build();
  }

  @Test
  void blockingChat_inTheCurrentRun_isAnLlmStepWithTheResponsesModelTokensAndToolCalls() throws Exception {
    fake.on("/v1/chat/completions", json(200, OpenAIFixtures.CHAT_WITH_TOOL_CALL));
    String runId;
    try (Run run = sextant.startRun("answer_ticket")) {
      runId = run.id();
      ChatCompletion completion = openai.chat().completions().create(chat());
      assertThat(completion.choices().get(0).message().toolCalls().orElseThrow()).hasSize(1);
    }

    JsonNode stored = server.run(runId);
    assertThat(stored.get("run").get("status").asText()).isEqualTo("success");
    assertThat(stored.get("steps")).hasSize(1);
    JsonNode step = server.step(runId, "openai.chat");
    assertThat(step.get("type").asText()).isEqualTo("llm");
    assertThat(step.get("status").asText()).isEqualTo("ok");
    assertThat(step.get("provider").asText()).isEqualTo("openai");
    assertThat(step.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(step.get("input_tokens").asLong()).isEqualTo(512);
    assertThat(step.get("output_tokens").asLong()).isEqualTo(128);
    assertThat(step.get("cache_read_tokens").asLong()).isEqualTo(384);
    assertThat(step.get("reasoning_tokens").asLong()).isEqualTo(64);
    // no cost sent: priced by the server as gpt-4o-mini (0.15 input, 0.075 cached input, 0.60 output per million)
    assertThat(step.get("cost_source").asText()).isEqualTo("computed");
    assertThat(step.get("cost_usd").asDouble()).isCloseTo((128 * 0.15 + 384 * 0.075 + 128 * 0.60) / 1e6, within(1e-12));
    assertThat(step.get("metadata").get("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(step.get("metadata").get("tool_calls").asInt()).isEqualTo(1);
    assertThat(step.get("metadata").get("tool_call_0").asText()).isEqualTo("get_weather");
    assertThat(events(step)).containsExactly("tool_call");
    // the SDK captured the messages, the server's metadata-only policy dropped them
    assertThat(step.get("input").isNull()).isTrue();
    assertThat(step.get("output").isNull()).isTrue();
    // the whole number, spaced or not: a bare "4111" also turns up in nanosecond timestamps
    assertThat(step.toString()).doesNotContain("4111 1111").doesNotContain("4111111111111111").doesNotContain("Paris");
  }

  @Test
  void blockingChat_withoutARun_becomesARunOfItsOwn() throws Exception {
    fake.on("/v1/chat/completions", json(200, OpenAIFixtures.CHAT_STOP));
    openai.chat().completions().create(chat());

    JsonNode run = onlyRun("openai.chat");
    assertThat(run.get("status").asText()).isEqualTo("success");
    JsonNode step = server.step(run.get("run_id").asText(), "openai.chat");
    assertThat(step.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(step.get("input_tokens").asLong()).isEqualTo(20);
    assertThat(step.get("metadata").get("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streamingChat_recordsChunksTimeToFirstTokenAndTheFinalUsage() throws Exception {
    fake.on("/v1/chat/completions", sse(OpenAIFixtures.chatStream()));
    String runId;
    String text;
    try (Run run = sextant.startRun("stream_answer")) {
      runId = run.id();
      try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(chat())) {
        text = stream.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
            .collect(Collectors.joining());
      }
    }
    assertThat(text).isEqualTo("Hello there");

    JsonNode step = server.step(runId, "openai.chat");
    assertThat(step.get("status").asText()).isEqualTo("ok");
    assertThat(step.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(step.get("input_tokens").asLong()).isEqualTo(11);
    assertThat(step.get("output_tokens").asLong()).isEqualTo(2);
    assertThat(step.get("time_to_first_token_ms").asDouble()).isPositive();
    assertThat(step.get("metadata").get("finish_reason").asText()).isEqualTo("stop");
    assertThat(step.get("metadata").get("stream_chunks").asInt()).isEqualTo(5);
    assertThat(events(step)).containsExactly("chunk", "chunk", "chunk", "chunk", "chunk");
  }

  @Test
  void asyncChat_andAsyncStream_endTheirStepsOnTheCompletingThread_withoutNestingTheCallersNextStep() throws Exception {
    fake.on("/v1/chat/completions", json(200, OpenAIFixtures.CHAT_STOP)).on("/v1/chat/completions", sse(OpenAIFixtures.chatStream()));
    String runId;
    try (Run run = sextant.startRun("async_answer")) {
      runId = run.id();
      CompletableFuture<ChatCompletion> future = openai.async().chat().completions().create(chat());
      run.step("tool", "lookup").close();
      assertThat(future.get().model()).isEqualTo("gpt-4o-mini-2024-07-18");

      List<String> chunks = new ArrayList<>();
      AsyncStreamResponse<ChatCompletionChunk> stream = openai.async().chat().completions().createStreaming(chat());
      stream.subscribe(chunk -> chunks.add(chunk.id())).onCompleteFuture().get();
      assertThat(chunks).hasSize(5);
    }

    JsonNode stored = server.run(runId);
    assertThat(stored.get("steps")).hasSize(3);
    for (JsonNode step : stored.get("steps")) {
      assertThat(step.get("parent_step_id").isNull()).as(step.toString()).isTrue();
      assertThat(step.get("status").asText()).isEqualTo("ok");
    }
    List<JsonNode> llm = new ArrayList<>();
    for (JsonNode s : stored.get("steps")) {
      if (s.get("name").asText().equals("openai.chat")) {
        llm.add(server.get("/v1/runs/" + runId + "/steps/" + s.get("step_id").asText()));
      }
    }
    assertThat(llm).extracting(s -> s.get("model").asText()).containsExactly("gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06");
    assertThat(llm.get(1).get("output_tokens").asLong()).isEqualTo(2);
  }

  @Test
  void responses_blockingAndStreaming_recordModelTokensAndFunctionCalls() throws Exception {
    fake.on("/v1/responses", json(200, OpenAIFixtures.RESPONSE)).on("/v1/responses", sse(OpenAIFixtures.responseStream()));
    ResponseCreateParams params = ResponseCreateParams.builder().model(ChatModel.GPT_4_1).input("Where is my order?").build();
    String runId;
    try (Run run = sextant.startRun("orders")) {
      runId = run.id();
      openai.responses().create(params);
      try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(params)) {
        assertThat(stream.stream().count()).isEqualTo(4);
      }
    }

    JsonNode stored = server.run(runId);
    assertThat(stored.get("steps")).hasSize(2);
    JsonNode blocking = server.get("/v1/runs/" + runId + "/steps/" + stored.get("steps").get(0).get("step_id").asText());
    assertThat(blocking.get("model").asText()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(blocking.get("input_tokens").asLong()).isEqualTo(300);
    assertThat(blocking.get("cache_read_tokens").asLong()).isEqualTo(100);
    assertThat(blocking.get("reasoning_tokens").asLong()).isEqualTo(16);
    assertThat(blocking.get("metadata").get("tool_call_0").asText()).isEqualTo("lookup_order");
    JsonNode streamed = server.get("/v1/runs/" + runId + "/steps/" + stored.get("steps").get(1).get("step_id").asText());
    assertThat(streamed.get("output_tokens").asLong()).isEqualTo(40);
    assertThat(streamed.get("time_to_first_token_ms").asDouble()).isPositive();
    assertThat(events(streamed)).containsExactly("chunk", "chunk");
  }

  @Test
  void embeddings_areEmbeddingSteps() throws Exception {
    fake.on("/v1/embeddings", json(200, OpenAIFixtures.EMBEDDINGS));
    openai.embeddings().create(EmbeddingCreateParams.builder().model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
        .inputOfArrayOfStrings(List.of("refund policy", "shipping times")).build());

    JsonNode run = onlyRun("openai.embeddings");
    JsonNode step = server.step(run.get("run_id").asText(), "openai.embeddings");
    assertThat(step.get("type").asText()).isEqualTo("embedding");
    assertThat(step.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(step.get("input_tokens").asLong()).isEqualTo(9);
    assertThat(step.get("metadata").get("embeddings").asInt()).isEqualTo(2);
  }

  @Test
  void errors_mapToTheFailureTaxonomy_onTheStepAndOnTheCallsOwnRun() throws Exception {
    fake.on("/v1/chat/completions", json(429, OpenAIFixtures.RATE_LIMITED, Map.of("retry-after", "1")))
        .on("/v1/chat/completions", json(401, OpenAIFixtures.BAD_KEY))
        .on("/v1/chat/completions", json(400, OpenAIFixtures.CONTEXT_TOO_LONG))
        .on("/v1/chat/completions", json(200, OpenAIFixtures.CHAT_STOP).delayed(4000));

    assertThatThrownBy(() -> openai.chat().completions().create(chat())).isInstanceOf(RateLimitException.class);
    assertFailure("rate_limited", "error", 429);
    assertThatThrownBy(() -> openai.chat().completions().create(chat())).isInstanceOf(UnauthorizedException.class);
    assertFailure("auth_failed", "error", 401);
    assertThatThrownBy(() -> openai.chat().completions().create(chat())).hasMessageContaining("maximum context length");
    assertFailure("context_overflow", "error", 400);
    assertThatThrownBy(() -> openai.chat().completions().create(chat())).isInstanceOf(OpenAIIoException.class);
    assertFailure("timeout", "timeout", null);
  }

  private void assertFailure(String code, String stepStatus, Integer httpStatus) throws Exception {
    JsonNode runs = server.get("/v1/runs?agent=" + agent + "&failure_code=" + code);
    assertThat(runs.get("runs")).as(code).hasSize(1);
    JsonNode run = server.run(runs.get("runs").get(0).get("run_id").asText());
    assertThat(run.get("run").get("status").asText()).isEqualTo("failure");
    assertThat(run.get("failure").get("type").asText()).isEqualTo("model");
    assertThat(run.get("failure").get("code").asText()).isEqualTo(code);
    JsonNode step = server.step(run.get("run").get("run_id").asText(), "openai.chat");
    assertThat(step.get("status").asText()).isEqualTo(stepStatus);
    assertThat(step.get("error").get("type").asText()).isEqualTo("model");
    assertThat(step.get("error").get("code").asText()).isEqualTo(code);
    if (httpStatus != null) {
      assertThat(step.get("metadata").get("http_status").asInt()).isEqualTo(httpStatus);
    }
  }

  private JsonNode onlyRun(String name) throws Exception {
    JsonNode runs = server.get("/v1/runs?agent=" + agent);
    List<JsonNode> named = new ArrayList<>();
    runs.get("runs").forEach(r -> {
      if (r.get("name").asText().equals(name)) {
        named.add(r);
      }
    });
    assertThat(named).hasSize(1);
    return named.get(0);
  }

  private static List<String> events(JsonNode step) {
    List<String> names = new ArrayList<>();
    Optional.ofNullable(step.get("events")).ifPresent(e -> e.forEach(x -> names.add(x.get("name").asText())));
    return names;
  }
}
