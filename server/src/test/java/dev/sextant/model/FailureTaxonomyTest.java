package dev.sextant.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureTaxonomyTest {
  @Test
  void failureType_followsTheStepType_forEveryDocumentedStepType() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("tool", "tool");
    expected.put("llm", "model");
    expected.put("embedding", "model");
    expected.put("stream", "model");
    expected.put("retrieval", "retrieval");
    expected.put("rerank", "retrieval");
    expected.put("memory", "retrieval");
    expected.put("guardrail", "guardrail");
    expected.put("evaluator", "guardrail");
    expected.put("agent", "orchestration");
    expected.put("plan", "orchestration");
    expected.put("chain", "orchestration");
    expected.put("respond", "orchestration");
    expected.put("custom", "unknown");
    expected.put("my_own_type", "unknown");
    expected.forEach((step, failure) -> assertThat(FailureTaxonomy.failureType(step)).as(step).isEqualTo(failure));
    assertThat(FailureTaxonomy.failureType(null)).isEqualTo("unknown");
    assertThat(FailureTaxonomy.TYPES).containsAll(FailureTaxonomy.failureTypes().values());
  }

  @Test
  void stepStatus_isTimeoutOrCancelledWhenTheCodeSaysSo() {
    assertThat(FailureTaxonomy.stepStatus("timeout")).isEqualTo(StepStatus.TIMEOUT);
    assertThat(FailureTaxonomy.stepStatus("cancelled")).isEqualTo(StepStatus.CANCELLED);
    assertThat(FailureTaxonomy.stepStatus("rate_limited")).isEqualTo(StepStatus.ERROR);
    assertThat(FailureTaxonomy.stepStatus(null)).isEqualTo(StepStatus.ERROR);
  }

  @Test
  void documentedCode_readsExceptionAndErrorNames() {
    assertThat(FailureTaxonomy.documentedCode("TimeoutError")).isEqualTo("timeout");
    assertThat(FailureTaxonomy.documentedCode("DEADLINE_EXCEEDED")).isEqualTo("timeout");
    assertThat(FailureTaxonomy.documentedCode("openai.RateLimitError")).isEqualTo("rate_limited");
    assertThat(FailureTaxonomy.documentedCode("TooManyRequestsException")).isEqualTo("rate_limited");
    assertThat(FailureTaxonomy.documentedCode("PermissionDeniedError")).isEqualTo("auth_failed");
    assertThat(FailureTaxonomy.documentedCode("context_length_exceeded")).isEqualTo("context_overflow");
    assertThat(FailureTaxonomy.documentedCode("CancelledError")).isEqualTo("cancelled");
    assertThat(FailureTaxonomy.documentedCode("GraphRecursionLimitError")).isEqualTo("max_iterations");
    assertThat(FailureTaxonomy.documentedCode("JSONDecodeError")).isEqualTo("malformed_output");
    assertThat(FailureTaxonomy.documentedCode("ToolNotFoundError")).isEqualTo("tool_not_found");
    assertThat(FailureTaxonomy.documentedCode("KeyError")).isNull();
    assertThat(FailureTaxonomy.documentedCode(null)).isNull();
  }
}
