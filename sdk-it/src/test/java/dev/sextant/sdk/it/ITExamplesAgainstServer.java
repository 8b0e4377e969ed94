package dev.sextant.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.examples.FailureTypes;
import dev.sextant.examples.SupportAgent;
import dev.sextant.integrations.testing.SextantServer;
import dev.sextant.sdk.Sextant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The two example agents, sent to the real server, read back as they are meant to. */
class ITExamplesAgainstServer {

  @RegisterExtension
  static final SextantServer server = new SextantServer();

  private static Sextant sdk(String agent) {
    return Sextant.builder().agent(agent).agentVersion("v1.0.0").environment("test")
        .endpoint(server.endpoint()).apiKey(SextantServer.API_KEY).mode(Sextant.Mode.INLINE).build();
  }

  @Test
  void supportAgent_succeedsAfterTwoRetries() throws Exception {
    Sextant sextant = sdk("support-agent");
    String runId = SupportAgent.handleTicket(sextant, "conv-42", "Why was I charged twice?");
    sextant.close();
    assertThat(sextant.stats().failed()).isZero();

    JsonNode detail = server.get("/v1/runs/" + runId);
    JsonNode run = detail.get("run");
    assertThat(run.get("status").asText()).isEqualTo("success");
    assertThat(run.get("retry_count").asInt()).isEqualTo(2);
    assertThat(run.get("session_id").asText()).isEqualTo("conv-42");
    List<String> billing = new ArrayList<>();
    detail.get("steps").forEach(s -> {
      if (s.get("name").asText().equals("billing_api")) {
        billing.add(s.get("attempt").asInt() + ":" + s.get("status").asText());
      }
    });
    assertThat(billing).containsExactly("1:error", "2:error", "3:ok");
  }

  @Test
  void failureTypes_oneFailedRunPerType() throws Exception {
    Sextant sextant = sdk("failure-demo-agent");
    List<String> runIds = FailureTypes.runAll(sextant);
    sextant.close();
    assertThat(sextant.stats().failed()).isZero();

    List<String> failures = new ArrayList<>();
    for (String runId : runIds) {
      JsonNode detail = server.get("/v1/runs/" + runId);
      assertThat(detail.get("run").get("status").asText()).isEqualTo("failure");
      failures.add(detail.get("failure").get("type").asText() + "/" + detail.get("failure").get("code").asText());
    }
    assertThat(failures).containsExactly("tool/timeout", "model/rate_limited", "retrieval/empty_result",
        "orchestration/max_iterations", "guardrail/pii_detected", "unknown/internal");
  }
}
