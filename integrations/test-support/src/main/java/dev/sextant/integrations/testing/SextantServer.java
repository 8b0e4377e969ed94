package dev.sextant.integrations.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.server.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Sextant server in-process (used by the integrations' tests and by {@code sdk-it}), on port 0 with a fresh SQLite data directory and the default
 * {@code metadata-only} content policy, for the tests of one class: {@code @RegisterExtension static
 * final SextantServer server = new SextantServer();}.
 */
public final class SextantServer implements BeforeAllCallback, AfterAllCallback {

  public static final String API_KEY = "sk-integrations-0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Path dataDir;
  private dev.sextant.server.SextantServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("sextant-integrations");
    Config config = Config.defaults(dataDir).withBootstrap(API_KEY, "integrations-admin-password");
    server = new dev.sextant.server.SextantServer(config, Clock.systemUTC(),
        new PrintStream(OutputStream.nullOutputStream())).start();
  }

  /** The server's data directory: its SQLite database and WAL. */
  public Path dataDir() {
    return dataDir;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.port();
  }

  /** GETs a query path with the bootstrap key; fails on any status but 200. */
  public JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(endpoint() + pathAndQuery)).header("Authorization", "Bearer " + API_KEY).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** The stored run with its steps ({@code GET /v1/runs/{id}}). */
  public JsonNode run(String runId) throws Exception {
    return get("/v1/runs/" + runId);
  }

  /** The stored step of {@code runId} named {@code name}, with its events and metadata. */
  public JsonNode step(String runId, String name) throws Exception {
    for (JsonNode step : run(runId).get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return get("/v1/runs/" + runId + "/steps/" + step.get("step_id").asText());
      }
    }
    throw new AssertionError("run " + runId + " has no step named " + name);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
