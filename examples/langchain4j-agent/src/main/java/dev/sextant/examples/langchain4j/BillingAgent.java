package dev.sextant.examples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import dev.sextant.integrations.testing.FakeProvider.ToolCall;
import dev.sextant.langchain4j.SextantLangChain4j;
import dev.sextant.sdk.Sextant;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A LangChain4j billing agent: an AI Service with a knowledge base (retrieval-augmented generation
 * over an in-memory embedding store) and an invoice tool whose backend fails once. Traced with
 * {@link SextantLangChain4j}, one question becomes one run: a retrieval step, three llm steps and two
 * attempts of the tool, the second a retry of the first.
 *
 * <p>It talks to {@code OPENAI_BASE_URL} with {@code OPENAI_API_KEY} when set; otherwise it starts a
 * local fake of the OpenAI API that plays the conversation. Runs go to {@code SEXTANT_ENDPOINT}
 * (default {@code http://localhost:8000}) with {@code SEXTANT_API_KEY}.
 */
public final class BillingAgent {

  private BillingAgent() {}

  /** The AI Service. */
  interface Assistant {
    String answer(String question);
  }

  /** The invoice backend; its first call fails, as flaky backends do. */
  static final class InvoiceTools {
    private final AtomicInteger calls = new AtomicInteger();

    @Tool("Looks up an invoice by id")
    String lookupInvoice(@P("the invoice id") String invoiceId) {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("billing backend unavailable");
      }
      return "invoice " + invoiceId + ": two charges of 30 EUR on 2026-11-01";
    }
  }

  public static void main(String[] args) {
    String baseUrl = System.getenv("OPENAI_BASE_URL");
    FakeProvider fake = baseUrl == null ? FakeProvider.start() : null;
    Sextant sextant = Sextant.builder().agent("billing-agent-langchain4j").agentVersion("v1.0.0")
        .environment("development").build();
    try {
      String answer = fake != null
          ? answer(sextant, playConversation(fake), "sk-fake")
          : answer(sextant, baseUrl, System.getenv("OPENAI_API_KEY"));
      System.out.println("answer: " + answer);
    } finally {
      boolean flushed = sextant.flush(Duration.ofSeconds(10));
      sextant.close();
      if (fake != null) {
        fake.close();
      }
      System.out.println("run sent to " + endpoint() + (flushed ? "" : " (flush timed out)")
          + "; exported=" + sextant.stats().exported() + " failed=" + sextant.stats().failed());
    }
  }

  /** Queues the fake model's side of the conversation and returns the fake's base URL. */
  public static String playConversation(FakeProvider fake) {
    fake.enqueue(
        Reply.toolCalls(412, 21, new ToolCall("call_1", "lookupInvoice", "{\"invoiceId\":\"INV-1042\"}")),
        Reply.toolCalls(468, 21, new ToolCall("call_2", "lookupInvoice", "{\"invoiceId\":\"INV-1042\"}")),
        Reply.text("You were charged twice for INV-1042; the duplicate 30 EUR is refunded within five days.", 530, 27));
    return fake.baseUrl();
  }

  /** Asks the agent one billing question; the call is traced as one run. */
  public static String answer(Sextant sextant, String baseUrl, String apiKey) {
    SextantLangChain4j tracing = SextantLangChain4j.create(sextant);
    ChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName("gpt-4o-mini")
        .listeners(List.of(tracing.chatModelListener())).build();
    Assistant assistant = tracing.instrument(AiServices.builder(Assistant.class))
        .chatModel(model)
        .tools(new InvoiceTools())
        .contentRetriever(tracing.retriever(knowledgeBase(baseUrl, apiKey)))
        .build();
    return assistant.answer("Why was I charged twice on invoice INV-1042?");
  }

  private static ContentRetriever knowledgeBase(String baseUrl, String apiKey) {
    EmbeddingModel embeddings = OpenAiEmbeddingModel.builder().baseUrl(baseUrl).apiKey(apiKey)
        .modelName("text-embedding-3-small").build();
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    for (String text : List.of(
        "Duplicate charges are refunded within five business days",
        "Invoices are issued on the first day of each month",
        "Passwords can be reset from the login page")) {
      TextSegment segment = TextSegment.from(text);
      store.add(embeddings.embed(segment).content(), segment);
    }
    return EmbeddingStoreContentRetriever.builder().embeddingStore(store).embeddingModel(embeddings)
        .maxResults(2).minScore(0.1).build();
  }

  private static String endpoint() {
    String endpoint = System.getenv("SEXTANT_ENDPOINT");
    return endpoint == null ? "http://localhost:8000" : endpoint;
  }
}
