package dev.sextant.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.testing.Node;
import dev.sextant.testing.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs one script of {@code compat-tests/langsmith-langfuse} against a test server. */
final class Sdk {
  static final Path PROJECT = Node.project("langsmith-langfuse");

  private Sdk() {}

  /** Runs {@code script} and returns the JSON it printed after {@code RESULT }. */
  static JsonNode run(TestServer server, String script, Map<String, String> extraEnv) {
    Node.install(PROJECT);
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("SEXTANT_URL", server.baseUrl());
    env.put("SEXTANT_KEY", TestServer.API_KEY);
    env.put("SEXTANT_PUBLIC_KEY", "pk-sextant-default");
    Node.Result r = Node.script(PROJECT, script, env, 120);
    assertThat(r.exit()).as(r.output()).isZero();
    String line = r.output().lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new AssertionError("no RESULT line in:\n" + r.output()));
    return Json.read(line.substring("RESULT ".length()));
  }

  static JsonNode get(TestServer server, String path) {
    TestServer.Response r = server.get(path);
    assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
    return Json.read(r.body());
  }

  /** The step with {@code id} from a run detail. */
  static JsonNode step(JsonNode run, String id) {
    for (JsonNode s : run.path("steps")) if (s.path("step_id").asText().equals(id)) return s;
    throw new AssertionError("no step " + id + " in " + run.path("steps"));
  }
}
