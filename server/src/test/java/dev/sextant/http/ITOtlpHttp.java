package dev.sextant.http;

import static dev.sextant.protocol.otlp.OtlpFixtures.LLM;
import static dev.sextant.protocol.otlp.OtlpFixtures.TOOL;
import static dev.sextant.protocol.otlp.OtlpFixtures.TRACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.model.Json;
import dev.sextant.protocol.otlp.OtlpFixtures;
import dev.sextant.protocol.otlp.OtlpFixtures.Style;
import dev.sextant.testing.TestServer;
import dev.sextant.testing.TestServer.Response;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OTLP/HTTP and OTLP/gRPC against the real server: answers per the OTLP spec, and what the query API then shows. */
class ITOtlpHttp {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());
  @RegisterExtension
  static final TestServer open = TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).otlpCredentialRequired(false).build());

  static JsonNode json(String s) {
    return Json.read(s);
  }

  static Response post(TestServer s, int port, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return s.send(b.build());
  }

  static byte[] raw(TestServer s, int port, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static final String AUTH = "Bearer " + TestServer.API_KEY;

  @Test
  void json_onMainPort_answersEmptyResponse_andTheRunIsQueryable() {
    String body = OtlpFixtures.json(OtlpFixtures.agentRun(), Style.SPEC);
    Response r = post(server, server.port(), "/v1/traces", "application/json",
        body.getBytes(StandardCharsets.UTF_8), "Authorization", AUTH);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("application/json");
    assertThat(r.body()).isEqualTo("{}");

    JsonNode runs = json(server.get("/v1/runs?agent=support-agent&limit=1000").body()).get("runs");
    JsonNode run = null;
    for (JsonNode x : runs) if (x.get("run_id").asText().equals(TRACE)) run = x;
    assertThat(run).isNotNull();
    assertThat(run.get("run_id").asText()).isEqualTo(TRACE);
    assertThat(run.get("agent_version").asText()).isEqualTo("v1.2.0");
    assertThat(run.get("environment").asText()).isEqualTo("production");
    assertThat(run.get("status").asText()).isEqualTo("failure");
    assertThat(run.get("step_count").asInt()).isEqualTo(5);
    assertThat(run.get("error_count").asInt()).isEqualTo(2);
    assertThat(run.get("session_id").asText()).isEqualTo("conv-42");
    assertThat(run.get("input_tokens").asLong()).isEqualTo(12);
    assertThat(run.get("failure").get("code").asText()).isEqualTo("timeout");
    assertThat(run.get("failure").get("step_id").asText()).isEqualTo(TOOL);

    JsonNode detail = json(server.get("/v1/runs/" + TRACE).body());
    assertThat(detail.get("steps")).hasSize(5);
    // steps without seq are ordered by start time
    assertThat(detail.get("steps").get(0).get("name").asText()).isEqualTo("invoke_agent support");

    JsonNode step = json(server.get("/v1/runs/" + TRACE + "/steps/" + LLM).body());
    assertThat(step.get("type").asText()).isEqualTo("llm");
    assertThat(step.get("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(step.get("provider").asText()).isEqualTo("openai");
    assertThat(step.get("normalization").get("type").asText()).isEqualTo("gen_ai.operation.name=chat");
    // project default is metadata-only: content never reached the store
    assertThat(step.get("input").isNull()).isTrue();
    assertThat(step.get("output").isNull()).isTrue();
    JsonNode tool = json(server.get("/v1/runs/" + TRACE + "/steps/" + TOOL).body());
    assertThat(tool.get("status").asText()).isEqualTo("timeout");
    assertThat(tool.get("error").get("code").asText()).isEqualTo("timeout");
    assertThat(tool.get("error").get("message").isNull()).isTrue();
    assertThat(tool.get("metadata").get("gen_ai.tool.name").asText()).isEqualTo("billing_api");
  }

  /**
   * A batching exporter sends a long run's root span, which ends last, in a later request than the
   * failing child (or, rarely, earlier): either way the run's failure names the failing tool step.
   */
  @Test
  void rootExportedAlone_failureStillNamesTheFailingStep_inEitherOrder() {
    for (boolean rootFirst : new boolean[] {false, true}) {
      String trace = rootFirst ? "0000000000000000000000000000a001" : "0000000000000000000000000000a002";
      byte[] root = part(trace, true);
      byte[] children = part(trace, false);
      for (byte[] body : rootFirst ? new byte[][] {root, children} : new byte[][] {children, root}) {
        assertThat(post(server, server.port(), "/v1/traces", "application/x-protobuf", body, "Authorization", AUTH)
            .status()).isEqualTo(200);
      }
      JsonNode run = json(server.get("/v1/runs/" + trace).body()).get("run");
      assertThat(run.get("status").asText()).as("root first: %s", rootFirst).isEqualTo("failure");
      assertThat(run.get("step_count").asInt()).isEqualTo(5);
      assertThat(run.get("failure").get("step_id").asText()).as("root first: %s", rootFirst).isEqualTo(TOOL);
      assertThat(run.get("failure").get("type").asText()).isEqualTo("tool");
      assertThat(run.get("failure").get("code").asText()).isEqualTo("timeout");
    }
  }

  /** {@link OtlpFixtures#agentRun()} under another trace id, with only its root span or only the others. */
  private static byte[] part(String trace, boolean rootOnly) {
    io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.Builder r = OtlpFixtures.agentRun().toBuilder();
    io.opentelemetry.proto.trace.v1.ScopeSpans.Builder scope = r.getResourceSpansBuilder(0).getScopeSpansBuilder(0);
    java.util.List<io.opentelemetry.proto.trace.v1.Span> spans = new java.util.ArrayList<>(scope.getSpansList());
    scope.clearSpans();
    for (io.opentelemetry.proto.trace.v1.Span span : spans) {
      if (span.getParentSpanId().isEmpty() == rootOnly) {
        scope.addSpans(span.toBuilder().setTraceId(OtlpFixtures.hex(trace)));
      }
    }
    return r.build().toByteArray();
  }

  @Test
  void gzipProtobuf_onOtlpPort_answersEmptyProtobuf() {
    byte[] body = gzip(OtlpFixtures.agentRun().toBuilder().setResourceSpans(0, OtlpFixtures.agentRun()
        .getResourceSpans(0).toBuilder().setScopeSpans(0, OtlpFixtures.agentRun().getResourceSpans(0)
            .getScopeSpans(0).toBuilder().setSpans(0, OtlpFixtures.agentRun().getResourceSpans(0).getScopeSpans(0)
                .getSpans(0).toBuilder().setTraceId(OtlpFixtures.hex("0af7651916cd43dd8448eb211c80319c")))))
        .build().toByteArray());
    Response r = post(server, server.server().otlpHttpPort(), "/v1/traces", "application/x-protobuf", body,
        "Content-Encoding", "gzip", "x-api-key", TestServer.API_KEY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("application/x-protobuf");
    assertThat(r.body()).isEmpty();
    assertThat(server.get("/v1/runs/0af7651916cd43dd8448eb211c80319c").status()).isEqualTo(200);
  }

  @Test
  void invalidSpan_isPartialSuccess() {
    String good = OtlpFixtures.json(OtlpDecoderFixtures.single("11111111111111111111111111111111"), Style.SPEC);
    String bad = good.replace("\"spans\":[", "\"spans\":[{\"traceId\":\"xyz\",\"spanId\":\"eee19b7ec3c1b174\"},");
    Response r = post(server, server.port(), "/v1/traces", "application/json", bad.getBytes(StandardCharsets.UTF_8),
        "Authorization", AUTH);
    assertThat(r.status()).isEqualTo(200);
    JsonNode p = json(r.body()).get("partialSuccess");
    assertThat(p.get("rejectedSpans").asText()).isEqualTo("1");
    assertThat(p.get("errorMessage").asText())
        .isEqualTo("1 of 2 spans rejected: span 0: traceId must be 32 hex characters, got \"xyz\"");
    assertThat(server.get("/v1/runs/11111111111111111111111111111111").status()).isEqualTo(200);
  }

  @Test
  void malformedBodies_get400WithStatusInTheRequestsEncoding() {
    Response r = post(server, server.port(), "/v1/traces", "application/json",
        "{\"resourceSpans\":".getBytes(StandardCharsets.UTF_8), "Authorization", AUTH);
    assertThat(r.status()).isEqualTo(400);
    JsonNode s = json(r.body());
    assertThat(s.get("code").asInt()).isEqualTo(3);
    assertThat(s.get("error").asText()).isEqualTo("invalid_json");
    assertThat(s.get("message").asText()).startsWith("the body is not valid OTLP/JSON");

    String deep = "{\"resourceSpans\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    Response nested = post(server, server.port(), "/v1/traces", "application/json",
        deep.getBytes(StandardCharsets.UTF_8), "Authorization", AUTH);
    assertThat(nested.status()).isEqualTo(400);
    assertThat(json(nested.body()).get("message").asText()).contains("nested deeper than").doesNotContain("Stream");

    byte[] full = OtlpFixtures.agentRun().toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(full, full.length / 2);
    byte[] status = raw(server, server.port(), "/v1/traces", "application/x-protobuf", truncated, "Authorization", AUTH);
    // google.rpc.Status{code: 3 (field 1, varint), message (field 2)}
    assertThat(status[0]).isEqualTo((byte) 0x08);
    assertThat(status[1]).isEqualTo((byte) 3);
    assertThat(new String(status, StandardCharsets.UTF_8)).contains("not a valid protobuf ExportTraceServiceRequest");
  }

  @Test
  void unsupportedContentType_is415_andGzipBombIs413() {
    Response r = post(server, server.port(), "/v1/traces", "text/plain", "x".getBytes(StandardCharsets.UTF_8),
        "Authorization", AUTH);
    assertThat(r.status()).isEqualTo(415);
    assertThat(json(r.body()).get("message").asText())
        .isEqualTo("Content-Type must be application/x-protobuf or application/json, got text/plain");

    // a valid protobuf whose one string is longer than the limit once inflated
    byte[] bomb = gzip(OtlpFixtures.agentRun().toBuilder().setResourceSpans(0, OtlpFixtures.agentRun()
        .getResourceSpans(0).toBuilder().setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .addAttributes(OtlpFixtures.kv("huge", "a".repeat(24 * 1024 * 1024))))).build().toByteArray());
    Response big = post(server, server.server().otlpHttpPort(), "/v1/traces", "application/x-protobuf", bomb,
        "Content-Encoding", "gzip", "Authorization", AUTH);
    assertThat(big.status()).isEqualTo(413);

    byte[] jsonBomb = gzip(("{\"resourceSpans\":[{\"x\":\"" + "a".repeat(24 * 1024 * 1024) + "\"}]}")
        .getBytes(StandardCharsets.UTF_8));
    Response bigJson = post(server, server.port(), "/v1/traces", "application/json", jsonBomb,
        "Content-Encoding", "gzip", "Authorization", AUTH);
    assertThat(bigJson.status()).isEqualTo(413);
    assertThat(json(bigJson.body()).get("error").asText()).isEqualTo("too_large");

    Response badGzip = post(server, server.port(), "/v1/traces", "application/json",
        "not gzip".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "gzip", "Authorization", AUTH);
    assertThat(badGzip.status()).isEqualTo(400);
  }

  /** OTLP/JSON may nest 64 levels (other JSON bodies 32): its wrappers take 3 or 4 levels per level of a value. */
  @Test
  void json_nests64Levels_not65() {
    String value = "{\"stringValue\":\"x\"}";
    for (int i = 0; i < 18; i++) value = "{\"arrayValue\":{\"values\":[" + value + "]}}";
    String deepest = value;
    String deeper = value.replace("{\"stringValue\":\"x\"}", "{\"arrayValue\":{}}");
    for (String v : new String[] {deepest, deeper}) {
      String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + "6".repeat(32)
          + "\",\"spanId\":\"" + "6".repeat(16) + "\",\"name\":\"deep\",\"startTimeUnixNano\":\"1\","
          + "\"endTimeUnixNano\":\"2\",\"attributes\":[{\"key\":\"deep\",\"value\":" + v + "}]}]}]}]}";
      int depth = 0;
      int max = 0;
      for (char c : body.toCharArray()) {
        if (c == '{' || c == '[') max = Math.max(max, ++depth);
        if (c == '}' || c == ']') depth--;
      }
      Response r = post(server, server.port(), "/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8),
          "Authorization", AUTH);
      if (v == deepest) {
        assertThat(max).isEqualTo(64);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      } else {
        assertThat(max).isEqualTo(65);
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r.body()).get("error").asText()).isEqualTo("invalid_json");
        assertThat(json(r.body()).get("message").asText()).contains("nested deeper than 64 levels");
      }
    }
  }

  @Test
  void auth_requiredByDefault_optionalPerOtlpListener() {
    byte[] body = OtlpDecoderFixtures.single("22222222222222222222222222222222").toByteArray();
    assertThat(post(server, server.port(), "/v1/traces", "application/x-protobuf", body).status()).isEqualTo(401);
    assertThat(post(server, server.server().otlpHttpPort(), "/v1/traces", "application/x-protobuf", body).status())
        .isEqualTo(401);
    // optional on the OTLP port: no credential goes to project default; a wrong one is still refused
    assertThat(post(open, open.server().otlpHttpPort(), "/v1/traces", "application/x-protobuf", body).status())
        .isEqualTo(200);
    assertThat(open.get("/v1/runs/22222222222222222222222222222222").status()).isEqualTo(200);
    assertThat(post(open, open.server().otlpHttpPort(), "/v1/traces", "application/x-protobuf", body,
        "Authorization", "Bearer wrong").status()).isEqualTo(401);
    // the main port always needs a credential
    assertThat(post(open, open.port(), "/v1/traces", "application/x-protobuf", body).status()).isEqualTo(401);
  }

  @Test
  void langfuseOtelEndpoint_takesBasicAuth() {
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        ("pk-sextant-default:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
    byte[] body = OtlpFixtures.json(OtlpDecoderFixtures.single("33333333333333333333333333333333"), Style.SPEC)
        .getBytes(StandardCharsets.UTF_8);
    Response r = post(server, server.port(), "/api/public/otel/v1/traces", "application/json", body,
        "Authorization", basic);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    String wrongPublic = "Basic " + Base64.getEncoder().encodeToString(
        ("pk-other:" + TestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
    assertThat(post(server, server.port(), "/api/public/otel/v1/traces", "application/json", body,
        "Authorization", wrongPublic).status()).isEqualTo(401);
  }

  @Test
  void langsmithOtelEndpoint_takesApiKeyHeader() {
    for (String prefix : new String[] {"", "/api/v1"}) {
      String trace = prefix.isEmpty() ? "44444444444444444444444444444444" : "55555555555555555555555555555555";
      byte[] body = OtlpFixtures.json(OtlpDecoderFixtures.single(trace), Style.SPEC).getBytes(StandardCharsets.UTF_8);
      Response r = post(server, server.port(), prefix + "/otel/v1/traces", "application/json", body,
          "x-api-key", TestServer.API_KEY);
      assertThat(r.status()).as(prefix).isEqualTo(200);
      assertThat(server.get("/v1/runs/" + trace).status()).as(prefix).isEqualTo(200);
      assertThat(post(server, server.port(), prefix + "/otel/v1/traces", "application/json", body,
          "x-api-key", "wrong").status()).isEqualTo(401);
    }
  }

  @Test
  void fullContentProject_keepsContent() {
    Response p = server.post("/v1/projects", "{\"project_id\":\"lab\",\"content_policy\":\"full\"}");
    assertThat(p.status()).isEqualTo(201);
    String secret = json(server.post("/v1/projects/lab/api-keys", "{\"scopes\":[\"ingest\",\"read\"]}").body())
        .get("secret").asText();
    byte[] body = OtlpFixtures.agentRun().toByteArray();
    assertThat(post(server, server.port(), "/v1/traces", "application/x-protobuf", body, "Authorization",
        "Bearer " + secret).status()).isEqualTo(200);
    Response step = server.send(HttpRequest.newBuilder(
        URI.create(server.baseUrl() + "/v1/runs/" + TRACE + "/steps/" + LLM)).header("Authorization", "Bearer " + secret)
        .GET().build());
    JsonNode s = json(step.body());
    assertThat(s.get("input").get(0).get("parts").get(0).get("content").asText()).isEqualTo("where is my refund");
    JsonNode tool = json(server.send(HttpRequest.newBuilder(
        URI.create(server.baseUrl() + "/v1/runs/" + TRACE + "/steps/" + TOOL)).header("Authorization", "Bearer " + secret)
        .GET().build()).body());
    assertThat(tool.get("error").get("message").asText()).isEqualTo("read timed out");
  }

  @Test
  void grpc_answersWithGrpcStatus_forGoodAndBadMessages() {
    WebClient h2c = WebClient.of("h2c://127.0.0.1:" + server.server().otlpGrpcPort());
    byte[] ok = frame(OtlpDecoderFixtures.single("44444444444444444444444444444444").toByteArray(), false);
    AggregatedHttpResponse r = grpc(h2c, ok, "Authorization", AUTH);
    assertThat(r.headers().status().code()).isEqualTo(200);
    assertThat(r.trailers().get("grpc-status")).isEqualTo("0");
    assertThat(server.get("/v1/runs/44444444444444444444444444444444").status()).isEqualTo(200);

    byte[] gz = frame(gzip(OtlpDecoderFixtures.single("55555555555555555555555555555555").toByteArray()), true);
    AggregatedHttpResponse zipped = grpc(h2c, gz, "Authorization", AUTH, "grpc-encoding", "gzip");
    assertThat(zipped.trailers().get("grpc-status")).isEqualTo("0");

    AggregatedHttpResponse bad = grpc(h2c, frame(new byte[] {0x0a, 0x7f, 1}, false), "Authorization", AUTH);
    assertThat(bad.headers().get("grpc-status")).isEqualTo("3");
    assertThat(bad.headers().get("grpc-message")).startsWith("the body is not a valid protobuf");

    AggregatedHttpResponse anonymous = grpc(h2c, ok);
    assertThat(anonymous.headers().get("grpc-status")).isEqualTo("16");

    AggregatedHttpResponse bomb = grpc(h2c, frame(gzip(new byte[40 * 1024 * 1024]), true),
        "Authorization", AUTH, "grpc-encoding", "gzip");
    assertThat(bomb.headers().get("grpc-status")).isEqualTo("8");
  }

  static AggregatedHttpResponse grpc(WebClient client, byte[] body, String... headers) {
    com.linecorp.armeria.common.RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST,
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
        .contentType(MediaType.parse("application/grpc")).add("te", "trailers");
    for (int i = 0; i < headers.length; i += 2) h.add(headers[i], headers[i + 1]);
    return client.execute(h.build(), HttpData.wrap(body)).aggregate().join();
  }

  static byte[] frame(byte[] message, boolean compressed) {
    byte[] out = new byte[message.length + 5];
    out[0] = (byte) (compressed ? 1 : 0);
    out[1] = (byte) (message.length >>> 24);
    out[2] = (byte) (message.length >>> 16);
    out[3] = (byte) (message.length >>> 8);
    out[4] = (byte) message.length;
    System.arraycopy(message, 0, out, 5, message.length);
    return out;
  }

  @SuppressWarnings("unused")
  private static ExportTraceServiceResponse unused() {
    return null;
  }
}
