package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.model.Limits;
import dev.sextant.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LangSmith's ingest endpoints driven by hand, for what the real SDK rarely does in a short
 * script: updates before creates across requests, replays, gzip and chunked multipart, Python-style
 * part lengths, malformed and oversize parts, legacy payloads. Client mistakes are 4xx, never 5xx.
 */
class ITLangSmithProtocol {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final AtomicInteger ids = new AtomicInteger();

  @BeforeAll
  static void start() {
    server.contentPolicy("full");
  }

  static String newId() {
    int n = ids.incrementAndGet();
    return String.format("%08x-0000-4000-8000-%012x", n, System.nanoTime() & 0xffffffffffffL);
  }

  /** A run message as the JS SDK writes it; {@code extra} is appended inside the object. */
  static String run(String id, String trace, String parent, String name, String type, String extra) {
    String dotted = (parent == null ? "" : "20261122T100000000001Z" + trace + ".") + "20261122T100000000002Z" + id;
    if (id.equals(trace)) dotted = "20261122T100000000001Z" + id;
    return "{\"id\":\"" + id + "\",\"trace_id\":\"" + trace + "\""
        + (parent == null ? "" : ",\"parent_run_id\":\"" + parent + "\"")
        + (name == null ? "" : ",\"name\":\"" + name + "\"") + (type == null ? "" : ",\"run_type\":\"" + type + "\"")
        + ",\"dotted_order\":\"" + dotted + "\",\"session_name\":\"proto-agent\"" + (extra == null ? "" : "," + extra)
        + "}";
  }

  static JsonNode json(String s) {
    return Json.read(s);
  }

  static JsonNode runDetail(String id) {
    TestServer.Response r = server.get("/v1/runs/" + id);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return json(r.body());
  }

  static JsonNode stepOf(JsonNode run, String id) {
    for (JsonNode s : run.path("steps")) if (s.path("step_id").asText().equals(id)) return s;
    throw new AssertionError("no step " + id + " in " + run);
  }

  static TestServer.Response send(String method, String path, String contentType, byte[] body, String encoding,
      boolean chunked) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("x-api-key", TestServer.API_KEY);
    if (contentType != null) b.header("Content-Type", contentType);
    if (encoding != null) b.header("Content-Encoding", encoding);
    b.method(method, chunked
        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
        : HttpRequest.BodyPublishers.ofByteArray(body));
    return server.send(b.build());
  }

  static TestServer.Response postJson(String path, String body) {
    return send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8), null, false);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A multipart/form-data body built part by part. */
  static final class Multipart {
    final String boundary = "----SextantTestBoundary" + ids.incrementAndGet();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A part whose length is declared as JS does ({@code ; length=} in UTF-16 units). */
    Multipart json(String name, String json) {
      return part(name, "application/json; length=" + json.length(), null, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A part whose length is a {@code Content-Length} header, as the Python SDK sends it. */
    Multipart pythonJson(String name, String json) {
      byte[] data = json.getBytes(StandardCharsets.UTF_8);
      return part(name, "application/json", "Content-Length: " + data.length, data);
    }

    Multipart part(String name, String contentType, String extraHeader, byte[] data) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
          + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
          + (extraHeader == null ? "" : extraHeader + "\r\n") + "\r\n");
      out.writeBytes(data);
      write("\r\n");
      return this;
    }

    byte[] close() {
      write("--" + boundary + "--\r\n");
      return out.toByteArray();
    }

    byte[] unclosed() {
      return out.toByteArray();
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    TestServer.Response send() {
      return sendTo("/runs/multipart", close(), null);
    }

    TestServer.Response sendTo(String path, byte[] body, String encoding) {
      return ITLangSmithProtocol.send("POST", path, contentType(), body, encoding, true);
    }
  }

  @Test
  void info_advertisesWhatIsReallySupported_atRootAndUnderApiV1() {
    TestServer.Response root = send("GET", "/info", null, new byte[0], null, false);
    TestServer.Response v1 = send("GET", "/api/v1/info", null, new byte[0], null, false);
    assertThat(root.status()).isEqualTo(200);
    assertThat(json(v1.body())).isEqualTo(json(root.body()));
    JsonNode info = json(root.body());
    assertThat(info.at("/batch_ingest_config/use_multipart_endpoint").asBoolean()).isTrue();
    assertThat(info.at("/batch_ingest_config/size_limit").asInt()).isEqualTo(100);
    assertThat(info.at("/batch_ingest_config/size_limit_bytes").asLong()).isEqualTo(Limits.DEFAULT.maxBodyBytes());
    assertThat(info.at("/instance_flags/gzip_body_enabled").asBoolean()).isTrue();
    assertThat(info.at("/instance_flags/zstd_compression_enabled").asBoolean()).isFalse();
  }

  @Test
  void ingest_withoutKey_is401Json() {
    TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/runs/batch"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(r.status()).isEqualTo(401);
    assertThat(json(r.body()).path("error").asText()).isEqualTo("unauthorized");
  }

  @Test
  void multipart_patchBeforePost_acrossRequests_converges() {
    String root = newId();
    String child = newId();
    // The end of the trace arrives first...
    TestServer.Response first = new Multipart()
        .json("patch." + root, run(root, root, null, "late_root", "chain", "\"end_time\":1795341602000"))
        .json("patch." + root + ".outputs", "{\"answer\":42}")
        .json("patch." + child, run(child, root, root, "lookup", "tool", "\"end_time\":1795341601500"))
        .json("patch." + child + ".error", "\"ValueError('bad')\"")
        .send();
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.body()).isEqualTo("{}");
    // ...its start in a later request.
    TestServer.Response second = new Multipart()
        .json("post." + root, run(root, root, null, "late_root", "chain", "\"start_time\":\"2026-11-22T10:00:00.000001Z\""))
        .json("post." + root + ".inputs", "{\"q\":\"x\"}")
        .json("post." + child, run(child, root, root, "lookup", "tool", "\"start_time\":1795341601000"))
        .send();
    assertThat(second.status()).as(second.body()).isEqualTo(202);

    JsonNode run = runDetail(root);
    assertThat(run.at("/run/name").asText()).isEqualTo("late_root");
    assertThat(run.at("/run/agent_id").asText()).isEqualTo("proto-agent");
    assertThat(run.at("/run/start_time").asText()).isEqualTo("2026-11-22T10:00:00.000001Z");
    assertThat(run.at("/run/end_time").asText()).isEqualTo("2026-11-22T10:00:02Z");
    assertThat(run.at("/run/status").asText()).isEqualTo("partial");
    assertThat(run.at("/run/input/q").asText()).isEqualTo("x");
    assertThat(run.at("/run/output/answer").asInt()).isEqualTo(42);
    JsonNode c = stepOf(run, child);
    assertThat(c.path("parent_step_id").asText()).isEqualTo(root);
    assertThat(c.path("type").asText()).isEqualTo("tool");
    assertThat(c.path("name").asText()).isEqualTo("lookup");
    assertThat(c.path("duration_ms").asDouble()).isEqualTo(500.0);
    assertThat(c.path("error")).isEqualTo(json("{\"type\":\"tool\",\"code\":\"value_error\",\"message\":\"ValueError('bad')\"}"));
  }

  @Test
  void batch_sentTwice_changesNothing() {
    String root = newId();
    String llm = newId();
    String body = "{\"post\":[" + run(root, root, null, "agent", "chain",
        "\"start_time\":\"2026-11-22T10:00:00.000001Z\",\"end_time\":\"2026-11-22T10:00:01.000001Z\","
            + "\"inputs\":{\"q\":1},\"outputs\":{\"a\":2}") + ","
        + run(llm, root, root, "chat", "llm", "\"start_time\":\"2026-11-22T10:00:00.100001Z\","
            + "\"end_time\":\"2026-11-22T10:00:00.900001Z\",\"outputs\":{\"usage_metadata\":{\"input_tokens\":10,"
            + "\"output_tokens\":3,\"input_token_details\":{\"cache_read\":4},\"output_token_details\":"
            + "{\"reasoning\":1},\"total_cost\":0.002}},\"extra\":{\"metadata\":{\"ls_model_name\":\"m1\"}}")
        + "],\"patch\":[]}";
    assertThat(postJson("/runs/batch", body).status()).isEqualTo(202);
    JsonNode once = runDetail(root);
    TestServer.Response again = postJson("/api/v1/runs/batch", body);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body()).isEqualTo("{}");
    assertThat(runDetail(root)).isEqualTo(once);
    assertThat(once.at("/run/step_count").asInt()).isEqualTo(2);
    assertThat(once.at("/run/input_tokens").asLong()).isEqualTo(10);
    assertThat(once.at("/run/cost_usd").asDouble()).isEqualTo(0.002);
    JsonNode step = json(server.get("/v1/runs/" + root + "/steps/" + llm).body());
    assertThat(step.path("cache_read_tokens").asLong()).isEqualTo(4);
    assertThat(step.path("reasoning_tokens").asLong()).isEqualTo(1);
    assertThat(step.path("model").asText()).isEqualTo("m1");
  }

  @Test
  void multipart_gzipChunked_pythonLengths_nonAscii() {
    String root = newId();
    String text = "{\"input\":\"grüße \u2603 — naïve\"}";
    byte[] body = new Multipart()
        .pythonJson("post." + root, run(root, root, null, "ümlaut", "chain",
            "\"start_time\":\"2026-11-22T10:00:00.000001\",\"end_time\":\"2026-11-22T10:00:00.250001+00:00\""))
        .json("post." + root + ".inputs", text)
        .close();
    Multipart m = new Multipart();
    // rebuild with this instance's boundary, then compress the whole body
    byte[] rebuilt = new String(body, StandardCharsets.UTF_8).replace(boundaryOf(body), m.boundary)
        .getBytes(StandardCharsets.UTF_8);
    TestServer.Response r = m.sendTo("/api/v1/runs/multipart", gzip(rebuilt), "gzip");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode run = runDetail(root);
    assertThat(run.at("/run/name").asText()).isEqualTo("ümlaut");
    assertThat(run.at("/run/input/input").asText()).isEqualTo("grüße \u2603 — naïve");
    assertThat(run.at("/run/duration_ms").asDouble()).isEqualTo(250.0);
    assertThat(run.at("/run/status").asText()).isEqualTo("success");
  }

  private static String boundaryOf(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.substring(2, s.indexOf("\r\n"));
  }

  @Test
  void multipart_attachmentsAndFeedback_acceptedWithoutFailing() {
    String root = newId();
    String feedback = newId();
    byte[] binary = new byte[3000];
    for (int i = 0; i < binary.length; i++) binary[i] = (byte) (i % 7 == 0 ? '-' : i % 5 == 0 ? '\r' : i);
    TestServer.Response r = new Multipart()
        .json("post." + root, run(root, root, null, "with_files", "chain",
            "\"start_time\":1795341600000,\"end_time\":1795341600100"))
        .part("attachment." + root + ".image", "image/png; length=3000", null, binary)
        .json("feedback." + feedback, "{\"id\":\"" + feedback + "\",\"run_id\":\"" + root + "\",\"trace_id\":\"" + root
            + "\",\"key\":\"correctness\",\"score\":1,\"comment\":\"right\",\"feedback_source\":{\"type\":\"api\"}}")
        .send();
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.body()).isEqualTo("{}");
    JsonNode run = runDetail(root);
    assertThat(run.at("/run/status").asText()).isEqualTo("success");
    JsonNode fb = stepOf(run, feedback);
    assertThat(fb.path("type").asText()).isEqualTo("evaluator");
    assertThat(fb.path("name").asText()).isEqualTo("correctness");
    assertThat(fb.path("parent_step_id").asText()).isEqualTo(root);
    JsonNode detail = json(server.get("/v1/runs/" + root + "/steps/" + feedback).body());
    assertThat(detail.at("/metadata/score").asInt()).isEqualTo(1);
    assertThat(detail.at("/output/comment").asText()).isEqualTo("right");
  }

  @Test
  void multipart_malformedPart_rejectsOnlyItsRun() {
    String good = newId();
    String bad = newId();
    TestServer.Response r = new Multipart()
        .json("post." + good, run(good, good, null, "fine", "chain", "\"start_time\":1795341600000"))
        .json("post." + bad, run(bad, bad, null, "broken", "chain", "\"start_time\":1795341600000"))
        .json("post." + bad + ".inputs", "{\"q\": not json}")
        .json("post." + bad + ".outputs", "{}")
        .part("mystery", "text/plain", null, "?".getBytes(StandardCharsets.UTF_8))
        .json("post.", "{}")
        .send();
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode errors = json(r.body()).path("errors");
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0).path("id").asText()).isEqualTo(bad);
    assertThat(errors.get(0).path("message").asText())
        .startsWith("post." + bad + ": part post." + bad + ".inputs is not valid JSON: ");
    assertThat(errors.get(1)).isEqualTo(json("{\"part\":\"mystery\",\"message\":\"unknown part; expected "
        + "post.<run id>, patch.<run id>, feedback.<id> or attachment.<run id>.<name>\"}"));
    assertThat(errors.get(2)).isEqualTo(json("{\"part\":\"post.\",\"message\":\"the part name has no run id; "
        + "expected post.<run id>\"}"));
    assertThat(runDetail(good).at("/run/name").asText()).isEqualTo("fine");
    assertThat(server.get("/v1/runs/" + bad).status()).isEqualTo(404);
  }

  @Test
  void multipart_brokenFraming_is400WithAClearMessage() {
    String id = newId();
    Multipart m = new Multipart().json("post." + id, run(id, id, null, "x", "chain", null));
    TestServer.Response truncated = m.sendTo("/runs/multipart", m.unclosed(), null);
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(json(truncated.body())).isEqualTo(json("{\"error\":\"invalid_multipart\",\"message\":\"the multipart "
        + "body ended inside part post." + id + " without its closing boundary; check the boundary parameter and "
        + "that the body was sent whole\"}"));

    TestServer.Response noBoundary = send("POST", "/runs/multipart", "multipart/form-data", m.close(), null, false);
    assertThat(noBoundary.status()).isEqualTo(400);
    assertThat(json(noBoundary.body()).path("message").asText())
        .isEqualTo("Content-Type multipart/form-data needs a boundary parameter of 1 to 200 characters");

    TestServer.Response notMultipart = send("POST", "/runs/multipart", "application/json", "{}".getBytes(), null, false);
    assertThat(notMultipart.status()).isEqualTo(415);

    TestServer.Response badGzip = new Multipart().sendTo("/runs/multipart", "not gzip".getBytes(), "gzip");
    assertThat(badGzip.status()).isEqualTo(400);

    TestServer.Response empty = new Multipart().send();
    assertThat(empty.status()).isEqualTo(202);
  }

  @Test
  void multipart_oversizePart_is413() {
    try (TestServer small =
        TestServer.start(c -> c.toBuilder().limits(Limits.DEFAULT.withMaxBodyBytes(64 * 1024)).build())) {
      String id = newId();
      Multipart m = new Multipart().json("post." + id, run(id, id, null, "x", "chain", null))
          .part("attachment." + id + ".big", "application/octet-stream", null, new byte[200 * 1024]);
      byte[] compressed = gzip(m.close());
      assertThat(compressed.length).isLessThan(64 * 1024);
      TestServer.Response r = small.send(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/runs/multipart"))
          .header("x-api-key", TestServer.API_KEY).header("Content-Type", m.contentType())
          .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(compressed)).build());
      assertThat(r.status()).isEqualTo(413);
      assertThat(json(r.body()).path("error").asText()).isEqualTo("too_large");

      Multipart declared = new Multipart()
          .part("post." + id, "application/json; length=99999999", null, "{}".getBytes(StandardCharsets.UTF_8));
      TestServer.Response d = small.send(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/runs/multipart"))
          .header("x-api-key", TestServer.API_KEY).header("Content-Type", declared.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(declared.close())).build());
      assertThat(d.status()).isEqualTo(413);
      assertThat(json(d.body())).isEqualTo(json("{\"error\":\"too_large\",\"message\":\"multipart part post." + id
          + " is larger than 65536 bytes; send smaller runs or attachments\"}"));
    }
  }

  @Test
  void singleCreateAndPatch_underApiV1() {
    String root = newId();
    TestServer.Response created = postJson("/api/v1/runs", run(root, root, null, "single", "chain",
        "\"start_time\":\"2026-11-22T10:00:00.000001Z\",\"inputs\":{\"q\":1},\"extra\":{\"metadata\":"
            + "{\"agent_id\":\"named-agent\",\"thread_id\":\"conv-7\",\"environment\":\"staging\"}}"));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    assertThat(created.body()).isEqualTo("{}");
    TestServer.Response patched = send("PATCH", "/api/v1/runs/" + root, "application/json",
        ("{\"end_time\":\"2026-11-22T10:00:03.000001Z\",\"outputs\":{\"a\":1},\"trace_id\":\"" + root
            + "\",\"dotted_order\":\"20261122T100000000001Z" + root + "\"}").getBytes(StandardCharsets.UTF_8),
        null, false);
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    JsonNode run = runDetail(root);
    assertThat(run.at("/run/agent_id").asText()).isEqualTo("named-agent");
    assertThat(run.at("/run/session_id").asText()).isEqualTo("conv-7");
    assertThat(run.at("/run/environment").asText()).isEqualTo("staging");
    assertThat(run.at("/run/duration_ms").asDouble()).isEqualTo(3000.0);
    assertThat(run.at("/run/status").asText()).isEqualTo("success");

    TestServer.Response mismatch = send("PATCH", "/runs/" + root, "application/json",
        "{\"id\":\"someone-else\"}".getBytes(StandardCharsets.UTF_8), null, false);
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(json(mismatch.body()).path("message").asText()).isEqualTo("no run in the request could be used: "
        + "patch: id someone-else in the body differs from run id " + root + " in the path");
  }

  /** The root's error only says the run failed; the failure names the failing child, whichever arrives first. */
  @Test
  void rootError_failureNamesTheFailingChild_sentInAnotherRequest() {
    for (boolean rootFirst : new boolean[] {false, true}) {
      String root = newId();
      String tool = newId();
      String rootBody = run(root, root, null, "agent", "chain", "\"start_time\":\"2026-11-22T10:00:00Z\","
          + "\"end_time\":\"2026-11-22T10:00:05Z\",\"error\":\"Error: lookup failed\"");
      String toolBody = run(tool, root, root, "billing_api", "tool", "\"start_time\":\"2026-11-22T10:00:01Z\","
          + "\"end_time\":\"2026-11-22T10:00:04Z\",\"error\":\"TimeoutError: billing_api timed out\"");
      for (String body : rootFirst ? List.of(rootBody, toolBody) : List.of(toolBody, rootBody)) {
        TestServer.Response r = postJson("/runs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
      }
      JsonNode run = runDetail(root);
      assertThat(run.at("/run/status").asText()).isEqualTo("failure");
      assertThat(run.at("/failure/step_id").asText()).as("root first: %s", rootFirst).isEqualTo(tool);
      assertThat(run.at("/failure/type").asText()).isEqualTo("tool");
      assertThat(run.at("/failure/code").asText()).isEqualTo("timeout");
    }
  }

  @Test
  void patch_ofAnUnknownRunWithoutTrace_is400() {
    String id = newId();
    TestServer.Response r = send("PATCH", "/runs/" + id, "application/json",
        "{\"end_time\":1795341600000}".getBytes(StandardCharsets.UTF_8), null, false);
    assertThat(r.status()).isEqualTo(400);
    assertThat(json(r.body()).path("errors").get(0)).isEqualTo(json("{\"id\":\"" + id + "\",\"message\":\"patch: run "
        + id + " names no trace: send trace_id or dotted_order\"}"));
  }

  @Test
  void legacyCreate_withNestedChildRuns_andLangChainUsage() {
    String root = newId();
    String llm = newId();
    String tool = newId();
    String body = "{\"id\":\"" + root + "\",\"name\":\"AgentExecutor\",\"run_type\":\"chain\","
        + "\"start_time\":\"2026-11-22T10:00:00\",\"end_time\":\"2026-11-22T10:00:02\",\"session_name\":\"legacy\","
        + "\"child_runs\":[{\"id\":\"" + llm + "\",\"name\":\"ChatOpenAI\",\"run_type\":\"llm\","
        + "\"start_time\":\"2026-11-22T10:00:00.5\",\"end_time\":\"2026-11-22T10:00:01\","
        + "\"extra\":{\"invocation_params\":{\"model_name\":\"gpt-4o-mini\"}},"
        + "\"outputs\":{\"llm_output\":{\"token_usage\":{\"prompt_tokens\":11,\"completion_tokens\":7}}},"
        + "\"child_runs\":[]},{\"id\":\"" + tool + "\",\"name\":\"search\",\"run_type\":\"retriever\","
        + "\"start_time\":\"2026-11-22T10:00:01\",\"end_time\":\"2026-11-22T10:00:01.5\","
        + "\"error\":\"Traceback (most recent call last):\\n  File x\\nopenai.RateLimitError: slow down\"}]}";
    TestServer.Response r = postJson("/runs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode run = runDetail(root);
    assertThat(run.at("/run/agent_id").asText()).isEqualTo("legacy");
    assertThat(run.at("/run/step_count").asInt()).isEqualTo(3);
    JsonNode l = stepOf(run, llm);
    assertThat(l.path("parent_step_id").asText()).isEqualTo(root);
    assertThat(l.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(l.path("input_tokens").asLong()).isEqualTo(11);
    assertThat(l.path("output_tokens").asLong()).isEqualTo(7);
    JsonNode t = stepOf(run, tool);
    assertThat(t.path("type").asText()).isEqualTo("retrieval");
    assertThat(t.at("/error/type").asText()).isEqualTo("retrieval");
    assertThat(t.at("/error/code").asText()).isEqualTo("rate_limited");
  }

  @Test
  void batch_badBodies_are400() {
    TestServer.Response notJson = postJson("/runs/batch", "{nope");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(json(notJson.body()).path("error").asText()).isEqualTo("invalid_json");
    TestServer.Response wrongShape = postJson("/runs/batch", "{\"post\":{}}");
    assertThat(json(wrongShape.body())).isEqualTo(json(
        "{\"error\":\"invalid_body\",\"message\":\"\\\"post\\\" must be an array of runs, got an object\"}"));
    TestServer.Response allBad = postJson("/runs/batch", "{\"post\":[1,{\"name\":\"no id\"}]}");
    assertThat(allBad.status()).isEqualTo(400);
    assertThat(json(allBad.body()).path("errors")).isEqualTo(json("[{\"id\":null,\"message\":\"post[0]: must be a "
        + "run object, got a number\"},{\"id\":null,\"message\":\"post[1]: id is required\"}]"));
  }

  @Test
  void overload_gets429WithRetryAfter_neverA5xx() throws Exception {
    try (TestServer busy = TestServer.start(c -> c.toBuilder().queueCapacityItems(100).maxCommitItems(10).build())) {
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      Set<String> retryAfter = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(12);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 6; i++) {
            String root = newId();
            StringBuilder posts = new StringBuilder(run(root, root, null, "load", "chain", "\"start_time\":1795341600000"));
            for (int k = 0; k < 60; k++) {
              posts.append(',').append(run(newId(), root, root, "s" + k, "tool", "\"start_time\":1795341600001"));
            }
            TestServer.Response r = busy.send(HttpRequest.newBuilder(URI.create(busy.baseUrl() + "/runs/batch"))
                .header("x-api-key", TestServer.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"post\":[" + posts + "]}")).build());
            statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
            if (r.status() == 429) retryAfter.add(String.valueOf(r.header("retry-after")));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) f.get(2, TimeUnit.MINUTES);
      pool.shutdown();
      assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(202, 429);
      assertThat(statuses.get(429)).as("statuses %s", statuses).isNotNull();
      assertThat(retryAfter).containsExactly("1");
    }
  }
}
