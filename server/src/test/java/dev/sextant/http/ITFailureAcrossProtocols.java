package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One failing agent run sent through each ingest protocol ends with the same run failure, the same
 * step statuses and error types, and the same cause step: the failure taxonomy has one answer,
 * whichever protocol the client speaks. (Langfuse's ingestion API cannot say that a run failed:
 * there the run is partial, with the same steps.)
 *
 * <p>The run: an agent plans (ok), hands an order to a chain whose tool times out, searches the
 * docs and is rate limited, then gives up. The tool is the cause: it failed first and has no
 * failed child; the chain and the agent failed because of it.
 */
class ITFailureAcrossProtocols {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());

  private static final long T0_MS = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  /** One step of the run, in the terms every protocol can express. */
  record Step(String name, String parent, String nativeType, String langSmithType, String langfuseType,
      String otlpKind, int startMs, int endMs, String error) {}

  private static final List<Step> RUN = List.of(
      new Step("support_agent", null, "agent", "chain", "agent", "invoke_agent", 0, 2000,
          "RuntimeError: the agent gave up"),
      new Step("plan", "support_agent", "llm", "llm", "generation", "chat", 10, 200, null),
      new Step("handle_order", "support_agent", "chain", "chain", "chain", "CHAIN", 250, 1500,
          "RuntimeError: order handling failed"),
      new Step("lookup_order", "handle_order", "tool", "tool", "tool", "execute_tool", 300, 800,
          "TimeoutError: the order service took 30 s"),
      new Step("search_docs", "support_agent", "retrieval", "retriever", "retriever", "RETRIEVER", 900, 1800,
          "RateLimitError: 429 Too Many Requests"));

  /** What every protocol must store for the steps. */
  private static final String STEPS = " steps={handle_order=error orchestration/runtime_error, lookup_order=timeout "
      + "tool/timeout, plan=ok, search_docs=error retrieval/rate_limited, support_agent=error orchestration/runtime_error}";

  /** What every protocol that can say that a run failed must store. */
  private static final String EXPECTED = "failure=tool/timeout@lookup_order status=failure" + STEPS;

  @Test
  void nativeIngest() {
    String run = "xproto-native";
    StringBuilder steps = new StringBuilder();
    for (Step s : RUN) {
      if (steps.length() > 0) steps.append(',');
      steps.append("{\"run_id\":\"").append(run).append("\",\"step_id\":\"").append(s.name()).append('"')
          .append(s.parent() == null ? "" : ",\"parent_step_id\":\"" + s.parent() + "\"")
          .append(",\"type\":\"").append(s.nativeType()).append("\",\"name\":\"").append(s.name())
          .append("\",\"start_time\":\"").append(iso(s.startMs())).append("\",\"end_time\":\"")
          .append(iso(s.endMs())).append('"');
      if (s.error() == null) {
        steps.append(",\"status\":\"ok\"}");
      } else {
        String code = s.error().startsWith("TimeoutError") ? "timeout"
            : s.error().startsWith("RateLimitError") ? "rate_limited" : "runtime_error";
        String type = Map.of("agent", "orchestration", "chain", "orchestration", "tool", "tool",
            "retrieval", "retrieval").get(s.nativeType());
        steps.append(",\"status\":\"").append(code.equals("timeout") ? "timeout" : "error")
            .append("\",\"error\":{\"type\":\"").append(type).append("\",\"code\":\"").append(code)
            .append("\",\"message\":\"").append(s.error()).append("\"}}");
      }
    }
    // The client states the failure's type and code but not its step: the store names the cause.
    String body = "{\"runs\":[{\"run_id\":\"" + run + "\",\"agent_id\":\"support\",\"name\":\"support_agent\","
        + "\"start_time\":\"" + iso(0) + "\",\"end_time\":\"" + iso(2000) + "\",\"status\":\"failure\","
        + "\"failure\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"the order service timed out\"}}],"
        + "\"steps\":[" + steps + "]}";
    TestServer.Response r = server.post("/v1/ingest", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(outcome(run)).isEqualTo(EXPECTED);
  }

  @Test
  void otlp() {
    String trace = "5b8efff798038103d269b633813fc60c";
    Map<String, String> spanIds = new TreeMap<>();
    for (int i = 0; i < RUN.size(); i++) spanIds.put(RUN.get(i).name(), String.format("00f067aa0ba902b%d", i + 1));
    List<String> spans = new ArrayList<>();
    for (Step s : RUN) {
      String kindKey = s.otlpKind().equals(s.otlpKind().toUpperCase()) ? "openinference.span.kind"
          : "gen_ai.operation.name";
      StringBuilder span = new StringBuilder("{\"traceId\":\"" + trace + "\",\"spanId\":\"" + spanIds.get(s.name())
          + "\"" + (s.parent() == null ? "" : ",\"parentSpanId\":\"" + spanIds.get(s.parent()) + "\"")
          + ",\"name\":\"" + s.name() + "\",\"kind\":1,\"startTimeUnixNano\":\"" + nanos(s.startMs())
          + "\",\"endTimeUnixNano\":\"" + nanos(s.endMs()) + "\",\"attributes\":[" + attr(kindKey, s.otlpKind())
          + "]");
      if (s.error() == null) {
        span.append(",\"status\":{\"code\":1}}");
      } else {
        String type = s.error().substring(0, s.error().indexOf(':'));
        String message = s.error().substring(s.error().indexOf(':') + 2);
        span.append(",\"status\":{\"code\":2,\"message\":\"").append(message).append("\"},\"events\":[{\"name\":")
            .append("\"exception\",\"timeUnixNano\":\"").append(nanos(s.endMs())).append("\",\"attributes\":[")
            .append(attr("exception.type", type)).append(',').append(attr("exception.message", message))
            .append("]}]}");
      }
      spans.add(span.toString());
    }
    // Batching exporters send the root, which ends last, in a later request than its children.
    String children = String.join(",", spans.subList(1, spans.size()));
    for (String batch : List.of(children, spans.get(0))) {
      String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + attr("service.name", "support")
          + "]},\"scopeSpans\":[{\"scope\":{\"name\":\"agent\"},\"spans\":[" + batch + "]}]}]}";
      TestServer.Response r = post("/v1/traces", "Bearer " + TestServer.API_KEY, body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    assertThat(outcome(trace)).isEqualTo(EXPECTED);
  }

  @Test
  void langSmith() {
    Map<String, String> ids = new TreeMap<>();
    for (Step s : RUN) ids.put(s.name(), UUID.randomUUID().toString());
    String root = ids.get("support_agent");
    List<String> posts = new ArrayList<>();
    for (Step s : RUN) {
      String id = ids.get(s.name());
      String dotted = dotted(s, ids);
      posts.add("{\"id\":\"" + id + "\",\"trace_id\":\"" + root + "\""
          + (s.parent() == null ? "" : ",\"parent_run_id\":\"" + ids.get(s.parent()) + "\"")
          + ",\"name\":\"" + s.name() + "\",\"run_type\":\"" + s.langSmithType() + "\",\"dotted_order\":\""
          + dotted + "\",\"session_name\":\"support\",\"start_time\":\"" + iso(s.startMs()) + "\",\"end_time\":\""
          + iso(s.endMs()) + "\"" + (s.error() == null ? "" : ",\"error\":\"" + s.error() + "\"") + "}");
    }
    TestServer.Response r = post("/runs/batch", "Bearer " + TestServer.API_KEY,
        "{\"post\":[" + String.join(",", posts) + "],\"patch\":[]}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(outcome(root)).isEqualTo(EXPECTED);
  }

  @Test
  void langfuse() {
    String trace = "xproto-langfuse";
    List<String> events = new ArrayList<>();
    events.add(lfEvent("trace-create", "{\"id\":\"" + trace + "\",\"name\":\"support_agent\",\"timestamp\":\""
        + iso(0) + "\"}"));
    for (Step s : RUN) {
      events.add(lfEvent(s.langfuseType() + "-create", "{\"id\":\"" + s.name() + "\",\"traceId\":\"" + trace + "\""
          + (s.parent() == null ? "" : ",\"parentObservationId\":\"" + s.parent() + "\"")
          + ",\"name\":\"" + s.name() + "\",\"startTime\":\"" + iso(s.startMs()) + "\",\"endTime\":\""
          + iso(s.endMs()) + "\""
          + (s.error() == null ? "" : ",\"level\":\"ERROR\",\"statusMessage\":\"" + s.error() + "\"") + "}"));
    }
    String auth = "Basic " + Base64.getEncoder()
        .encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
    TestServer.Response r = post("/api/public/ingestion", auth, "{\"batch\":[" + String.join(",", events) + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    assertThat(Json.read(r.body()).path("errors")).as(r.body()).isEmpty();
    // Langfuse traces carry no outcome of their own, so the run is partial rather than failed; its
    // steps are classified as on every other protocol.
    assertThat(outcome(trace)).isEqualTo("failure=/@ status=partial" + STEPS);
  }

  /** The run's status and failure, and each step's status and error, by step name. */
  private static String outcome(String runId) {
    TestServer.Response r = server.get("/v1/runs/" + runId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode run = Json.read(r.body());
    Map<String, String> names = new TreeMap<>();
    Map<String, String> steps = new TreeMap<>();
    for (JsonNode s : run.path("steps")) {
      names.put(s.path("step_id").asText(), s.path("name").asText());
      JsonNode e = s.path("error");
      steps.put(s.path("name").asText(), s.path("status").asText()
          + (e.isObject() ? " " + e.path("type").asText() + "/" + e.path("code").asText() : ""));
    }
    JsonNode f = run.path("failure");
    Function<String, String> name = id -> names.getOrDefault(id, id);
    return "failure=" + f.path("type").asText() + "/" + f.path("code").asText() + "@"
        + name.apply(f.path("step_id").asText()) + " status=" + run.path("run").path("status").asText() + " steps=" + steps;
  }

  private static TestServer.Response post(String path, String auth, String body) {
    return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", auth)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static String iso(int ms) {
    return Instant.ofEpochMilli(T0_MS + ms).toString();
  }

  private static String nanos(int ms) {
    return Long.toString((T0_MS + ms) * 1_000_000L);
  }

  private static String attr(String key, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
  }

  private static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  /** LangSmith's dotted order: each ancestor's start and id, root first. */
  private static String dotted(Step s, Map<String, String> ids) {
    String own = DOTTED.format(Instant.ofEpochMilli(T0_MS + s.startMs())) + ids.get(s.name());
    if (s.parent() == null) return own;
    Step parent = RUN.stream().filter(p -> p.name().equals(s.parent())).findFirst().orElseThrow();
    return dotted(parent, ids) + "." + own;
  }

  private static String lfEvent(String type, String body) {
    return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + iso(0)
        + "\",\"body\":" + body + "}";
  }
}
