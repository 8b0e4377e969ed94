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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * agent-observatory's kind names ({@code agent_step}, {@code tool_call}, {@code llm_call}) become
 * Sextant's step types on every ingest path: native, OTLP, LangSmith and Langfuse.
 */
class ITStepTypeAliases {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static List<String> types(String runId) {
    TestServer.Response r = server.get("/v1/runs/" + runId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> types = new ArrayList<>();
    for (JsonNode step : Json.read(r.body()).path("steps")) types.add(step.path("type").asText());
    return types;
  }

  private static TestServer.Response post(String path, String auth, String body) {
    return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", auth)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void nativeIngest_mapsObservatoryKinds() {
    String run = "alias-native";
    StringBuilder steps = new StringBuilder();
    String[] kinds = {"agent_step", "tool_call", "LLM_CALL"};
    for (int i = 0; i < kinds.length; i++) {
      steps.append(i == 0 ? "" : ",").append("{\"run_id\":\"").append(run).append("\",\"step_id\":\"s").append(i)
          .append("\",\"seq\":").append(i + 1).append(",\"type\":\"").append(kinds[i]).append("\",\"name\":\"n")
          .append(i).append("\",\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:01Z\",\"status\":\"ok\"}");
    }
    String body = "{\"runs\":[{\"run_id\":\"" + run + "\",\"agent_id\":\"observatory\",\"name\":\"r\","
        + "\"start_time\":\"2026-11-22T10:00:00Z\",\"status\":\"running\"}],\"steps\":[" + steps + "]}";
    TestServer.Response r = server.post("/v1/ingest", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(types(run)).containsExactly("agent", "tool", "llm");
  }

  @Test
  void otlp_mapsObservatoryKinds() {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    String spans = span(trace, "b7ad6b7169203331", "agent_step") + "," + span(trace, "b7ad6b7169203332", "tool_call")
        + "," + span(trace, "b7ad6b7169203333", "llm_call");
    String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"observatory\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"t\"},\"spans\":[" + spans + "]}]}]}";
    TestServer.Response r = post("/v1/traces", "Bearer " + TestServer.API_KEY, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(types(trace)).containsExactlyInAnyOrder("agent", "tool", "llm");
  }

  private static String span(String trace, String span, String kind) {
    return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + span + "\",\"name\":\"" + kind + "\",\"kind\":1,"
        + "\"startTimeUnixNano\":\"1795341600000000000\",\"endTimeUnixNano\":\"1795341601000000000\","
        + "\"attributes\":[{\"key\":\"sextant.step.type\",\"value\":{\"stringValue\":\"" + kind + "\"}}]}";
  }

  @Test
  void langSmith_mapsObservatoryKinds() {
    String root = UUID.randomUUID().toString();
    String child = UUID.randomUUID().toString();
    String body = "{\"post\":[" + lsRun(root, root, null, "agent_step", "20261122T100000000001Z" + root) + ","
        + lsRun(child, root, root, "tool_call", "20261122T100000000001Z" + root + ".20261122T100000000002Z" + child)
        + "],\"patch\":[]}";
    TestServer.Response r = post("/runs/batch", "Bearer " + TestServer.API_KEY, body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(types(root)).containsExactlyInAnyOrder("agent", "tool");
  }

  private static String lsRun(String id, String trace, String parent, String type, String dotted) {
    return "{\"id\":\"" + id + "\",\"trace_id\":\"" + trace + "\"" + (parent == null ? "" : ",\"parent_run_id\":\"" + parent + "\"")
        + ",\"name\":\"" + type + "\",\"run_type\":\"" + type + "\",\"dotted_order\":\"" + dotted + "\","
        + "\"session_name\":\"observatory\",\"start_time\":\"2026-11-22T10:00:00.000001Z\","
        + "\"end_time\":\"2026-11-22T10:00:01.000001Z\"}";
  }

  @Test
  void langfuse_mapsObservatoryKinds() {
    String trace = UUID.randomUUID().toString();
    List<String> events = new ArrayList<>();
    events.add(lfEvent("trace-create", "{\"id\":\"" + trace + "\",\"name\":\"r\",\"timestamp\":\"2026-11-22T10:00:00Z\"}"));
    for (String kind : List.of("agent_step", "tool_call", "llm_call")) {
      events.add(lfEvent("observation-create", "{\"id\":\"" + UUID.randomUUID() + "\",\"traceId\":\"" + trace
          + "\",\"type\":\"" + kind + "\",\"name\":\"" + kind + "\",\"startTime\":\"2026-11-22T10:00:00Z\","
          + "\"endTime\":\"2026-11-22T10:00:01Z\"}"));
    }
    String auth = "Basic " + Base64.getEncoder()
        .encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
    TestServer.Response r = post("/api/public/ingestion", auth, "{\"batch\":[" + String.join(",", events) + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    assertThat(Json.read(r.body()).path("errors")).as(r.body()).isEmpty();
    assertThat(types(trace)).containsExactlyInAnyOrder("agent", "tool", "llm");
  }

  private static String lfEvent(String type, String body) {
    return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"body\":" + body + "}";
  }
}
