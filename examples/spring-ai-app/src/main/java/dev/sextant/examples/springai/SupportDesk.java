package dev.sextant.examples.springai;

import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import dev.sextant.integrations.testing.FakeProvider.ToolCall;
import dev.sextant.sdk.Sextant;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring AI support desk: {@code @AgentRun} {@link Desk#handleTicket} classifies a ticket in a
 * {@code @Step} and answers it with a chat client that has an invoice tool (whose backend fails once)
 * and a question-answer advisor over a vector store. The Sextant starter needs no code: each ticket
 * becomes one run with the plan step, the chat client, its advisors, retrievals, llm calls and both
 * tool attempts.
 *
 * <p>It talks to {@code OPENAI_BASE_URL} with {@code OPENAI_API_KEY} when set; otherwise it starts a
 * local fake of the OpenAI API that plays the conversation. Runs go to {@code SEXTANT_ENDPOINT}
 * (default {@code http://localhost:8000}) with {@code SEXTANT_API_KEY}.
 */
@SpringBootApplication
public class SupportDesk {

  public static void main(String[] args) {
    String baseUrl = System.getenv("OPENAI_BASE_URL");
    FakeProvider fake = baseUrl == null ? FakeProvider.start() : null;
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.ai.openai.base-url", fake != null ? playConversation(fake) : baseUrl);
    properties.put("spring.ai.openai.api-key", fake != null ? "sk-fake" : System.getenv("OPENAI_API_KEY"));
    try (ConfigurableApplicationContext context = start(properties, args)) {
      String answer = context.getBean(Desk.class).handleTicket("Why was I charged twice on invoice INV-1042?");
      System.out.println("answer: " + answer);
      Sextant sextant = context.getBean(Sextant.class);
      boolean flushed = sextant.flush(Duration.ofSeconds(10));
      System.out.println("run sent" + (flushed ? "" : " (flush timed out)") + "; exported="
          + sextant.stats().exported() + " failed=" + sextant.stats().failed());
    } finally {
      if (fake != null) {
        fake.close();
      }
    }
  }

  /** Starts the application with {@code properties} over {@code application.properties}. */
  public static ConfigurableApplicationContext start(Map<String, Object> properties, String... args) {
    SpringApplication application = new SpringApplication(SupportDesk.class);
    application.setDefaultProperties(properties);
    return application.run(args);
  }

  /** Queues the fake model's side of the conversation and returns the fake's base URL. */
  public static String playConversation(FakeProvider fake) {
    fake.enqueue(
        Reply.toolCalls(412, 21, new ToolCall("call_1", "lookupInvoice", "{\"invoiceId\":\"INV-1042\"}")),
        Reply.toolCalls(468, 21, new ToolCall("call_2", "lookupInvoice", "{\"invoiceId\":\"INV-1042\"}")),
        Reply.text("You were charged twice for INV-1042; the duplicate 30 EUR is refunded within five days.", 530, 27));
    return fake.baseUrl();
  }

  @Bean
  ChatClient chatClient(ChatClient.Builder builder) {
    return builder.build();
  }

  @Bean
  VectorStore knowledgeBase(EmbeddingModel embeddings, ObservationRegistry observations) {
    SimpleVectorStore store = SimpleVectorStore.builder(embeddings).observationRegistry(observations).build();
    store.add(List.of(new Document("Duplicate charges are refunded within five business days"),
        new Document("Invoices are issued on the first day of each month"),
        new Document("Passwords can be reset from the login page")));
    return store;
  }
}
