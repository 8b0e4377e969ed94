package dev.sextant.anthropic;

import java.util.List;

/** Answers of the Anthropic Messages API as it sends them. */
final class AnthropicFixtures {

  private AnthropicFixtures() {}

  static final String TOOL_USE = """
      {"id":"msg_01A","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
       "content":[{"type":"text","text":"Let me check the order."},
         {"type":"tool_use","id":"toolu_01","name":"lookup_order","input":{"order_id":"A-17"}}],
       "stop_reason":"tool_use","stop_sequence":null,
       "usage":{"input_tokens":210,"cache_creation_input_tokens":0,"cache_read_input_tokens":1000,"output_tokens":55}}""";

  static final String END_TURN = """
      {"id":"msg_01B","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
       "content":[{"type":"text","text":"Your order shipped."}],
       "stop_reason":"end_turn","stop_sequence":null,
       "usage":{"input_tokens":30,"output_tokens":6}}""";

  static List<String> stream() {
    return List.of(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01C\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
            + "\"id\":\"toolu_02\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
            + "\"partial_json\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":15}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  static final String RATE_LIMITED = """
      {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization of 50 input tokens per minute."},"request_id":"req_011"}""";

  static final String OVERLOADED = """
      {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_012"}""";

  static final String BAD_KEY = """
      {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_013"}""";

  static final String PROMPT_TOO_LONG = """
      {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"},"request_id":"req_014"}""";
}
