package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.auth.Bootstrap;
import dev.sextant.demo.DemoData;
import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/export} and {@code POST /v1/import/native}: demo data survives a round trip exactly. */
class ITExportImport {
  @RegisterExtension
  static final TestServer source = TestServer.perClass();

  @BeforeAll
  static void start() {
    source.contentPolicy("full");
    new DemoData(Clock.systemUTC(), 7).write(source.server().pipeline(),
        source.server().store().project(Bootstrap.DEFAULT_PROJECT).orElseThrow(), 60);
  }

  @Test
  void roundTrip_everyRunAndStepEqual() {
    TestServer.Response export = source.get("/v1/export");
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    assertThat(export.header("content-type")).startsWith("application/x-ndjson");
    assertThat(export.header("content-disposition")).matches("attachment; filename=\"sextant-default-\\d{8}T\\d{6}Z\\.jsonl\"");
    List<String> runIds = runIds(source, "");
    assertThat(runIds).hasSize(60);
    try (TestServer target = TestServer.start()) {
      target.contentPolicy("full");
      TestServer.Response imported = target.post("/v1/import/native", export.body());
      assertThat(imported.status()).as(imported.body()).isEqualTo(200);
      JsonNode result = json(imported.body());
      assertThat(result.path("accepted").path("runs").asInt()).isEqualTo(60);
      assertThat(result.path("errors")).isEmpty();
      assertThat(runIds(target, "")).isEqualTo(runIds);
      for (String id : runIds) {
        JsonNode want = json(source.get("/v1/runs/" + id).body());
        JsonNode got = json(target.get("/v1/runs/" + id).body());
        assertThat(got).as(id).isEqualTo(want);
        for (JsonNode step : want.path("steps")) {
          String path = "/v1/runs/" + id + "/steps/" + step.path("step_id").asText();
          assertThat(json(target.get(path).body())).as(path).isEqualTo(json(source.get(path).body()));
        }
      }
      // importing the same export again changes nothing
      target.post("/v1/import/native", export.body());
      assertThat(json(target.get("/v1/runs/" + runIds.get(0)).body()))
          .isEqualTo(json(source.get("/v1/runs/" + runIds.get(0)).body()));
      assertThat(runIds(target, "")).hasSize(60);
    }
  }

  @Test
  void export_takesTheRunFilters() {
    List<String> failed = runIds(source, "&status=failure");
    assertThat(failed).isNotEmpty();
    String body = source.get("/v1/export?status=failure").body();
    List<String> exported = new ArrayList<>();
    for (String line : body.split("\n")) {
      JsonNode l = json(line);
      if (l.has("runs")) exported.add(l.path("runs").get(0).path("run_id").asText());
    }
    assertThat(exported).isEqualTo(failed);
  }

  @Test
  void export_oneRun() {
    String id = runIds(source, "").get(3);
    TestServer.Response r = source.get("/v1/export?run_id=" + id);
    String[] lines = r.body().split("\n");
    assertThat(json(lines[0]).path("runs").get(0).path("run_id").asText()).isEqualTo(id);
    int steps = json(source.get("/v1/runs/" + id).body()).path("steps").size();
    assertThat(lines).hasSize(1 + steps);
    assertThat(r.header("content-disposition")).contains("-run-" + id);
    assertError(source.get("/v1/export?run_id=nope"), 404, "not_found");
  }

  @Test
  void csv_listsTheRuns() {
    TestServer.Response r = source.get("/v1/export?format=csv&status=failure");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/csv");
    String[] lines = r.body().split("\r\n");
    assertThat(lines[0]).startsWith("run_id,agent_id,agent_version,environment,name,session_id,status,");
    List<String> failed = runIds(source, "&status=failure");
    assertThat(lines).hasSize(1 + failed.size());
    for (int i = 0; i < failed.size(); i++) {
      assertThat(lines[i + 1]).startsWith(failed.get(i) + ",").contains(",failure,");
    }
  }

  @Test
  void csv_neutralisesFormulasAndQuotes() {
    source.post("/v1/ingest", "{\"runs\":[{\"run_id\":\"csv-1\",\"name\":\"=HYPERLINK(\\\"x\\\")\",\"agent_id\":\"a,b\","
        + "\"start_time\":\"2020-01-01T00:00:00Z\"}]}");
    String body = source.get("/v1/export?format=csv&run_id=csv-1").body();
    assertThat(body.split("\r\n")[1]).startsWith("csv-1,\"a,b\",,,\"'=HYPERLINK(\"\"x\"\")\",,running,2020-01-01T00:00:00Z,");
  }

  @Test
  void badInput_isExplained() {
    TestServer.Response format = source.get("/v1/export?format=xml");
    assertError(format, 400, "invalid_parameter");
    assertThat(json(format.body()).path("message").asText()).isEqualTo("format must be jsonl or csv, got \"xml\"");
    TestServer.Response status = source.get("/v1/export?status=done");
    assertError(status, 400, "invalid_parameter");
    TestServer.Response unknown = source.post("/v1/import/parquet", "{}");
    assertError(unknown, 404, "not_found");
    assertThat(json(unknown.body()).path("message").asText()).startsWith("no import format \"parquet\": format must be one of native");
    TestServer.Response bad = source.post("/v1/import/native", "{\"runs\":[{\"run_id\":\"ok-1\"}]}\nnot json\n{\"steps\":[{\"step_id\":\"s\"}]}\n");
    assertThat(bad.status()).isEqualTo(200);
    JsonNode b = json(bad.body());
    assertThat(b.path("accepted").path("runs").asInt()).isEqualTo(1);
    assertThat(b.path("errors").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(b.path("errors").get(0).path("message").asText()).startsWith("the body is not valid JSON");
    assertThat(b.path("errors").get(1).path("line").asInt()).isEqualTo(3);
    assertThat(b.path("errors").get(1).path("kind").asText()).isEqualTo("step");
    TestServer.Response anonymous = source.send(HttpRequest.newBuilder(URI.create(source.baseUrl() + "/v1/export")).GET().build());
    assertError(anonymous, 401, "unauthorized");
  }

  static List<String> runIds(TestServer s, String filter) {
    List<String> ids = new ArrayList<>();
    for (JsonNode r : json(s.get("/v1/runs?limit=1000" + filter).body()).path("runs")) ids.add(r.path("run_id").asText());
    return ids;
  }
}
