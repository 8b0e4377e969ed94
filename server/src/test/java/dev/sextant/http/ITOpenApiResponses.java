package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real answers of the endpoints checked against {@code openapi.json}, so the contract cannot drift
 * from the code: every documented operation with a JSON answer is called (or named below with why
 * not), and every body must match its documented schema, with no undocumented field.
 */
class ITOpenApiResponses {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final OpenApiContract contract = new OpenApiContract();
  static final Set<String> called = new TreeSet<>();
  static final List<String> problems = new ArrayList<>();
  static final Instant T = Instant.now().minusSeconds(1800);

  /** Operations with a JSON answer that this test does not call, and where they are tested instead. */
  static final Map<String, String> NOT_CALLED = new LinkedHashMap<>();

  static {
    NOT_CALLED.put("POST /v1/auth/login", "a UI session: ITLogin");
    NOT_CALLED.put("POST /v1/auth/logout", "a UI session: ITLogin");
    NOT_CALLED.put("GET /v1/auth/oidc/login", "single sign-on: ITOidcLogin");
    NOT_CALLED.put("GET /v1/auth/oidc/callback", "single sign-on: ITOidcLogin");
    NOT_CALLED.put("POST /v1/invites/inspect", "an invite token: ITTeamAccess");
    NOT_CALLED.put("POST /v1/invites/accept", "an invite token and a session: ITTeamAccess");
    NOT_CALLED.put("POST /runs/multipart", "a multipart body: ITLangSmithSdk");
    NOT_CALLED.put("POST /api/v1/runs/multipart", "a multipart body: ITLangSmithSdk");
    NOT_CALLED.put("PATCH /runs/{run_id}", "ITLangSmithProtocol");
    NOT_CALLED.put("PATCH /api/v1/runs/{run_id}", "ITLangSmithProtocol");
    NOT_CALLED.put("POST /api/public/otel/v1/traces", "the same service as POST /v1/traces: ITOtlpHttp");
    NOT_CALLED.put("POST /otel/v1/traces", "the same service as POST /v1/traces: ITOtlpHttp");
    NOT_CALLED.put("POST /api/v1/otel/v1/traces", "the same service as POST /v1/traces: ITOtlpHttp");
    NOT_CALLED.put("POST /v1/import/{format}", "files of other tools: ITSeedImports");
    NOT_CALLED.put("PATCH /v1/users/{username}", "a second user: ITTeamAccess");
    NOT_CALLED.put("PUT /v1/projects/{project_id}/members/{username}", "a second user: ITTeamAccess");
    NOT_CALLED.put("GET /api/v1/sessions/{session_id}", "the same service as GET /sessions/{session_id}");
    NOT_CALLED.put("GET /api/v1/feedback/{feedback_id}", "the same service as GET /feedback/{feedback_id}");
    NOT_CALLED.put("POST /api/v1/feedback", "the same service as POST /feedback");
    NOT_CALLED.put("GET /api/v1/feedback", "the same service as GET /feedback");
    NOT_CALLED.put("POST /api/v1/runs/query", "the same service as POST /runs/query");
    NOT_CALLED.put("GET /api/v1/sessions", "the same service as GET /sessions");
    NOT_CALLED.put("POST /api/v1/runs", "the same service as POST /runs");
    NOT_CALLED.put("POST /api/v1/runs/batch", "the same service as POST /runs/batch");
    NOT_CALLED.put("GET /api/v1/runs/{run_id}", "the same service as GET /runs/{run_id}");
  }

  /** Calls the server, checks a JSON answer against the contract, and returns it. */
  static JsonNode call(String method, String path, String body, int expected, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    boolean auth = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      if (headers[i].equalsIgnoreCase("Authorization") || headers[i].equalsIgnoreCase("x-api-key")) auth = true;
    }
    if (!auth) b.header("Authorization", "Bearer " + TestServer.API_KEY);
    if (body != null) b.header("Content-Type", "application/json");
    b.header("Accept", "application/json");
    TestServer.Response r = server.send(b.build());
    assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String template = contract.template(method.toLowerCase(), bare);
    assertThat(template).as(method + " " + bare + " is not in openapi.json").isNotNull();
    called.add(method + " " + template);
    String type = r.header("content-type");
    if (type == null || !type.startsWith("application/json") || r.body().isEmpty()) return null;
    JsonNode json = Json.read(r.body());
    for (String p : contract.check(method.toLowerCase(), template, r.status(), json)) {
      problems.add(method + " " + path + " " + r.status() + " " + p);
    }
    return json;
  }

  static String run(String id, String version, boolean failed) {
    return "{\"run_id\":\"" + id + "\",\"agent_id\":\"contract\",\"agent_version\":\"" + version + "\",\"environment\":"
        + "\"test\",\"name\":\"task\",\"session_id\":\"sess-1\",\"labels\":{\"team\":\"a\"},\"start_time\":\"" + T
        + "\",\"end_time\":\"" + T.plusSeconds(2) + "\",\"status\":\"" + (failed ? "failure" : "success") + "\""
        + (failed ? ",\"failure\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"slow\",\"step_id\":\"s2\"}" : "")
        + "}";
  }

  static String steps(String runId) {
    return "{\"run_id\":\"" + runId + "\",\"step_id\":\"s1\",\"seq\":1,\"type\":\"llm\",\"name\":\"answer\",\"start_time\":\""
        + T + "\",\"end_time\":\"" + T.plusMillis(800) + "\",\"status\":\"ok\",\"model\":\"gpt-4o-mini\","
        + "\"provider\":\"openai\",\"input_tokens\":100,\"output_tokens\":20},"
        + "{\"run_id\":\"" + runId + "\",\"step_id\":\"s2\",\"parent_step_id\":\"s1\",\"seq\":2,\"type\":\"tool\","
        + "\"name\":\"lookup\",\"start_time\":\"" + T.plusMillis(900) + "\",\"end_time\":\"" + T.plusMillis(1900)
        + "\",\"status\":\"timeout\",\"error\":{\"type\":\"tool\",\"code\":\"timeout\",\"message\":\"slow\"}}";
  }

  @Test
  void everyDocumentedJsonAnswer_matchesItsSchema() {
    // native ingest and the query API
    call("POST", "/v1/ingest", "{\"runs\":[" + run("c-1", "v1", true) + "," + run("c-2", "v2", false) + "],\"steps\":["
        + steps("c-1") + "," + steps("c-2") + "]}", 200);
    call("POST", "/v1/ingest", "{\"runs\":[{\"run_id\":\"\"}]}", 200);
    call("POST", "/v1/ingest", "{\"runs\":", 400);
    call("POST", "/v1/ingest", "{}", 401, "Authorization", "Bearer sk-wrong-0123456789abcdef");
    call("GET", "/v1/runs?agent=contract", null, 200);
    call("GET", "/v1/runs?sort=cost&limit=1", null, 200);
    call("GET", "/v1/runs?sort=nope", null, 400);
    call("GET", "/v1/runs/c-1", null, 200);
    call("GET", "/v1/runs/missing", null, 404);
    call("GET", "/v1/runs/c-1/steps/s1", null, 200);
    call("GET", "/v1/stats?agent=contract", null, 200);
    call("GET", "/v1/timeseries?agent=contract&buckets=10", null, 200);
    call("GET", "/v1/compare?agent=contract&a=v1&b=v2", null, 200);
    call("GET", "/v1/agents", null, 200);
    call("GET", "/v1/scores", null, 200);
    call("POST", "/v1/scores", "{\"run_id\":\"c-1\",\"name\":\"accuracy\",\"value\":0.5}", 200);
    call("GET", "/v1/prices", null, 200);
    call("PUT", "/v1/prices", "{\"model\":\"acme\",\"effective_from\":\"2026-01-01\",\"input\":1,\"output\":1}", 200);
    call("PUT", "/v1/prices", "{\"model\":\"acme\"}", 400);
    call("GET", "/v1/prices/unknown", null, 200);
    call("DELETE", "/v1/prices?model=nope&effective_from=2026-01-01", null, 404);
    // alerts
    String channel = call("POST", "/v1/alerts/channels", "{\"name\":\"ops\",\"type\":\"webhook\","
        + "\"url\":\"http://127.0.0.1:1/hook\",\"secret\":\"k\",\"max_attempts\":1,\"timeout_ms\":500}", 201)
        .get("id").asText();
    call("POST", "/v1/alerts/channels", "{\"name\":\"ops\",\"type\":\"email\"}", 400);
    call("GET", "/v1/alerts/channels", null, 200);
    call("GET", "/v1/alerts/channels/" + channel, null, 200);
    call("PUT", "/v1/alerts/channels/" + channel, "{\"name\":\"ops\",\"type\":\"slack\",\"url\":\"http://127.0.0.1:1/hook\","
        + "\"max_attempts\":1,\"timeout_ms\":500}", 200);
    call("PUT", "/v1/alerts/channels/" + channel, "{\"name\":\"ops\"}", 400);
    call("POST", "/v1/alerts/channels/" + channel + "/test", null, 200);
    String rule = call("POST", "/v1/alerts/rules", "{\"name\":\"spend\",\"kind\":\"budget\",\"period\":\"day\","
        + "\"amount_usd\":5,\"channels\":[\"" + channel + "\"]}", 201).get("id").asText();
    call("POST", "/v1/alerts/rules", "{\"name\":\"spend\",\"kind\":\"budget\"}", 400);
    call("GET", "/v1/alerts/rules", null, 200);
    call("GET", "/v1/alerts/rules/" + rule, null, 200);
    call("PUT", "/v1/alerts/rules/" + rule, "{\"name\":\"errors\",\"kind\":\"error_rate\",\"window_seconds\":600,"
        + "\"threshold\":0.2}", 200);
    call("GET", "/v1/alerts", null, 200);
    call("GET", "/v1/alerts/history", null, 200);
    call("GET", "/v1/alerts/deliveries?limit=5", null, 200);
    String silence = call("POST", "/v1/alerts/silences", "{\"rule_id\":\"" + rule + "\",\"ends_at\":\""
        + Instant.now().plusSeconds(3600) + "\"}", 201).get("id").asText();
    call("GET", "/v1/alerts/silences", null, 200);
    call("DELETE", "/v1/alerts/silences/" + silence, null, 204);
    call("DELETE", "/v1/alerts/rules/" + rule, null, 204);
    call("GET", "/v1/alerts/rules/" + rule, null, 404);
    call("DELETE", "/v1/alerts/channels/" + channel, null, 204);
    // OTLP/HTTP JSON on the main port
    call("POST", "/v1/traces", "{\"resourceSpans\":[]}", 200);

    // projects, keys, members, invites, users, audit
    call("GET", "/v1/auth/me", null, 200);
    call("GET", "/v1/auth/providers", null, 200);
    call("GET", "/v1/projects", null, 200);
    call("POST", "/v1/projects", "{\"project_id\":\"contract-p\"}", 201);
    call("PATCH", "/v1/projects/contract-p", "{\"raw_retention_days\":30}", 200);
    call("POST", "/v1/projects/contract-p/api-keys", "{\"scopes\":[\"read\"],\"name\":\"ci\"}", 201);
    call("GET", "/v1/projects/contract-p/api-keys", null, 200);
    call("GET", "/v1/projects/default/members", null, 200);
    call("POST", "/v1/projects/default/invites", "{\"role\":\"viewer\"}", 201);
    call("GET", "/v1/projects/default/invites", null, 200);
    call("GET", "/v1/users", null, 200);
    call("GET", "/v1/audit", null, 200);

    // operations
    call("GET", "/health", null, 200);
    call("GET", "/health/live", null, 200);
    call("GET", "/health/ready", null, 200);
    call("GET", "/openapi.json", null, 200);

    // LangSmith
    call("GET", "/info", null, 200);
    call("GET", "/api/v1/info", null, 200);
    String ls = "11111111-2222-3333-4444-555555555555";
    call("POST", "/runs", "{\"id\":\"" + ls + "\",\"name\":\"chain\",\"run_type\":\"chain\",\"start_time\":\"" + T
        + "\",\"trace_id\":\"" + ls + "\",\"dotted_order\":\"20261203T000000000000Z" + ls + "\",\"inputs\":{}}", 202);
    call("POST", "/runs/batch", "{\"post\":[],\"patch\":[]}", 202);
    call("GET", "/runs/" + ls, null, 200);
    call("POST", "/runs/query", "{\"limit\":5}", 200);
    JsonNode sessions = call("GET", "/sessions", null, 200);
    if (sessions != null && sessions.isArray() && sessions.size() > 0) {
      call("GET", "/sessions/" + sessions.get(0).path("id").asText(), null, 200);
    }
    JsonNode fb = call("POST", "/feedback", "{\"run_id\":\"" + ls + "\",\"key\":\"correct\",\"score\":1}", 200);
    call("GET", "/feedback", null, 200);
    if (fb != null && fb.has("id")) call("GET", "/feedback/" + fb.get("id").asText(), null, 200);

    // Langfuse
    String basic = "Basic " + Base64.getEncoder()
        .encodeToString(("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
    call("POST", "/api/public/ingestion", "{\"batch\":[{\"id\":\"e1\",\"type\":\"trace-create\",\"timestamp\":\"" + T
        + "\",\"body\":{\"id\":\"lf-contract\",\"name\":\"chat\",\"timestamp\":\"" + T + "\"}}]}", 207,
        "Authorization", basic);

    // Agent Spy
    call("GET", "/api/v1/dashboard/runs/roots", null, 200);
    call("GET", "/api/v1/dashboard/runs/c-1/hierarchy", null, 200);
    call("GET", "/api/v1/dashboard/stats/summary", null, 200);

    assertThat(problems).as("answers that do not match openapi.json").isEmpty();

    Set<String> documented = new TreeSet<>();
    JsonNode paths = contract.spec().path("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String template = p.next();
      for (Iterator<String> m = paths.path(template).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        JsonNode responses = paths.path(template).path(method).path("responses");
        for (Iterator<String> s = responses.fieldNames(); s.hasNext(); ) {
          String status = s.next();
          if (status.startsWith("2") && responses.path(status).path("content").has("application/json")) {
            documented.add(method.toUpperCase() + " " + template);
          }
        }
      }
    }
    Set<String> missed = new TreeSet<>(documented);
    missed.removeAll(called);
    missed.removeAll(NOT_CALLED.keySet());
    assertThat(missed).as("documented operations with a JSON answer that no test here calls").isEmpty();
  }
}
