package dev.sextant.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The memories that map a LangSmith run id or a Langfuse observation id to its trace belong to
 * one project: another project can neither attach to that trace nor tell a known id from an
 * unknown one by the answer.
 */
class ITProjectIsolation {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static String keyA;
  static String keyB;

  @BeforeAll
  static void start() {
    keyA = server.newKey("tenant-a", "ingest", "read");
    keyB = server.newKey("tenant-b", "ingest", "read");
  }

  @Test
  void langSmithPatch_ofAnotherProjectsRun_isAnsweredAsAnUnknownId() {
    String trace = "0b0b0b0b-0000-4000-8000-000000000001";
    String child = "0b0b0b0b-0000-4000-8000-000000000002";
    assertThat(server.call("POST", "/runs", keyB, "{\"id\":\"" + trace + "\",\"trace_id\":\"" + trace
        + "\",\"name\":\"b-root\",\"run_type\":\"chain\",\"start_time\":\"2026-11-22T10:00:00Z\"}").status())
        .isEqualTo(202);
    assertThat(server.call("POST", "/runs", keyB, "{\"id\":\"" + child + "\",\"trace_id\":\"" + trace
        + "\",\"parent_run_id\":\"" + trace + "\",\"name\":\"b-child\",\"run_type\":\"llm\","
        + "\"start_time\":\"2026-11-22T10:00:01Z\"}").status()).isEqualTo(202);

    String unknown = "0b0b0b0b-0000-4000-8000-0000000000ff";
    String end = "{\"end_time\":\"2026-11-22T10:00:05Z\"}";
    TestServer.Response forUnknown = server.call("PATCH", "/runs/" + unknown, keyA, end);
    for (String id : new String[] {trace, child}) {
      TestServer.Response forB = server.call("PATCH", "/runs/" + id, keyA, end);
      assertThat(forB.status()).isEqualTo(forUnknown.status()).isEqualTo(400);
      assertThat(forB.body().replace(id, "ID")).isEqualTo(forUnknown.body().replace(unknown, "ID"));
    }
    // B still finds its own run by id alone
    assertThat(server.call("PATCH", "/runs/" + child, keyB, end).status()).isEqualTo(200);

    assertThat(runIds(keyA)).doesNotContain(trace);
    assertThat(runIds(keyB)).contains(trace);
  }

  @Test
  void langfuseUpdate_ofAnotherProjectsObservation_isAnsweredAsAnUnknownId() {
    String trace = "lf-isolation-trace";
    String observation = "lf-isolation-generation";
    JsonNode created = ingest(keyB, "{\"id\":\"e1\",\"type\":\"trace-create\",\"timestamp\":\"2026-11-22T10:00:00Z\","
        + "\"body\":{\"id\":\"" + trace + "\",\"name\":\"b\",\"timestamp\":\"2026-11-22T10:00:00Z\"}},"
        + "{\"id\":\"e2\",\"type\":\"generation-create\",\"timestamp\":\"2026-11-22T10:00:00Z\","
        + "\"body\":{\"id\":\"" + observation + "\",\"traceId\":\"" + trace + "\",\"name\":\"g\","
        + "\"startTime\":\"2026-11-22T10:00:00Z\"}}");
    assertThat(created.path("errors")).isEmpty();

    String update = "{\"id\":\"%s\",\"type\":\"generation-update\",\"timestamp\":\"2026-11-22T10:00:02Z\","
        + "\"body\":{\"id\":\"%s\",\"endTime\":\"2026-11-22T10:00:02Z\"}}";
    JsonNode forB = ingest(keyA, String.format(update, "a1", observation));
    JsonNode forUnknown = ingest(keyA, String.format(update, "a2", "lf-no-such-observation"));
    assertThat(forB.path("successes")).isEmpty();
    assertThat(forB.path("errors").get(0).path("error").asText().replace(observation, "ID"))
        .isEqualTo(forUnknown.path("errors").get(0).path("error").asText().replace("lf-no-such-observation", "ID"));
    assertThat(runIds(keyA)).doesNotContain(trace);
    // B's own update still finds the trace
    assertThat(ingest(keyB, String.format(update, "b3", observation)).path("errors")).isEmpty();
  }

  private static JsonNode ingest(String key, String events) {
    TestServer.Response r = server.call("POST", "/api/public/ingestion", key, "{\"batch\":[" + events + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    return Json.read(r.body());
  }

  private static String runIds(String key) {
    TestServer.Response r = server.call("GET", "/v1/runs?limit=100", key, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
