package dev.sextant.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Sextant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example as its main runs it, against the fake model and a real Sextant server. */
class ITBillingAgent {

  @Test
  void billingQuestion_oneRunWithRetrievalLlmAndRetriedTool() {
    try (SextantServer server = SextantServer.start(); FakeProvider fake = FakeProvider.start()) {
      Sextant sextant = Sextant.builder().agent("billing-agent-langchain4j").endpoint(server.endpoint())
          .apiKey(SextantServer.API_KEY).mode(Sextant.Mode.INLINE).shutdownHook(false).build();

      String answer = BillingAgent.answer(sextant, BillingAgent.playConversation(fake), "sk-fake");
      sextant.close();

      assertThat(answer).contains("refunded within five days");
      List<String> runIds = server.runIds("billing-agent-langchain4j");
      assertThat(runIds).hasSize(1);
      JsonNode detail = server.runWithSteps(runIds.get(0));
      assertThat(detail.path("run").path("status").asText()).isEqualTo("success");
      assertThat(detail.path("run").path("input_tokens").asLong()).isEqualTo(412 + 468 + 530);
      List<String> steps = new ArrayList<>();
      detail.path("steps").forEach(s -> steps.add(s.path("type").asText() + ":" + s.path("name").asText() + ":"
          + s.path("status").asText()));
      assertThat(steps).containsExactly("retrieval:EmbeddingStoreContentRetriever:ok", "llm:chat:ok",
          "tool:lookupInvoice:error", "llm:chat:ok", "tool:lookupInvoice:ok", "llm:chat:ok");
    }
  }
}
