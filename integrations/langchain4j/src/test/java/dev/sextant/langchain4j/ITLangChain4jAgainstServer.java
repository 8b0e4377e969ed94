package dev.sextant.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import dev.sextant.integrations.testing.FakeProvider.ToolCall;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Sextant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real LangChain4j (AI Services, the OpenAI chat, streaming and embedding models, the in-memory
 * embedding store) against a local fake of the OpenAI API, traced into a real Sextant server whose
 * project keeps metadata only; each test reads the stored run back.
 */
class ITLangChain4jAgainstServer {

  private static SextantServer server;
  private FakeProvider openai;
  private Sextant sextant;
  private SextantLangChain4j tracing;
  private String agent;

  interface Assistant {
    String answer(String question);
  }

  /** Fails its first call, as a flaky backend would, then answers. */
  static final class BillingTools {
    final AtomicInteger calls = new AtomicInteger();

    @Tool("Looks up an invoice by id")
    String lookupInvoice(@P("the invoice id") String invoiceId) {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("billing backend unavailable");
      }
      return "invoice " + invoiceId + ": 2 charges of 30 EUR";
    }
  }

  @BeforeAll
  static void startServer() {
    server = SextantServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp(TestInfo test) {
    openai = FakeProvider.start();
    agent = "lc4j-" + test.getTestMethod().orElseThrow().getName().toLowerCase().replace('_', '-');
    // content capture on in the SDK: the metadata-only project must still store none of it
    sextant = Sextant.builder().agent(agent).agentVersion("v1").environment("test").endpoint(server.endpoint())
        .apiKey(SextantServer.API_KEY).mode(Sextant.Mode.INLINE).captureContent(true).shutdownHook(false).build();
    tracing = SextantLangChain4j.create(sextant);
  }

  @AfterEach
  void tearDown() {
    sextant.close();
    openai.close();
    assertThat(sextant.stats().failed()).isZero();
    assertThat(sextant.stats().dropped()).isZero();
  }

  private ChatModel chatModel() {
    return OpenAiChatModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-fake").modelName("gpt-4o-mini")
        .maxRetries(0).timeout(Duration.ofSeconds(5)).listeners(List.of(tracing.chatModelListener())).build();
  }

  private ContentRetriever knowledgeBase() {
    EmbeddingModel embeddings = OpenAiEmbeddingModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-fake")
        .modelName("text-embedding-3-small").maxRetries(0).build();
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    for (String text : List.of("Duplicate charges are refunded within five days",
        "Invoices are issued on the first day of each month", "Passwords can be reset from the login page")) {
      TextSegment segment = TextSegment.from(text);
      store.add(embeddings.embed(segment).content(), segment);
    }
    return tracing.retriever(EmbeddingStoreContentRetriever.builder().embeddingStore(store)
        .embeddingModel(embeddings).maxResults(2).minScore(0.1).build());
  }

  private String onlyRunId() {
    List<String> ids = server.runIds(agent);
    assertThat(ids).hasSize(1);
    return ids.get(0);
  }

  private static List<String> shape(JsonNode run) {
    List<String> steps = new ArrayList<>();
    run.path("steps").forEach(s -> steps.add(s.path("type").asText() + ":" + s.path("name").asText() + ":"
        + s.path("status").asText() + ":" + s.path("attempt").asInt()));
    return steps;
  }

  @Test
  void aiService_toolsAndRag_oneRunWithNestedSteps_failedToolRetried() {
    BillingTools billing = new BillingTools();
    Assistant assistant = tracing.instrument(AiServices.builder(Assistant.class))
        .chatModel(chatModel()).tools(billing).contentRetriever(knowledgeBase()).build();
    openai.enqueue(
        Reply.toolCalls(120, 18, new ToolCall("call_1", "lookupInvoice", "{\"invoiceId\":\"inv-1\"}"))
            .withTokenDetails(96, 4),
        Reply.toolCalls(150, 18, new ToolCall("call_2", "lookupInvoice", "{\"invoiceId\":\"inv-1\"}")),
        Reply.text("You were charged twice; the duplicate is refunded within five days.", 200, 25));

    String answer = assistant.answer("Why was I charged twice on invoice inv-1?");

    assertThat(answer).startsWith("You were charged twice");
    assertThat(billing.calls).hasValue(2);
    assertThat(tracing.callsInProgress()).isZero();
    JsonNode detail = server.runWithSteps(onlyRunId());
    JsonNode run = detail.path("run");
    assertThat(run.path("name").asText()).isEqualTo("Assistant.answer");
    assertThat(run.path("status").asText()).as("%s", detail).isEqualTo("success");
    assertThat(run.path("input_tokens").asLong()).isEqualTo(470);
    assertThat(run.path("output_tokens").asLong()).isEqualTo(61);
    // no cost sent: the server prices the three gpt-4o-mini calls (0.15 input, 0.075 cached, 0.60 output per million)
    assertThat(run.path("cost_usd").asDouble()).isCloseTo(
        ((24 * 0.15 + 96 * 0.075 + 18 * 0.60) + (150 * 0.15 + 18 * 0.60) + (200 * 0.15 + 25 * 0.60)) / 1e6, within(1e-12));
    assertThat(run.path("retry_count").asInt()).isEqualTo(1);
    assertThat(run.path("input").isNull()).isTrue();
    assertThat(run.path("output").isNull()).isTrue();
    assertThat(shape(detail)).containsExactly(
        "retrieval:EmbeddingStoreContentRetriever:ok:1",
        "llm:chat:ok:1",
        "tool:lookupInvoice:error:1",
        "llm:chat:ok:1",
        "tool:lookupInvoice:ok:2",
        "llm:chat:ok:1");

    List<JsonNode> steps = new ArrayList<>();
    detail.path("steps").forEach(steps::add);
    for (JsonNode step : steps) {
      assertThat(step.path("parent_step_id").isNull()).as("parent of %s", step.path("name")).isTrue();
      assertThat(step.path("input").isNull()).isTrue();
      assertThat(step.path("output").isNull()).isTrue();
    }
    assertThat(steps.get(0).path("metadata").path("results").asInt()).isEqualTo(2);
    JsonNode firstLlm = steps.get(1);
    assertThat(firstLlm.path("model").asText()).isEqualTo(FakeProvider.MODEL);
    assertThat(firstLlm.path("provider").asText()).isEqualTo("openai");
    assertThat(firstLlm.path("input_tokens").asLong()).isEqualTo(120);
    assertThat(firstLlm.path("output_tokens").asLong()).isEqualTo(18);
    assertThat(firstLlm.path("cache_read_tokens").asLong()).isEqualTo(96);
    assertThat(firstLlm.path("reasoning_tokens").asLong()).isEqualTo(4);
    assertThat(firstLlm.path("metadata").path("finish_reason").asText()).isEqualTo("tool_execution");
    assertThat(firstLlm.path("metadata").path("tools_offered").asInt()).isEqualTo(1);
    assertThat(firstLlm.path("events").get(0).path("name").asText()).isEqualTo("tool_call_requested");
    assertThat(firstLlm.path("events").get(0).path("attributes").path("tool").asText()).isEqualTo("lookupInvoice");
    JsonNode failedTool = steps.get(2);
    assertThat(failedTool.path("error").path("type").asText()).isEqualTo("tool");
    assertThat(failedTool.path("error").path("code").asText()).isEqualTo("internal");
    assertThat(failedTool.path("error").path("message").isNull()).isTrue();
    assertThat(failedTool.path("metadata").path("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(steps.get(4).path("retry_of").asText()).isEqualTo(failedTool.path("step_id").asText());
    assertThat(steps.get(5).path("metadata").path("finish_reason").asText()).isEqualTo("stop");
    // the tool's error went back to the model, as LangChain4j does by default
    assertThat(openai.chatRequests().get(1).lastRole()).isEqualTo("tool");
    assertThat(openai.chatRequests().get(1).body().toString()).contains("billing backend unavailable");
  }

  @Test
  void aiService_insideApplicationRun_isAgentStepWithChildren() {
    Assistant assistant = tracing.instrument(AiServices.builder(Assistant.class)).chatModel(chatModel()).build();
    openai.enqueue(Reply.text("Hello.", 10, 2));

    String runId = sextant.run("handle_ticket", run -> {
      assistant.answer("Hi");
      return run.id();
    });

    JsonNode detail = server.runWithSteps(runId);
    assertThat(shape(detail)).containsExactly("agent:Assistant.answer:ok:1", "llm:chat:ok:1");
    JsonNode agentStep = detail.path("steps").get(0);
    assertThat(detail.path("steps").get(1).path("parent_step_id").asText()).isEqualTo(agentStep.path("step_id").asText());
    assertThat(detail.path("run").path("name").asText()).isEqualTo("handle_ticket");
  }

  @Test
  void aiService_rateLimited_runFailsWithModelRateLimited() {
    Assistant assistant = tracing.instrument(AiServices.builder(Assistant.class)).chatModel(chatModel()).build();
    openai.enqueue(Reply.rateLimited());

    assertThatThrownBy(() -> assistant.answer("Hi")).isInstanceOf(RateLimitException.class);

    JsonNode detail = server.runWithSteps(onlyRunId());
    assertThat(detail.path("run").path("status").asText()).isEqualTo("failure");
    assertThat(detail.path("failure").path("type").asText()).isEqualTo("model");
    assertThat(detail.path("failure").path("code").asText()).isEqualTo("rate_limited");
    JsonNode llm = detail.path("steps").get(0);
    assertThat(detail.path("failure").path("step_id").asText()).isEqualTo(llm.path("step_id").asText());
    assertThat(llm.path("status").asText()).isEqualTo("error");
    assertThat(llm.path("error").path("code").asText()).isEqualTo("rate_limited");
  }

  @Test
  void aiService_rateLimitedInsideApplicationRun_runFailureIsTheModelStep() {
    Assistant assistant = tracing.instrument(AiServices.builder(Assistant.class)).chatModel(chatModel()).build();
    openai.enqueue(Reply.rateLimited());
    String[] runId = new String[1];

    assertThatThrownBy(() -> sextant.run("handle_ticket", run -> {
      runId[0] = run.id();
      return assistant.answer("Hi");
    })).isInstanceOf(RateLimitException.class);

    JsonNode detail = server.runWithSteps(runId[0]);
    assertThat(shape(detail)).containsExactly("agent:Assistant.answer:error:1", "llm:chat:error:1");
    assertThat(detail.path("failure").path("type").asText()).isEqualTo("model");
    assertThat(detail.path("failure").path("code").asText()).isEqualTo("rate_limited");
    assertThat(detail.path("failure").path("step_id").asText())
        .isEqualTo(detail.path("steps").get(1).path("step_id").asText());
  }

  @Test
  void chatModel_providerErrors_mappedToFailureTaxonomy() {
    ChatModel model = chatModel();
    openai.enqueue(Reply.contextLengthExceeded(), Reply.invalidApiKey());

    assertThatThrownBy(() -> model.chat("a very long prompt")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> model.chat("hi")).isInstanceOf(AuthenticationException.class);

    List<String> failures = new ArrayList<>();
    for (String id : server.runIds(agent)) {
      JsonNode detail = server.runWithSteps(id);
      assertThat(shape(detail)).containsExactly("llm:chat:error:1");
      failures.add(detail.path("failure").path("type").asText() + "/" + detail.path("failure").path("code").asText());
    }
    assertThat(failures).containsExactlyInAnyOrder("model/context_overflow", "model/auth_failed");
  }

  @Test
  void chatModel_timeout_stepTimesOut() {
    ChatModel model = OpenAiChatModel.builder().baseUrl(openai.baseUrl()).apiKey("sk-fake").modelName("gpt-4o-mini")
        .maxRetries(0).timeout(Duration.ofMillis(300)).listeners(List.of(tracing.chatModelListener())).build();
    openai.enqueue(Reply.text("too late", 1, 1).delayedBy(2_000));

    assertThatThrownBy(() -> model.chat("hi")).isInstanceOf(RuntimeException.class);

    JsonNode detail = server.runWithSteps(onlyRunId());
    assertThat(detail.path("failure").path("code").asText()).isEqualTo("timeout");
    assertThat(detail.path("steps").get(0).path("status").asText()).isEqualTo("timeout");
  }

  @Test
  void streamingModel_answerOnAnotherThread_endsItsStep_withTimeToFirstTokenAndTokenDetails() throws Exception {
    StreamingChatModel model = tracing.streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(openai.baseUrl())
        .apiKey("sk-fake").modelName("gpt-4o-mini").listeners(List.of(tracing.chatModelListener())).build());
    openai.enqueue(Reply.text("Streaming works fine.", 42, 7).withTokenDetails(32, 5));
    List<String> partials = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    model.chat("hi", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        partials.add(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Streaming works fine.");
    assertThat(String.join("", partials)).isEqualTo("Streaming works fine.");
    sextant.flush(Duration.ofSeconds(5));

    JsonNode detail = server.runWithSteps(onlyRunId());
    assertThat(shape(detail)).containsExactly("llm:chat:ok:1");
    JsonNode llm = detail.path("steps").get(0);
    assertThat(llm.path("input_tokens").asLong()).isEqualTo(42);
    assertThat(llm.path("output_tokens").asLong()).isEqualTo(7);
    assertThat(llm.path("model").asText()).isEqualTo(FakeProvider.MODEL);
    assertThat(llm.path("cache_read_tokens").asLong()).isEqualTo(32);
    assertThat(llm.path("reasoning_tokens").asLong()).isEqualTo(5);
    // a text answer emits no event, so only the wrapper's mark at the first partial answer sets it
    assertThat(llm.path("time_to_first_token_ms").isNumber()).as("%s", llm).isTrue();
    assertThat(llm.path("time_to_first_token_ms").asDouble()).isBetween(0.0, 10_000.0);
  }
}
