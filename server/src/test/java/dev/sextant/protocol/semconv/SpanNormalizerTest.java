package dev.sextant.protocol.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.model.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** First match wins, in the documented dialect order; every derived field says where it came from. */
class SpanNormalizerTest {
  private final SpanNormalizer normalizer = new SpanNormalizer(Limits.DEFAULT);

  private SpanFacts facts(Object... keyValues) {
    Map<String, JsonNode> attrs = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) attrs.put((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
    return normalizer.normalize(new SpanView("s", attrs, List.of(), 1_000L, 2_000L, SpanView.STATUS_UNSET, null));
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
      "sextant.step.type, memory, memory",
      "langfuse.observation.type, generation, llm",
      "langfuse.observation.type, retriever, retriever",
      "langfuse.observation.type, span, custom",
      "openinference.span.kind, RERANKER, reranker",
      "openinference.span.kind, EMBEDDING, embedding",
      "gen_ai.operation.name, generate_content, llm",
      "gen_ai.operation.name, embeddings, embedding",
      "gen_ai.operation.name, create_agent, agent",
      "gen_ai.operation.name, invoke_workflow, chain",
      "traceloop.span.kind, workflow, chain",
      "traceloop.span.kind, agent, agent",
      "llm.request.type, completion, llm",
      "langsmith.span.kind, retriever, retrieval",
      "langsmith.span.kind, parser, chain",
      "gen_ai.tool.name, search, tool",
      "llm.model_name, gpt-4o, llm",
  })
  void eachDialect_givesItsStepType(String key, String value, String type) {
    SpanFacts f = facts(key, value);
    assertThat(f.type()).isEqualTo(type);
    assertThat(f.normalization().get("type")).startsWith(key);
  }

  @Test
  void firstDialectInOrderWins() {
    SpanFacts f = facts("gen_ai.operation.name", "chat", "openinference.span.kind", "TOOL",
        "langfuse.observation.type", "agent", "traceloop.span.kind", "task");
    assertThat(f.type()).isEqualTo("agent");
    assertThat(f.normalization()).containsEntry("type", "langfuse.observation.type=agent");
    // the losing type attributes are facts too, and stay
    assertThat(f.metadata().has("gen_ai.operation.name")).isTrue();
  }

  @Test
  void unknownOperationName_fallsThroughAndStaysInMetadata() {
    SpanFacts f = facts("gen_ai.operation.name", "translate", "gen_ai.request.model", "m");
    assertThat(f.type()).isEqualTo("llm");
    assertThat(f.normalization()).containsEntry("type", "gen_ai.request.model present");
    assertThat(f.metadata().get("gen_ai.operation.name").asText()).isEqualTo("translate");
  }

  @Test
  void tokens_currentNamesBeforeDeprecated_openInferenceBeforeGenAi() {
    SpanFacts f = facts("gen_ai.usage.prompt_tokens", 1, "gen_ai.usage.input_tokens", 2, "llm.token_count.prompt", 3,
        "gen_ai.usage.completion_tokens", 4, "gen_ai.usage.output_tokens", 5,
        "gen_ai.usage.reasoning.output_tokens", 6, "llm.cost.prompt", 0.25, "llm.cost.completion", 0.5);
    assertThat(f.inputTokens()).isEqualTo(3);
    assertThat(f.outputTokens()).isEqualTo(5);
    assertThat(f.reasoningTokens()).isEqualTo(6);
    assertThat(f.costUsd()).isEqualTo(0.75);
    assertThat(f.normalization()).containsEntry("input_tokens", "llm.token_count.prompt")
        .containsEntry("output_tokens", "gen_ai.usage.output_tokens")
        .containsEntry("cost_usd", "llm.cost.prompt + llm.cost.completion");
  }

  @Test
  void errorType_marksTheStepFailed_withADocumentedCodeWhenClear() {
    SpanFacts f = facts("gen_ai.operation.name", "chat", "error.type", "openai.RateLimitError");
    assertThat(f.status()).isEqualTo(StepStatus.ERROR);
    assertThat(f.error().type()).isEqualTo("model");
    assertThat(f.error().code()).isEqualTo("rate_limited");
    assertThat(f.normalization()).containsEntry("status", "error.type=openai.RateLimitError");
    assertThat(facts("error.type", "429").error().code()).isEqualTo("rate_limited");
    assertThat(facts("error.type", "_OTHER").error().code()).isEqualTo("internal");
    assertThat(facts("error.type", "ValueError").error().code()).isEqualTo("value_error");
    assertThat(facts("error.type", "server_error").error().code()).isEqualTo("server_error");
  }

  @Test
  void langfuseWarningLevel_isNotAnError() {
    SpanFacts f = facts("langfuse.observation.level", "WARNING", "langfuse.observation.status_message", "slow");
    assertThat(f.status()).isEqualTo(StepStatus.OK);
    assertThat(f.error()).isNull();
    assertThat(f.metadata().get("langfuse.observation.level").asText()).isEqualTo("WARNING");
    assertThat(f.metadata().has("langfuse.observation.status_message")).isFalse();
  }

  @Test
  void contentAttributes_neverReachMetadata() {
    SpanFacts f = facts("gen_ai.system_instructions", "be brief", "gen_ai.input.messages", "[]",
        "llm.output_messages.0.message.content", "ok", "gen_ai.tool.call.arguments", "{\"q\":1}",
        "gen_ai.tool.call.result", "r", "langfuse.trace.input", "t", "tool.name", "search");
    assertThat(f.metadata().fieldNames()).toIterable().containsExactly("tool.name");
    assertThat(f.input().fieldNames()).toIterable()
        .containsExactly("gen_ai.system_instructions", "gen_ai.input.messages", "gen_ai.tool.call.arguments");
    assertThat(f.output().get("gen_ai.tool.call.result").asText()).isEqualTo("r");
    assertThat(f.output().get("llm.output_messages").get(0).get("message").get("content").asText()).isEqualTo("ok");
    assertThat(f.runInput().asText()).isEqualTo("t");
  }
}
