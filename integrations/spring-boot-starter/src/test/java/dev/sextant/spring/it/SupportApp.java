package dev.sextant.spring.it;

import dev.sextant.spring.AgentRun;
import dev.sextant.spring.Step;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;

/** A small Spring AI support agent: a chat client with a billing tool and a knowledge base. */
@SpringBootApplication
class SupportApp {

  /** Fails its first call, as a flaky backend would, then answers. */
  static class BillingTools {
    final AtomicInteger calls = new AtomicInteger();

    @Tool(description = "Looks up an invoice by id")
    String lookupInvoice(@ToolParam(description = "the invoice id") String invoiceId) {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("billing backend unavailable");
      }
      return "invoice " + invoiceId + ": 2 charges of 30 EUR";
    }
  }

  /**
   * Steps of the application, in a bean of their own: Spring AOP traces calls that come through the
   * bean's proxy, not a bean's calls of its own methods.
   */
  static class TicketSteps {

    @Step(type = "plan", name = "classify_ticket")
    String classify(String question) {
      return question.contains("charged") ? "billing" : "other";
    }

    @Step(type = "tool")
    String notifyHuman(String question) {
      throw new IllegalStateException("pager service returned 503");
    }
  }

  /** The application's own service; its methods are traced by the annotations. */
  static class SupportService {
    private final ChatClient chat;
    private final BillingTools tools;
    private final VectorStore knowledge;
    private final TicketSteps steps;

    SupportService(ChatClient chat, BillingTools tools, VectorStore knowledge, TicketSteps steps) {
      this.chat = chat;
      this.tools = tools;
      this.knowledge = knowledge;
      this.steps = steps;
    }

    /** One chat client call with the tool and retrieval-augmented generation. */
    String answer(String question) {
      return chat.prompt().user(question).tools(tools)
          .advisors(QuestionAnswerAdvisor.builder(knowledge).build()).call().content();
    }

    /** The same call streamed: the answer arrives as pieces of text. */
    Flux<String> answerStreaming(String question) {
      return chat.prompt().user(question).tools(tools).stream().content();
    }

    @AgentRun("handle_ticket")
    String handleTicket(String question) {
      String category = steps.classify(question);
      return category + ": " + chat.prompt().user(question).call().content();
    }

    @AgentRun
    String escalate(String question) {
      return steps.notifyHuman(question);
    }
  }

  @Bean
  ChatClient chatClient(ChatClient.Builder builder) {
    return builder.build();
  }

  @Bean
  BillingTools billingTools() {
    return new BillingTools();
  }

  @Bean
  VectorStore knowledge(EmbeddingModel embeddings, ObservationRegistry observations) {
    SimpleVectorStore store = SimpleVectorStore.builder(embeddings).observationRegistry(observations).build();
    store.add(List.of(new Document("Duplicate charges are refunded within five days"),
        new Document("Invoices are issued on the first day of each month"),
        new Document("Passwords can be reset from the login page")));
    return store;
  }

  @Bean
  TicketSteps ticketSteps() {
    return new TicketSteps();
  }

  @Bean
  SupportService supportService(ChatClient chat, BillingTools tools, VectorStore knowledge, TicketSteps steps) {
    return new SupportService(chat, tools, knowledge, steps);
  }
}
