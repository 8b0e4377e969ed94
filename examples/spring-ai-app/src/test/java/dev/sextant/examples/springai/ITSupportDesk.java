package dev.sextant.examples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.integrations.testing.FakeProvider;
import dev.sextant.integrations.testing.SextantServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The example application as its main starts it, against the fake model and a real Sextant server. */
class ITSupportDesk {

  @Test
  void ticket_oneRunWithPlanChatClientRetrievalAndRetriedTool() {
    try (SextantServer server = SextantServer.start(); FakeProvider fake = FakeProvider.start();
        ConfigurableApplicationContext app = SupportDesk.start(Map.of(
            "spring.ai.openai.base-url", SupportDesk.playConversation(fake),
            "spring.ai.openai.api-key", "sk-fake",
            "sextant.endpoint", server.endpoint(),
            "sextant.api-key", SextantServer.API_KEY,
            "sextant.mode", "inline"))) {

      String answer = app.getBean(Desk.class).handleTicket("Why was I charged twice on invoice INV-1042?");

      assertThat(answer).contains("refunded within five days");
      List<String> runIds = server.runIds("support-desk-spring-ai");
      assertThat(runIds).hasSize(1);
      JsonNode detail = server.runWithSteps(runIds.get(0));
      assertThat(detail.path("run").path("name").asText()).isEqualTo("handle_ticket");
      assertThat(detail.path("run").path("agent_version").asText()).isEqualTo("v1.0.0");
      assertThat(detail.path("run").path("status").asText()).isEqualTo("success");
      List<String> steps = new ArrayList<>();
      detail.path("steps").forEach(s -> steps.add(s.path("type").asText() + ":" + s.path("name").asText() + ":"
          + s.path("status").asText()));
      assertThat(steps).startsWith("plan:classify_ticket:ok", "agent:chat_client:ok", "chain:Tool Calling Advisor:ok")
          .containsSubsequence("tool:lookupInvoice:error", "tool:lookupInvoice:ok")
          .filteredOn(s -> s.startsWith("llm:")).hasSize(3);
      assertThat(steps).filteredOn(s -> s.startsWith("retrieval:simple.query")).hasSize(3);
    }
  }
}
