package dev.sextant.privacy;

import static dev.sextant.protocol.otlp.OtlpFixtures.kv;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.protocol.otlp.OtlpFixtures;
import dev.sextant.testing.TestServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Every ingest path, with a request that carries a value in every field the path can carry: ids,
 * names, codes, labels, metadata and attribute keys and values (nested and in arrays), event names
 * and attributes, messages and content. {@code s} is the value as text; {@code id} the same value
 * without white space, for fields that must be printable ASCII without spaces.
 */
enum IngestPath {
  NATIVE {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      String q = q(s);
      String i = q(id);
      String meta = metadata(q);
      String body = "{\"runs\":[{\"run_id\":" + i + ",\"agent_id\":" + q + ",\"agent_version\":" + q
          + ",\"environment\":" + q + ",\"name\":" + q + ",\"session_id\":" + i + ",\"labels\":{\"user\":" + q
          + ",\"tenant\":" + q + "},\"status\":\"failure\",\"start_time\":\"2026-11-22T10:00:00Z\","
          + "\"end_time\":\"2026-11-22T10:00:01Z\",\"failure\":{\"type\":\"tool\",\"code\":" + q + ",\"message\":" + q
          + ",\"step_id\":" + i + "},\"metadata\":" + meta + ",\"input\":{\"q\":" + q + "},\"output\":" + q + "}],"
          + "\"steps\":[{\"run_id\":" + i + ",\"step_id\":" + i + ",\"type\":" + q + ",\"name\":" + q + ",\"model\":" + q
          + ",\"provider\":" + q + ",\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:01Z\","
          + "\"status\":\"error\",\"error\":{\"type\":" + q + ",\"code\":" + q + ",\"message\":" + q + "},"
          + "\"metadata\":" + meta + ",\"input\":[{\"role\":\"user\",\"content\":" + q + "}],\"output\":" + q + ","
          + "\"events\":[{\"name\":" + q + ",\"time\":\"2026-11-22T10:00:00.5Z\",\"attributes\":" + meta + "}]},"
          + "{\"run_id\":" + i + ",\"step_id\":\"child\",\"parent_step_id\":" + i + ",\"retry_of\":" + i
          + ",\"attempt\":2,\"type\":\"tool\",\"name\":\"t\"}]}";
      return post(server, "/v1/ingest", "application/json", body.getBytes(StandardCharsets.UTF_8), bearer());
    }
  },
  OTLP_PROTOBUF {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      return post(server, "/v1/traces", "application/x-protobuf", otlp(n, s).toByteArray(), bearer());
    }
  },
  OTLP_JSON {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      String body = OtlpFixtures.json(otlp(n, s), OtlpFixtures.Style.SPEC);
      return post(server, "/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8), bearer());
    }
  },
  LANGFUSE_OTEL {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      return post(server, "/api/public/otel/v1/traces", "application/x-protobuf", otlp(n, s).toByteArray(), basic());
    }
  },
  LANGSMITH_BATCH {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      String[] ids = uuids(n);
      String body = "{\"post\":[" + langSmithRun(ids[0], ids[0], null, s) + "," + langSmithRun(ids[1], ids[0], ids[0], s)
          + "],\"patch\":[]}";
      return post(server, "/runs/batch", "application/json", body.getBytes(StandardCharsets.UTF_8), apiKey());
    }
  },
  LANGSMITH_MULTIPART {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      String[] ids = uuids(n);
      String boundary = "----SextantPrivacyBoundary" + n;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      part(out, boundary, "post." + ids[0], langSmithRun(ids[0], ids[0], null, s));
      part(out, boundary, "post." + ids[1], langSmithRun(ids[1], ids[0], ids[0], s));
      part(out, boundary, "post." + ids[1] + ".inputs", "{\"question\":" + q(s) + "}");
      part(out, boundary, "feedback." + ids[2], "{\"id\":\"" + ids[2] + "\",\"run_id\":\"" + ids[1] + "\",\"trace_id\":\"" + ids[0] + "\",\"key\":"
          + q(s) + ",\"score\":1,\"comment\":" + q(s) + "}");
      out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return post(server, "/runs/multipart", "multipart/form-data; boundary=" + boundary, out.toByteArray(), apiKey());
    }
  },
  LANGSMITH_SINGLE {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      String[] ids = uuids(n);
      TestServer.Response created = post(server, "/runs", "application/json",
          langSmithRun(ids[0], ids[0], null, s).getBytes(StandardCharsets.UTF_8), apiKey());
      if (created.status() >= 300) return created;
      String patch = "{\"end_time\":\"2026-11-22T10:00:02Z\",\"outputs\":{\"answer\":" + q(s) + "},\"error\":" + q(s)
          + ",\"extra\":{\"metadata\":" + metadata(q(s)) + "},\"events\":[{\"name\":" + q(s)
          + ",\"time\":\"2026-11-22T10:00:01Z\",\"kwargs\":" + metadata(q(s)) + "}]}";
      return server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/runs/" + ids[0]))
          .header("x-api-key", TestServer.API_KEY).header("Content-Type", "application/json")
          .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build());
    }
  },
  LANGFUSE_INGESTION {
    @Override
    TestServer.Response send(TestServer server, int n, String s, String id) {
      String q = q(s);
      String trace = q(id);
      String meta = metadata(q);
      String ts = "\"2026-11-22T10:00:00.000Z\"";
      String body = "{\"batch\":["
          + event(n, 1, "trace-create", "{\"id\":" + trace + ",\"timestamp\":" + ts + ",\"name\":" + q + ",\"userId\":"
              + q + ",\"sessionId\":" + trace + ",\"release\":" + q + ",\"version\":" + q + ",\"environment\":" + q
              + ",\"tags\":[" + q + "],\"metadata\":" + meta + ",\"input\":" + q + ",\"output\":{\"a\":" + q + "}}")
          + "," + event(n, 2, "span-create", "{\"id\":\"o" + n + "a\",\"traceId\":" + trace + ",\"name\":" + q
              + ",\"startTime\":" + ts + ",\"endTime\":\"2026-11-22T10:00:01.000Z\",\"metadata\":" + meta
              + ",\"input\":" + q + ",\"output\":" + q + ",\"level\":\"ERROR\",\"statusMessage\":" + q + ",\"version\":"
              + q + ",\"environment\":" + q + "}")
          + "," + event(n, 3, "generation-create", "{\"id\":\"o" + n + "b\",\"traceId\":" + trace
              + ",\"parentObservationId\":\"o" + n + "a\",\"name\":" + q + ",\"startTime\":" + ts + ",\"endTime\":"
              + "\"2026-11-22T10:00:00.500Z\",\"model\":" + q + ",\"modelParameters\":{\"temperature\":" + q + ","
              + q + ":" + q + "},\"usage\":{\"input\":3,\"output\":4,\"unit\":\"TOKENS\"},\"promptName\":" + q
              + ",\"metadata\":" + meta + ",\"input\":[{\"role\":\"user\",\"content\":" + q + "}],\"output\":" + q
              + ",\"statusMessage\":" + q + "}")
          + "," + event(n, 4, "event-create", "{\"id\":\"o" + n + "c\",\"traceId\":" + trace + ",\"name\":" + q
              + ",\"startTime\":" + ts + ",\"metadata\":" + meta + ",\"input\":" + q + "}")
          + "," + event(n, 5, "score-create", "{\"id\":\"sc" + n + "\",\"traceId\":" + trace + ",\"observationId\":\"o"
              + n + "b\",\"name\":" + q + ",\"value\":1,\"comment\":" + q + ",\"source\":\"API\"}")
          + "],\"metadata\":{\"sdk_name\":" + q + "}}";
      return post(server, "/api/public/ingestion", "application/json", body.getBytes(StandardCharsets.UTF_8), basic());
    }
  };

  /** Sends the seeded request(s) number {@code n}; the last response is returned. */
  abstract TestServer.Response send(TestServer server, int n, String s, String id);

  static String q(String s) {
    return TextNode.valueOf(s).toString();
  }

  /** Metadata with the value as a key, as a value, nested, in an array, under user and secret keys. */
  static String metadata(String q) {
    return "{" + q + ":" + q + ",\"note\":" + q + ",\"user_id\":" + q + ",\"password\":\""
        + dev.sextant.testing.PrivacyCorpus.SECRET_UNDER_KEY + "\",\"nested\":{" + q + ":[" + q + "," + q
        + "],\"deep\":{\"k\":" + q + "}}}";
  }

  private static String[] uuids(int n) {
    return new String[] {String.format("%08x-0000-4000-8000-000000000001", n),
        String.format("%08x-0000-4000-8000-000000000002", n), String.format("%08x-0000-4000-8000-000000000003", n)};
  }

  private static String langSmithRun(String id, String trace, String parent, String s) {
    String q = q(s);
    String dotted = "20261122T100000000001Z" + trace + (parent == null ? "" : ".20261122T100000000002Z" + id);
    return "{\"id\":\"" + id + "\",\"trace_id\":\"" + trace + "\""
        + (parent == null ? "" : ",\"parent_run_id\":\"" + parent + "\"") + ",\"dotted_order\":\"" + dotted + "\","
        + "\"name\":" + q + ",\"run_type\":\"" + (parent == null ? "chain" : "llm") + "\",\"session_name\":" + q
        + ",\"start_time\":\"2026-11-22T10:00:00Z\",\"end_time\":\"2026-11-22T10:00:01Z\",\"inputs\":{\"q\":" + q
        + "},\"outputs\":{\"a\":" + q + "},\"error\":" + q + ",\"tags\":[" + q + "],\"reference_example_id\":null,"
        + "\"serialized\":{\"name\":" + q + "},\"events\":[{\"name\":" + q + ",\"time\":\"2026-11-22T10:00:00.5Z\","
        + "\"kwargs\":" + metadata(q) + "}],\"extra\":{\"metadata\":{\"session_id\":" + q + ",\"thread_id\":" + q
        + ",\"conversation_id\":" + q + ",\"user_id\":" + q + "," + q + ":" + q + ",\"ls_model_name\":" + q
        + ",\"ls_provider\":" + q + ",\"agent_id\":" + q + ",\"agent_version\":" + q + ",\"environment\":" + q
        + ",\"revision_id\":" + q + ",\"password\":\"" + dev.sextant.testing.PrivacyCorpus.SECRET_UNDER_KEY + "\"},"
        + "\"runtime\":{\"sdk\":" + q + ",\"host\":" + q + "},\"invocation_params\":{\"model\":" + q + ","
        + "\"model_name\":" + q + "}}}";
  }

  private static void part(ByteArrayOutputStream out, String boundary, String name, String json) {
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
        + "Content-Type: application/json\r\n\r\n" + json + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String event(int n, int k, String type, String body) {
    return "{\"id\":\"" + String.format("%08x-0000-4000-9000-%012d", n, k) + "\",\"type\":\"" + type
        + "\",\"timestamp\":\"2026-11-22T10:00:00.000Z\",\"body\":" + body + "}";
  }

  /** An OTLP request in every dialect the normaliser reads, resource and scope included. */
  static ExportTraceServiceRequest otlp(int n, String s) {
    String trace = String.format("%032x", 0x5000L + n);
    String root = String.format("%016x", 0x7000L + 2L * n);
    String child = String.format("%016x", 0x7001L + 2L * n);
    String json = "{\"k\":" + q(s) + ",\"user_id\":" + q(s) + "}";
    Span rootSpan = Span.newBuilder().setTraceId(OtlpFixtures.hex(trace)).setSpanId(OtlpFixtures.hex(root)).setName(s)
        .setStartTimeUnixNano(OtlpFixtures.T0).setEndTimeUnixNano(OtlpFixtures.T0 + 2_000_000_000L)
        .addAllAttributes(List.of(kv("gen_ai.operation.name", "invoke_agent"), kv("session.id", s), kv("user.id", s),
            kv("enduser.id", s), kv("gen_ai.conversation.id", s), kv("langfuse.session.id", s), kv("langfuse.user.id", s),
            kv("langfuse.trace.name", s), kv("langfuse.trace.metadata", json), kv("langfuse.trace.metadata.k", s),
            kv("langfuse.trace.input", s), kv("langfuse.trace.output", s), kv("sextant.agent.id", s),
            kv("sextant.agent.version", s), kv("sextant.environment", s), kv("sextant.failure.type", "tool"),
            kv("sextant.failure.code", s), kv("db.statement", s), kv("http.url", s), kv("error.type", s), kv(s, s),
            kv("tags", new Object[] {s, s}), kv("details", new KeyValue[] {kv(s, s), kv("user_id", s)}),
            kv("langsmith.metadata.session_id", s), kv("traceloop.association.properties.user_id", s),
            kv("ai.telemetry.metadata.userId", s), kv("password", dev.sextant.testing.PrivacyCorpus.SECRET_UNDER_KEY)))
        .addEvents(Span.Event.newBuilder().setName(s).setTimeUnixNano(OtlpFixtures.T0 + 1_000_000L)
            .addAllAttributes(List.of(kv("exception.type", s), kv("exception.message", s),
                kv("exception.stacktrace", s), kv(s, s))))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(s))
        .build();
    Span childSpan = Span.newBuilder().setTraceId(OtlpFixtures.hex(trace)).setSpanId(OtlpFixtures.hex(child))
        .setParentSpanId(OtlpFixtures.hex(root)).setName(s)
        .setStartTimeUnixNano(OtlpFixtures.T0 + 1_000_000L).setEndTimeUnixNano(OtlpFixtures.T0 + 1_000_000_000L)
        .addAllAttributes(List.of(kv("gen_ai.operation.name", "chat"), kv("gen_ai.request.model", s),
            kv("gen_ai.response.model", s), kv("gen_ai.system", s), kv("gen_ai.provider.name", s),
            kv("llm.model_name", s), kv("gen_ai.tool.name", s), kv("gen_ai.prompt", s), kv("gen_ai.completion", s),
            kv("input.value", s), kv("output.value", s), kv("langfuse.observation.metadata", json),
            kv("langfuse.observation.metadata.k", s), kv("langfuse.observation.model.name", s),
            kv("langfuse.observation.status_message", s), kv("langsmith.metadata.ls_model_name", s),
            kv("langsmith.metadata.ls_provider", s), kv("gen_ai.usage.input_tokens", 3), kv(s, s)))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(s))
        .build();
    Resource resource = Resource.newBuilder().addAllAttributes(List.of(kv("service.name", s),
        kv("service.version", s), kv("deployment.environment", s), kv("host.name", s), kv("host.ip", s),
        kv("user.id", s), kv(s, s))).build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(s).setVersion(s))
            .addSpans(rootSpan).addSpans(childSpan))).build();
  }

  private static String bearer() {
    return "Bearer " + TestServer.API_KEY;
  }

  private static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString(("pk-sextant-default:" + TestServer.API_KEY)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static String apiKey() {
    return null;
  }

  private static TestServer.Response post(TestServer server, String path, String type, byte[] body, String auth) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (auth == null) b.header("x-api-key", TestServer.API_KEY);
    else b.header("Authorization", auth);
    return server.send(b.build());
  }
}
