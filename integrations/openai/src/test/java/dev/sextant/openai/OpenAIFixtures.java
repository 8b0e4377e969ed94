package dev.sextant.openai;

import java.util.List;

/** Answers of the OpenAI HTTP API as it sends them, trimmed to the fields that matter here. */
final class OpenAIFixtures {

  private OpenAIFixtures() {}

  static final String CHAT_WITH_TOOL_CALL = """
      {"id":"chatcmpl-abc123","object":"chat.completion","created":1764670000,"model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
         "tool_calls":[{"id":"call_weather_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
         "logprobs":null,"finish_reason":"tool_calls"}],
       "usage":{"prompt_tokens":512,"completion_tokens":128,"total_tokens":640,
         "prompt_tokens_details":{"cached_tokens":384,"audio_tokens":0},
         "completion_tokens_details":{"reasoning_tokens":64,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
       "service_tier":"default","system_fingerprint":"fp_0123456789"}""";

  static final String CHAT_STOP = """
      {"id":"chatcmpl-def456","object":"chat.completion","created":1764670001,"model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny in Paris.","refusal":null},
         "logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":20,"completion_tokens":7,"total_tokens":27}}""";

  static List<String> chatStream() {
    String head = "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1764670002,\"model\":\"gpt-4o-2024-08-06\",";
    return List.of(
        "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n",
        "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}],\"usage\":null}\n\n",
        "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":null}],\"usage\":null}\n\n",
        "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
        "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n",
        "data: [DONE]\n\n");
  }

  static final String RESPONSE = """
      {"id":"resp_123","object":"response","created_at":1764670003,"status":"completed","error":null,
       "incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-4.1-2025-04-14",
       "output":[{"type":"function_call","id":"fc_1","call_id":"call_lookup_1","name":"lookup_order","arguments":"{}","status":"completed"}],
       "parallel_tool_calls":true,"previous_response_id":null,"temperature":1.0,"tool_choice":"auto","tools":[],"top_p":1.0,
       "truncation":"disabled","metadata":{},
       "usage":{"input_tokens":300,"input_tokens_details":{"cached_tokens":100},"output_tokens":40,
         "output_tokens_details":{"reasoning_tokens":16},"total_tokens":340}}""";

  static List<String> responseStream() {
    String completed = RESPONSE.replace("\n", "").replace("\"output\":[{\"type\":\"function_call\",\"id\":\"fc_1\","
        + "\"call_id\":\"call_lookup_1\",\"name\":\"lookup_order\",\"arguments\":\"{}\",\"status\":\"completed\"}]", "\"output\":[]");
    return List.of(
        "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
            + completed.replace("\"completed\"", "\"in_progress\"") + "}\n\n",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
            + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Your order\",\"logprobs\":[]}\n\n",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
            + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" shipped.\",\"logprobs\":[]}\n\n",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":3,\"response\":" + completed + "}\n\n");
  }

  static final String EMBEDDINGS = """
      {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]},
        {"object":"embedding","index":1,"embedding":[0.4,0.5,0.6]}],
       "model":"text-embedding-3-small","usage":{"prompt_tokens":9,"total_tokens":9}}""";

  static final String RATE_LIMITED = """
      {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-test on tokens per min (TPM): Limit 200000, Used 199990, Requested 512.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""";

  static final String BAD_KEY = """
      {"error":{"message":"Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";

  static final String CONTEXT_TOO_LONG = """
      {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""";
}
