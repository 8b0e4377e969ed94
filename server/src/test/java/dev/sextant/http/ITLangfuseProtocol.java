package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Langfuse's {@code POST /api/public/ingestion} driven by hand: every event type, unordered
 * events, per-event errors inside a 207, envelope replays, and JSON bodies on every response.
 */
class ITLangfuseProtocol {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final String BASIC = "Basic " + Base64.getEncoder()
      .encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));

  @BeforeAll
  static void start() {
    server.contentPolicy("full");
  }

  static JsonNode json(String s) {
    return Json.read(s);
  }

  static String id() {
    return UUID.randomUUID().toString();
  }

  /** One envelope; {@code body} is a JSON object text. */
  static String event(String envelopeId, String type, String timestamp, String body) {
    return "{\"id\":\"" + envelopeId + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + timestamp + "\",\"body\":"
        + body + "}";
  }

  static TestServer.Response ingest(String auth, List<String> events) {
    String body = "{\"batch\":[" + String.join(",", events) + "],\"metadata\":{\"sdk_name\":\"test\"}}";
    return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/public/ingestion"))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static JsonNode ingest207(List<String> events) {
    TestServer.Response r = ingest(BASIC, events);
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    return json(r.body());
  }

  static JsonNode run(String traceId) {
    TestServer.Response r = server.get("/v1/runs/" + traceId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return json(r.body());
  }

  static JsonNode step(String traceId, String stepId) {
    TestServer.Response r = server.get("/v1/runs/" + traceId + "/steps/" + stepId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return json(r.body());
  }

  static List<String> successIds(JsonNode response) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : response.path("successes")) {
      assertThat(s.path("status").asInt()).isEqualTo(201);
      out.add(s.path("id").asText());
    }
    return out;
  }

  @Test
  void everyObservationType_becomesAStepOfItsKind() {
    String trace = id();
    List<String> events = new ArrayList<>();
    List<String> envelopes = new ArrayList<>();
    events.add(event(next(envelopes), "trace-create", "2026-11-22T10:00:00.000Z", "{\"id\":\"" + trace
        + "\",\"timestamp\":\"2026-11-22T10:00:00.000Z\",\"name\":\"router\",\"release\":\"r-7\","
        + "\"environment\":\"production\"}"));
    String[][] kinds = {
        {"agent-create", "agent"}, {"tool-create", "tool"}, {"chain-create", "chain"},
        {"retriever-create", "retrieval"}, {"evaluator-create", "evaluator"}, {"embedding-create", "embedding"},
        {"guardrail-create", "guardrail"}, {"span-create", "custom"}, {"generation-create", "llm"},
        {"event-create", "event"}};
    List<String> stepIds = new ArrayList<>();
    for (int i = 0; i < kinds.length; i++) {
      String obs = id();
      stepIds.add(obs);
      events.add(event(next(envelopes), kinds[i][0], "2026-11-22T10:00:01.000Z", "{\"id\":\"" + obs
          + "\",\"traceId\":\"" + trace + "\",\"name\":\"" + kinds[i][0] + "\",\"startTime\":\"2026-11-22T10:00:0"
          + (i % 9) + ".000Z\",\"endTime\":\"2026-11-22T10:00:0" + (i % 9) + ".100Z\"}"));
    }
    String legacy = id();
    events.add(event(next(envelopes), "observation-create", "2026-11-22T10:00:01.000Z", "{\"id\":\"" + legacy
        + "\",\"type\":\"GENERATION\",\"traceId\":\"" + trace + "\",\"name\":\"old\",\"model\":\"m0\"}"));
    events.add(event(next(envelopes), "sdk-log", "2026-11-22T10:00:01.000Z", "{\"log\":\"hello\"}"));

    JsonNode r = ingest207(events);
    assertThat(r.path("errors")).isEmpty();
    assertThat(successIds(r)).isEqualTo(envelopes);

    JsonNode run = run(trace);
    assertThat(run.at("/run/agent_id").asText()).as("trace name stands for the agent").isEqualTo("router");
    assertThat(run.at("/run/agent_version").asText()).isEqualTo("r-7");
    assertThat(run.at("/run/environment").asText()).isEqualTo("production");
    assertThat(run.at("/run/step_count").asInt()).isEqualTo(kinds.length + 1);
    for (int i = 0; i < kinds.length; i++) {
      JsonNode s = step(trace, stepIds.get(i));
      assertThat(s.path("type").asText()).as(kinds[i][0]).isEqualTo(kinds[i][1]);
      assertThat(s.path("status").asText()).as(kinds[i][0]).isEqualTo("ok");
      assertThat(s.at("/normalization/type").asText()).isEqualTo("langfuse " + kinds[i][0]);
    }
    assertThat(step(trace, legacy).path("type").asText()).isEqualTo("llm");
  }

  private static String next(List<String> envelopes) {
    String e = id();
    envelopes.add(e);
    return e;
  }

  @Test
  void unorderedEvents_updatesApplyAfterCreates() {
    String trace = id();
    String gen = id();
    String span = id();
    JsonNode r = ingest207(List.of(
        event(id(), "score-create", "2026-11-22T10:00:03.000Z", "{\"id\":\"" + id() + "\",\"name\":\"helpful\","
            + "\"value\":1,\"dataType\":\"BOOLEAN\",\"traceId\":\"" + trace + "\",\"observationId\":\"" + gen + "\"}"),
        event(id(), "generation-update", "2026-11-22T10:00:02.000Z", "{\"id\":\"" + gen + "\",\"traceId\":\"" + trace
            + "\",\"endTime\":\"2026-11-22T10:00:02.000Z\",\"output\":\"done\",\"completionStartTime\":"
            + "\"2026-11-22T10:00:01.250Z\",\"usageDetails\":{\"prompt_tokens\":20,\"completion_tokens\":5,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":8},\"completion_tokens_details\":{\"reasoning_tokens\":2}},"
            + "\"costDetails\":{\"input\":0.001,\"output\":0.002}}"),
        event(id(), "span-update", "2026-11-22T10:00:02.500Z", "{\"id\":\"" + span + "\",\"traceId\":\"" + trace
            + "\",\"endTime\":\"2026-11-22T10:00:02.500Z\",\"level\":\"WARNING\",\"statusMessage\":\"slow cache\"}"),
        event(id(), "generation-create", "2026-11-22T10:00:01.000Z", "{\"id\":\"" + gen + "\",\"traceId\":\"" + trace
            + "\",\"parentObservationId\":\"" + span + "\",\"name\":\"llm\",\"model\":\"gpt-x\","
            + "\"startTime\":\"2026-11-22T10:00:01.000Z\",\"input\":\"q\",\"output\":\"partial\"}"),
        event(id(), "span-create", "2026-11-22T10:00:00.900Z", "{\"id\":\"" + span + "\",\"traceId\":\"" + trace
            + "\",\"name\":\"plan\",\"startTime\":\"2026-11-22T10:00:00.900Z\"}"),
        event(id(), "trace-create", "2026-11-22T10:00:03.500Z", "{\"id\":\"" + trace + "\",\"output\":{\"ok\":true}}"),
        event(id(), "trace-create", "2026-11-22T10:00:00.500Z", "{\"id\":\"" + trace + "\",\"timestamp\":"
            + "\"2026-11-22T10:00:00.500Z\",\"name\":\"chat\",\"metadata\":{\"agent_id\":\"helper\"},"
            + "\"tags\":[\"Not A Label\",\"region=eu\"]}")));
    assertThat(r.path("errors")).as(r.toString()).isEmpty();

    JsonNode run = run(trace);
    assertThat(run.at("/run/name").asText()).isEqualTo("chat");
    assertThat(run.at("/run/agent_id").asText()).isEqualTo("helper");
    assertThat(run.at("/run/labels")).isEqualTo(json("{\"region\":\"eu\"}"));
    assertThat(run.at("/run/start_time").asText()).as("the trace's creation, not its update").isEqualTo(
        "2026-11-22T10:00:00.500Z");
    assertThat(run.at("/run/end_time").asText()).isEqualTo("2026-11-22T10:00:03.500Z");
    assertThat(run.at("/run/output/ok").asBoolean()).isTrue();
    assertThat(run.at("/run/status").asText()).isEqualTo("success");
    assertThat(run.at("/run/step_count").asInt()).isEqualTo(3);

    JsonNode g = step(trace, gen);
    assertThat(g.path("parent_step_id").asText()).isEqualTo(span);
    assertThat(g.path("output").asText()).as("the update wins").isEqualTo("done");
    assertThat(g.path("model").asText()).isEqualTo("gpt-x");
    assertThat(g.path("input_tokens").asLong()).isEqualTo(20);
    assertThat(g.path("output_tokens").asLong()).isEqualTo(5);
    assertThat(g.path("cache_read_tokens").asLong()).isEqualTo(8);
    assertThat(g.path("reasoning_tokens").asLong()).isEqualTo(2);
    assertThat(g.path("cost_usd").asDouble()).isEqualTo(0.003);
    assertThat(g.path("time_to_first_token_ms").asDouble()).isEqualTo(250.0);
    JsonNode s = step(trace, span);
    assertThat(s.path("status").asText()).isEqualTo("ok");
    assertThat(s.at("/metadata/langfuse/level").asText()).isEqualTo("WARNING");
    assertThat(s.at("/events/0/name").asText()).isEqualTo("status_message");
    assertThat(s.at("/events/0/attributes/message").asText()).isEqualTo("slow cache");
  }

  @Test
  void badEvents_areErrorsInside207_goodOnesAreStored() {
    String trace = id();
    String good = id();
    String longId = "x".repeat(200);
    String orphan = id();
    JsonNode r = ingest207(List.of(
        event("e-good", "span-create", "2026-11-22T10:00:00Z", "{\"id\":\"" + good + "\",\"traceId\":\"" + trace
            + "\",\"name\":\"fine\"}"),
        event("e-noid", "span-create", "2026-11-22T10:00:00Z", "{\"traceId\":\"" + trace + "\"}"),
        event("e-notrace", "span-create", "2026-11-22T10:00:00Z", "{\"id\":\"" + orphan + "\"}"),
        event("e-type", "banana-create", "2026-11-22T10:00:00Z", "{}"),
        event("e-dataset", "dataset-run-item-create", "2026-11-22T10:00:00Z", "{}"),
        event("e-score", "score-create", "2026-11-22T10:00:00Z", "{\"traceId\":\"" + trace + "\",\"value\":1}"),
        event("e-long", "span-create", "2026-11-22T10:00:00Z", "{\"id\":\"" + longId + "\",\"traceId\":\"" + trace
            + "\"}"),
        event("e-time", "span-create", "yesterday", "{\"id\":\"" + id() + "\",\"traceId\":\"" + trace + "\"}"),
        "{\"type\":\"span-create\",\"body\":{}}",
        event("e-session-score", "score-create", "2026-11-22T10:00:00Z",
            "{\"name\":\"csat\",\"value\":5,\"sessionId\":\"s-1\"}")));
    assertThat(successIds(r)).containsExactly("e-good", "e-session-score");
    assertThat(r.path("errors")).isEqualTo(json("["
        + "{\"id\":\"e-noid\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"body.id is required for span-create\"},"
        + "{\"id\":\"e-notrace\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"traceId is required: observation "
        + orphan + " names no trace\"},"
        + "{\"id\":\"e-type\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"unknown event type \\\"banana-create\\\"; "
        + "expected trace-create, span-create/-update, generation-create/-update, event-create, agent-/tool-/chain-/"
        + "retriever-/evaluator-/embedding-/guardrail-create, score-create or sdk-log\"},"
        + "{\"id\":\"e-dataset\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"dataset-run-item-create is "
        + "internal to Langfuse and not accepted by this server\"},"
        + "{\"id\":\"e-score\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"name is required for score-create\"},"
        + "{\"id\":\"e-long\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"step_id must be at most 128 "
        + "characters, got 200\"},"
        + "{\"id\":\"e-time\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"timestamp must be an ISO-8601 "
        + "timestamp such as 2026-11-22T10:00:00.123456Z or epoch milliseconds, got \\\"yesterday\\\"\"},"
        + "{\"id\":\"unknown\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"id is required: each event "
        + "needs a unique id\"}]"));
    assertThat(run(trace).at("/run/step_count").asInt()).isEqualTo(1);
  }

  @Test
  void replayedEnvelope_isAcknowledgedButNotAppliedAgain() {
    String trace = id();
    String span = id();
    String first = event("replay-1", "span-update", "2026-11-22T10:00:01Z", "{\"id\":\"" + span + "\",\"traceId\":\""
        + trace + "\",\"output\":\"old\"}");
    assertThat(successIds(ingest207(List.of(first)))).containsExactly("replay-1");
    ingest207(List.of(event("replay-2", "span-update", "2026-11-22T10:00:02Z", "{\"id\":\"" + span
        + "\",\"traceId\":\"" + trace + "\",\"output\":\"new\"}")));
    JsonNode again = ingest207(List.of(first, first));
    assertThat(successIds(again)).containsExactly("replay-1", "replay-1");
    assertThat(step(trace, span).path("output").asText()).isEqualTo("new");
  }

  @Test
  void usageInLegacyShapes_andNonTokenUnits() {
    String trace = id();
    String a = id();
    String b = id();
    ingest207(List.of(
        event(id(), "generation-create", "2026-11-22T10:00:00Z", "{\"id\":\"" + a + "\",\"traceId\":\"" + trace
            + "\",\"usage\":{\"promptTokens\":9,\"completionTokens\":4,\"totalCost\":0.5}}"),
        event(id(), "generation-create", "2026-11-22T10:00:00Z", "{\"id\":\"" + b + "\",\"traceId\":\"" + trace
            + "\",\"usage\":{\"input\":120,\"output\":80,\"unit\":\"CHARACTERS\"}}")));
    JsonNode sa = step(trace, a);
    assertThat(sa.path("input_tokens").asLong()).isEqualTo(9);
    assertThat(sa.path("output_tokens").asLong()).isEqualTo(4);
    assertThat(sa.path("cost_usd").asDouble()).isEqualTo(0.5);
    JsonNode sb = step(trace, b);
    assertThat(sb.path("input_tokens").isNull()).isTrue();
    assertThat(sb.at("/metadata/langfuse/usage_unit").asText()).isEqualTo("CHARACTERS");
  }

  @Test
  void badEnvelope_andBadAuth_answerJson() {
    // the codes /v1/ingest uses for the same mistakes
    TestServer.Response notEnvelope = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
        + "/api/public/ingestion")).header("Authorization", BASIC).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[]}")).build());
    assertThat(notEnvelope.status()).isEqualTo(400);
    assertThat(json(notEnvelope.body())).isEqualTo(json("{\"error\":\"invalid_body\",\"message\":\"Invalid request data: "
        + "the body must be a JSON object with a \\\"batch\\\" array of events\"}"));
    TestServer.Response notJson = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
        + "/api/public/ingestion")).header("Authorization", BASIC).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("batch: []")).build());
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(json(notJson.body()).path("error").asText()).isEqualTo("invalid_json");
    assertThat(json(notJson.body()).path("message").asText()).startsWith("Invalid request data: the body is not valid JSON: ");

    String wrongSecret = "Basic " + Base64.getEncoder().encodeToString("pk-sextant-default:sk-nope".getBytes());
    TestServer.Response denied = ingest(wrongSecret, List.of());
    assertThat(denied.status()).isEqualTo(401);
    assertThat(json(denied.body()).path("error").asText()).isEqualTo("unauthorized");
    assertThat(json(denied.body()).path("message").asText()).isNotEmpty();

    String wrongPublic = "Basic " + Base64.getEncoder().encodeToString(("pk-other:" + TestServer.API_KEY).getBytes());
    assertThat(ingest(wrongPublic, List.of()).status()).isEqualTo(401);

    TestServer.Response unknown = server.get("/api/public/projects");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(json(unknown.body()).path("error").asText()).isEqualTo("not_found");

    JsonNode empty = ingest207(List.of());
    assertThat(empty).isEqualTo(json("{\"successes\":[],\"errors\":[]}"));
  }
}
