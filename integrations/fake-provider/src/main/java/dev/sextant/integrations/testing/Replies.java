package dev.sextant.integrations.testing;

import static dev.sextant.integrations.testing.FakeProvider.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.integrations.testing.FakeProvider.Reply;
import dev.sextant.integrations.testing.FakeProvider.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** The JSON and event-stream bodies the fake answers with, shaped like OpenAI's. */
final class Replies {

  private static final AtomicLong IDS = new AtomicLong();
  private static final long CREATED = 1_764_633_600L;

  private Replies() {}

  static String errorBody(String type, String code, String message) {
    ObjectNode error = JSON.createObjectNode();
    error.put("message", message).put("type", type).putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("error", error);
    return body.toString();
  }

  static String completion(Reply reply) {
    ObjectNode body = header(reply, "chat.completion");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", reply.text());
    message.putNull("refusal");
    if (!reply.toolCalls().isEmpty()) {
      ArrayNode calls = message.putArray("tool_calls");
      for (ToolCall call : reply.toolCalls()) {
        ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
      }
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", reply.finishReason());
    body.set("usage", usage(reply));
    return body.toString();
  }

  /**
   * The answer as server-sent events: a role chunk, the text in words (or each tool call as a name
   * chunk and an arguments chunk), a finish chunk, a usage chunk when asked for, then {@code [DONE]}.
   */
  static String events(Reply reply, boolean includeUsage) {
    List<ObjectNode> chunks = new ArrayList<>();
    chunks.add(chunk(reply, delta -> delta.put("role", "assistant").put("content", ""), null));
    if (reply.text() != null) {
      for (String piece : reply.text().split("(?<= )")) {
        chunks.add(chunk(reply, delta -> delta.put("content", piece), null));
      }
    }
    for (int i = 0; i < reply.toolCalls().size(); i++) {
      ToolCall call = reply.toolCalls().get(i);
      int index = i;
      chunks.add(chunk(reply, delta -> {
        ObjectNode c = delta.putArray("tool_calls").addObject().put("index", index).put("id", call.id()).put("type", "function");
        c.putObject("function").put("name", call.name()).put("arguments", "");
      }, null));
      chunks.add(chunk(reply, delta -> delta.putArray("tool_calls").addObject().put("index", index)
          .putObject("function").put("arguments", call.arguments()), null));
    }
    chunks.add(chunk(reply, delta -> { }, reply.finishReason()));
    if (includeUsage) {
      ObjectNode last = header(reply, "chat.completion.chunk");
      last.putArray("choices");
      last.set("usage", usage(reply));
      chunks.add(last);
    }
    StringBuilder out = new StringBuilder();
    for (ObjectNode c : chunks) {
      out.append("data: ").append(c).append("\n\n");
    }
    return out.append("data: [DONE]\n\n").toString();
  }

  static String embeddings(JsonNode request, int dimensions) {
    List<String> inputs = new ArrayList<>();
    JsonNode input = request.path("input");
    if (input.isArray()) {
      input.forEach(i -> inputs.add(i.asText()));
    } else {
      inputs.add(input.asText());
    }
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (float v : vector(inputs.get(i), dimensions)) {
        vector.add(v);
      }
      tokens += inputs.get(i).split("\\s+").length;
    }
    body.put("model", request.path("model").asText("text-embedding-3-small"));
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return body.toString();
  }

  /** A normalised bag-of-words vector: each lower-cased word of four or more letters adds 1 to a hashed bucket. */
  static float[] vector(String text, int dimensions) {
    float[] v = new float[dimensions];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
      if (word.length() >= 4) {
        v[Math.floorMod(word.hashCode(), dimensions)] += 1;
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  private static ObjectNode header(Reply reply, String object) {
    return JSON.createObjectNode()
        .put("id", "chatcmpl-fake" + IDS.incrementAndGet())
        .put("object", object)
        .put("created", CREATED)
        .put("model", reply.model())
        .put("system_fingerprint", "fp_fake");
  }

  private static ObjectNode chunk(Reply reply, java.util.function.Consumer<ObjectNode> fillDelta, String finishReason) {
    ObjectNode chunk = header(reply, "chat.completion.chunk");
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    fillDelta.accept(choice.putObject("delta"));
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private static ObjectNode usage(Reply reply) {
    ObjectNode usage = JSON.createObjectNode()
        .put("prompt_tokens", reply.promptTokens())
        .put("completion_tokens", reply.completionTokens())
        .put("total_tokens", reply.promptTokens() + reply.completionTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", reply.cachedTokens()).put("audio_tokens", 0);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", reply.reasoningTokens())
        .put("audio_tokens", 0).put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
    return usage;
  }
}
