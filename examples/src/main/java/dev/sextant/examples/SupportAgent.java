package dev.sextant.examples;

import dev.sextant.sdk.Run;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.Stats;
import dev.sextant.sdk.Step;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A customer-support agent that answers a billing question. The billing API answers 503 twice
 * before it succeeds, so the run shows three attempts of one tool call and still ends in success.
 *
 * <p>Run it against a local server with {@code mvn -q -pl examples -am compile -Dexample=SupportAgent};
 * it reads {@code SEXTANT_ENDPOINT} (default {@code http://localhost:8000}) and {@code SEXTANT_API_KEY}.
 */
public final class SupportAgent {

  private SupportAgent() {}

  public static void main(String[] args) {
    Sextant sextant = Sextant.builder()
        .agent("support-agent")
        .agentVersion("v1.0.0")
        .environment("development")
        .label("team", "billing")
        .build();
    String runId = handleTicket(sextant, "conv-42", "Why was I charged twice this month?");
    boolean flushed = sextant.flush(Duration.ofSeconds(10));
    sextant.close();
    Stats stats = sextant.stats();
    System.out.println("run " + runId + " sent to " + endpoint() + (flushed ? "" : " (flush timed out)"));
    System.out.println("records produced=" + stats.produced() + " exported=" + stats.exported()
        + " dropped=" + stats.dropped() + " failed=" + stats.failed());
  }

  /** Handles one ticket in one run and returns the run's id. */
  public static String handleTicket(Sextant sextant, String sessionId, String question) {
    FlakyBillingApi billing = new FlakyBillingApi(2);
    try (Run run = sextant.startRun("handle_ticket")) {
      run.sessionId(sessionId).label("channel", "chat").metadata("ticket_priority", "high");
      run.input(question);

      try (Step plan = run.step("plan", "analyze_query")) {
        plan.metadata("intent", "billing_dispute").metadata("confidence", 0.93);
        pause(15);
      }

      List<String> documents = run.step("retrieval", "search_knowledge_base", step -> {
        pause(25);
        List<String> hits = List.of("kb-118", "kb-204", "kb-377");
        step.metadata("hits", hits.size()).metadata("index", "support-kb-v3");
        return hits;
      });

      Map<String, Object> invoice;
      try {
        invoice = run.retry("tool", "billing_api", 3, Duration.ofMillis(50), step -> {
          step.metadata("endpoint", "/v1/invoices");
          Map<String, Object> result = billing.lastInvoices("cust-981");
          step.metadata("http_status", 200);
          return result;
        });
      } catch (IOException e) {
        run.recordFailure("tool", "unavailable", "billing_api failed three times");
        return run.id();
      }

      String answer;
      try (Step llm = run.stream("generate_answer")) {
        llm.model("gpt-4o-mini").provider("openai");
        pause(120);
        StringBuilder text = new StringBuilder();
        String[] chunks = {"You were charged twice ", "because invoice INV-77 was retried; ", "the duplicate is refunded."};
        for (int i = 0; i < chunks.length; i++) {
          llm.emit("chunk", Map.of("index", i, "chars", chunks[i].length()));
          text.append(chunks[i]);
          pause(20);
        }
        llm.tokens(512 + 40 * documents.size(), 128).costUsd(0.0031).metadata("documents", documents.size());
        answer = text.toString();
      }

      try (Step guardrail = run.step("guardrail", "pii_check")) {
        guardrail.metadata("passed", true).metadata("checks", 4);
        pause(5);
      }

      try (Step respond = run.step("respond", "send_reply")) {
        respond.metadata("channel", "chat").metadata("refund_invoice", String.valueOf(invoice.get("invoice")));
        pause(10);
      }
      run.output(answer);
      return run.id();
    }
  }

  static String endpoint() {
    String e = System.getenv("SEXTANT_ENDPOINT");
    return e == null || e.isBlank() ? "http://localhost:8000" : e;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A billing API that answers 503 a given number of times before it works. */
  static final class FlakyBillingApi {
    private int failuresLeft;

    FlakyBillingApi(int failures) {
      this.failuresLeft = failures;
    }

    Map<String, Object> lastInvoices(String customer) throws IOException {
      pause(30);
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new IOException("billing_api answered HTTP 503 Service Unavailable");
      }
      return Map.of("customer", customer, "invoice", "INV-77", "amount_eur", 49.0);
    }
  }
}
