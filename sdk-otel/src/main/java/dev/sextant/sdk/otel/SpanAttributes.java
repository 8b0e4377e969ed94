package dev.sextant.sdk.otel;

import dev.sextant.sdk.Failure;
import dev.sextant.sdk.RunData;
import dev.sextant.sdk.StepData;
import dev.sextant.sdk.StepError;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Map;

/**
 * The attributes a run or step span carries: OpenTelemetry GenAI semantic conventions where one
 * exists, {@code sextant.*} for the rest. The list is part of the contract with the server's OTLP
 * decoder and is documented in {@code docs/sdk.md}.
 */
final class SpanAttributes {

  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("sextant.run.id");
  static final AttributeKey<String> RUN_NAME = AttributeKey.stringKey("sextant.run.name");
  static final AttributeKey<String> RUN_STATUS = AttributeKey.stringKey("sextant.run.status");
  static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("sextant.agent.id");
  static final AttributeKey<String> AGENT_VERSION = AttributeKey.stringKey("sextant.agent.version");
  static final AttributeKey<String> ENVIRONMENT = AttributeKey.stringKey("sextant.environment");
  static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("sextant.session.id");
  static final AttributeKey<String> FAILURE_TYPE = AttributeKey.stringKey("sextant.failure.type");
  static final AttributeKey<String> FAILURE_CODE = AttributeKey.stringKey("sextant.failure.code");
  static final AttributeKey<String> FAILURE_MESSAGE = AttributeKey.stringKey("sextant.failure.message");
  static final AttributeKey<String> FAILURE_STEP_ID = AttributeKey.stringKey("sextant.failure.step_id");
  static final AttributeKey<String> STEP_ID = AttributeKey.stringKey("sextant.step.id");
  static final AttributeKey<String> STEP_PARENT_ID = AttributeKey.stringKey("sextant.step.parent_id");
  static final AttributeKey<String> STEP_TYPE = AttributeKey.stringKey("sextant.step.type");
  static final AttributeKey<Long> STEP_SEQ = AttributeKey.longKey("sextant.step.seq");
  static final AttributeKey<String> STEP_STATUS = AttributeKey.stringKey("sextant.step.status");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("sextant.attempt");
  static final AttributeKey<String> RETRY_OF = AttributeKey.stringKey("sextant.retry_of");
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("sextant.cost_usd");
  static final AttributeKey<Double> TTFT_MS = AttributeKey.doubleKey("sextant.time_to_first_token_ms");
  static final AttributeKey<Long> EVENTS_DROPPED = AttributeKey.longKey("sextant.events_dropped");

  static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> GEN_AI_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> GEN_AI_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> GEN_AI_TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> GEN_AI_AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> GEN_AI_CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private SpanAttributes() {}

  static io.opentelemetry.api.common.Attributes runAttributes(RunData run) {
    AttributesBuilder b = io.opentelemetry.api.common.Attributes.builder();
    b.put(RUN_ID, run.runId());
    putIfSet(b, RUN_NAME, run.name());
    b.put(RUN_STATUS, run.status().wireName());
    putIfSet(b, AGENT_ID, run.agentId());
    putIfSet(b, AGENT_VERSION, run.agentVersion());
    putIfSet(b, ENVIRONMENT, run.environment());
    putIfSet(b, SESSION_ID, run.sessionId());
    b.put(GEN_AI_OPERATION, "invoke_agent");
    putIfSet(b, GEN_AI_AGENT_NAME, run.agentId());
    putIfSet(b, GEN_AI_CONVERSATION_ID, run.sessionId());
    for (Map.Entry<String, String> label : run.labels().entrySet()) {
      b.put("sextant.label." + label.getKey(), label.getValue());
    }
    Failure failure = run.failure();
    if (failure != null) {
      b.put(FAILURE_TYPE, failure.type());
      b.put(FAILURE_CODE, failure.code());
      putIfSet(b, FAILURE_MESSAGE, failure.message());
      putIfSet(b, FAILURE_STEP_ID, failure.stepId());
      b.put(ERROR_TYPE, failure.code());
    }
    putAll(b, "sextant.metadata.", run.metadata());
    return b.build();
  }

  static io.opentelemetry.api.common.Attributes stepAttributes(StepData step, String agentId) {
    AttributesBuilder b = io.opentelemetry.api.common.Attributes.builder();
    b.put(RUN_ID, step.runId());
    putIfSet(b, AGENT_ID, agentId);
    b.put(STEP_ID, step.stepId());
    b.put(STEP_TYPE, step.type());
    b.put(STEP_SEQ, (long) step.seq());
    b.put(STEP_STATUS, step.status().wireName());
    b.put(ATTEMPT, (long) step.attempt());
    putIfSet(b, RETRY_OF, step.retryOf());
    String operation = operation(step.type());
    if (operation != null) {
      b.put(GEN_AI_OPERATION, operation);
    }
    if ("tool".equals(step.type())) {
      b.put(GEN_AI_TOOL_NAME, step.name());
    }
    putIfSet(b, GEN_AI_MODEL, step.model());
    putIfSet(b, GEN_AI_PROVIDER, step.provider());
    putIfSet(b, GEN_AI_SYSTEM, step.provider());
    if (step.inputTokens() != null) {
      b.put(GEN_AI_INPUT_TOKENS, step.inputTokens());
    }
    if (step.outputTokens() != null) {
      b.put(GEN_AI_OUTPUT_TOKENS, step.outputTokens());
    }
    if (step.costUsd() != null) {
      b.put(COST_USD, step.costUsd());
    }
    if (step.timeToFirstTokenMs() != null) {
      b.put(TTFT_MS, step.timeToFirstTokenMs());
    }
    StepError error = step.error();
    if (error != null) {
      b.put(FAILURE_TYPE, error.type());
      b.put(FAILURE_CODE, error.code());
      putIfSet(b, FAILURE_MESSAGE, error.message());
      b.put(ERROR_TYPE, error.code());
    }
    if (step.eventsDropped() > 0) {
      b.put(EVENTS_DROPPED, (long) step.eventsDropped());
    }
    putAll(b, "sextant.metadata.", step.metadata());
    return b.build();
  }

  /** The GenAI operation a step type stands for, or {@code null}. */
  static String operation(String stepType) {
    switch (stepType) {
      case "llm":
      case "stream":
        return "chat";
      case "embedding":
        return "embeddings";
      case "tool":
        return "execute_tool";
      case "agent":
        return "invoke_agent";
      default:
        return null;
    }
  }

  static SpanKind kind(String stepType) {
    return "llm".equals(stepType) || "embedding".equals(stepType) || "stream".equals(stepType)
        ? SpanKind.CLIENT
        : SpanKind.INTERNAL;
  }

  static void putAll(AttributesBuilder b, String prefix, Map<String, Object> values) {
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      String key = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof Long || value instanceof Integer) {
        b.put(key, ((Number) value).longValue());
      } else if (value instanceof Double || value instanceof Float) {
        b.put(key, ((Number) value).doubleValue());
      } else if (value instanceof Boolean bool) {
        b.put(key, bool);
      } else if (value != null) {
        b.put(key, value.toString());
      }
    }
  }

  private static void putIfSet(AttributesBuilder b, AttributeKey<String> key, String value) {
    if (value != null) {
      b.put(key, value);
    }
  }
}
