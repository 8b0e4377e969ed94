package dev.sextant.anthropic;

import static dev.sextant.integrations.testing.FakeProvider.Answer.json;
import static dev.sextant.integrations.testing.FakeProvider.Answer.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Model;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real Anthropic Java SDK against a local fake of the Messages API, traced into the real Sextant
 * server; every assertion reads the stored run back through the query API.
 */
class ITAnthropicAgainstServer {

  @RegisterExtension
  static final SextantServer server = new SextantServer();

  private final String agent = "anthropic-" + UUID.randomUUID().toString().substring(0, 8);
  private final FakeProvider fake = FakeProvider.start();
  private final Sextant sextant = Sextant.builder().agent(agent).endpoint(server.endpoint())
      .apiKey(SextantServer.API_KEY).mode(Sextant.Mode.INLINE).captureContent(true).shutdownHook(false).build();
  private final AnthropicClient anthropic = SextantAnthropic.wrap(AnthropicOkHttpClient.builder().baseUrl(fake.rootUrl())
      .apiKey("sk-ant-test").maxRetries(0).timeout(Duration.ofMillis(1500)).build(), sextant);

  @AfterEach
  void close() {
    sextant.close();
    fake.close();
  }

  private static MessageCreateParams params() {
    return MessageCreateParams.builder().model(Model.CLAUDE_SONNET_4_5).maxTokens(1024)
        .addUserMessage("Where is order A-17? Call me on +44 20 7946 0958").build();
  }

  @Test
  void blockingMessage_isAnLlmStepWithModelTokensCacheReadAndToolUse_andNoContentUnderMetadataOnly() throws Exception {
    fake.on("/v1/messages", json(200, AnthropicFixtures.TOOL_USE));
    String runId;
    try (Run run = sextant.startRun("support")) {
      runId = run.id();
      Message message = anthropic.messages().create(params());
      assertThat(message.content()).hasSize(2);
    }

    JsonNode step = server.step(runId, "anthropic.messages");
    assertThat(step.get("type").asText()).isEqualTo("llm");
    assertThat(step.get("provider").asText()).isEqualTo("anthropic");
    assertThat(step.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(step.get("input_tokens").asLong()).isEqualTo(1210);
    assertThat(step.get("output_tokens").asLong()).isEqualTo(55);
    assertThat(step.get("cache_read_tokens").asLong()).isEqualTo(1000);
    // no cost sent: priced by the server as claude-sonnet-4-5 (3.00 input, 0.30 cache read, 15.00 output per million)
    assertThat(step.get("cost_source").asText()).isEqualTo("computed");
    assertThat(step.get("cost_usd").asDouble()).isCloseTo((210 * 3.00 + 1000 * 0.30 + 55 * 15.00) / 1e6, within(1e-12));
    assertThat(step.get("metadata").get("finish_reason").asText()).isEqualTo("tool_use");
    assertThat(step.get("metadata").get("tool_call_0").asText()).isEqualTo("lookup_order");
    assertThat(step.get("input").isNull()).isTrue();
    assertThat(step.get("output").isNull()).isTrue();
    assertThat(step.toString()).doesNotContain("7946 0958").doesNotContain("79460958").doesNotContain("Let me check");
  }

  @Test
  void streamingMessage_recordsChunksTimeToFirstTokenToolUseAndOutputTokens() throws Exception {
    fake.on("/v1/messages", sse(AnthropicFixtures.stream()));
    String runId;
    try (Run run = sextant.startRun("stream")) {
      runId = run.id();
      try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params())) {
        assertThat(stream.stream().count()).isEqualTo(10);
      }
    }

    JsonNode step = server.step(runId, "anthropic.messages");
    assertThat(step.get("status").asText()).isEqualTo("ok");
    assertThat(step.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(step.get("input_tokens").asLong()).isEqualTo(25);
    assertThat(step.get("output_tokens").asLong()).isEqualTo(15);
    assertThat(step.get("time_to_first_token_ms").asDouble()).isPositive();
    assertThat(step.get("metadata").get("finish_reason").asText()).isEqualTo("tool_use");
    assertThat(step.get("metadata").get("tool_call_0").asText()).isEqualTo("get_weather");
    assertThat(step.get("metadata").get("stream_chunks").asInt()).isEqualTo(3);
  }

  @Test
  void asyncMessageAndAsyncStream_withoutARun_becomeRunsOfTheirOwn() throws Exception {
    fake.on("/v1/messages", json(200, AnthropicFixtures.END_TURN)).on("/v1/messages", sse(AnthropicFixtures.stream()));
    CompletableFuture<Message> future = anthropic.async().messages().create(params());
    assertThat(future.get().model().toString()).isEqualTo("claude-haiku-4-5-20251001");
    List<String> types = new ArrayList<>();
    AsyncStreamResponse<RawMessageStreamEvent> stream = anthropic.async().messages().createStreaming(params());
    stream.subscribe(event -> types.add(event.isMessageStart() ? "start" : "other")).onCompleteFuture().get();
    assertThat(types).hasSize(10);

    JsonNode runs = server.get("/v1/runs?agent=" + agent);
    assertThat(runs.get("runs")).hasSize(2);
    List<String> models = new ArrayList<>();
    for (JsonNode run : runs.get("runs")) {
      assertThat(run.get("status").asText()).isEqualTo("success");
      models.add(server.step(run.get("run_id").asText(), "anthropic.messages").get("model").asText());
    }
    assertThat(models).containsExactlyInAnyOrder("claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929");
  }

  @Test
  void errors_mapToTheFailureTaxonomy() throws Exception {
    fake.on("/v1/messages", json(429, AnthropicFixtures.RATE_LIMITED))
        .on("/v1/messages", json(529, AnthropicFixtures.OVERLOADED))
        .on("/v1/messages", json(401, AnthropicFixtures.BAD_KEY))
        .on("/v1/messages", json(400, AnthropicFixtures.PROMPT_TOO_LONG))
        .on("/v1/messages", json(200, AnthropicFixtures.END_TURN).delayed(4000));

    assertThatThrownBy(() -> anthropic.messages().create(params())).isInstanceOf(RateLimitException.class);
    assertFailure("rate_limited", "error", "rate_limit_error");
    assertThatThrownBy(() -> anthropic.messages().create(params())).hasMessageContaining("Overloaded");
    assertFailure("overloaded", "error", "overloaded_error");
    assertThatThrownBy(() -> anthropic.messages().create(params())).hasMessageContaining("invalid x-api-key");
    assertFailure("auth_failed", "error", "authentication_error");
    assertThatThrownBy(() -> anthropic.messages().create(params())).hasMessageContaining("prompt is too long");
    assertFailure("context_overflow", "error", "invalid_request_error");
    assertThatThrownBy(() -> anthropic.messages().create(params())).isInstanceOf(AnthropicIoException.class);
    assertFailure("timeout", "timeout", null);
  }

  private void assertFailure(String code, String stepStatus, String providerError) throws Exception {
    JsonNode runs = server.get("/v1/runs?agent=" + agent + "&failure_code=" + code);
    assertThat(runs.get("runs")).as(code).hasSize(1);
    JsonNode run = server.run(runs.get("runs").get(0).get("run_id").asText());
    assertThat(run.get("failure").get("type").asText()).isEqualTo("model");
    JsonNode step = server.step(run.get("run").get("run_id").asText(), "anthropic.messages");
    assertThat(step.get("status").asText()).isEqualTo(stepStatus);
    assertThat(step.get("error").get("code").asText()).isEqualTo(code);
    if (providerError != null) {
      assertThat(step.get("metadata").get("provider_error").asText()).isEqualTo(providerError);
    }
  }
}
