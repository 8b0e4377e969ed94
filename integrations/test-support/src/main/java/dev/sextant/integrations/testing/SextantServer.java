package dev.sextant.integrations.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.server.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Sextant server in-process, on port 0 with a fresh SQLite data directory and the default
 * {@code metadata-only} content policy. Use it as a JUnit extension for the tests of one class
 * ({@code @RegisterExtension static final SextantServer server = new SextantServer();}) or by hand
 * ({@code try (SextantServer server = SextantServer.start()) {…}}); closing it stops the server and
 * deletes the data.
 */
public final class SextantServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

  /** The bootstrap project's API key. */
  public static final String API_KEY = "sk-integrations-0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Path dataDir;
  private dev.sextant.server.SextantServer server;

  /** A server started now, for use outside a JUnit extension; close it when done. */
  public static SextantServer start() {
    SextantServer started = new SextantServer();
    started.open();
    return started;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open();
  }

  private void open() {
    try {
      dataDir = Files.createTempDirectory("sextant-integrations");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Config config = Config.builder(dataDir).bootstrapApiKey(API_KEY)
        .bootstrapAdminPassword("integrations-admin-password").build();
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
  public JsonNode get(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(endpoint() + pathAndQuery)).header("Authorization", "Bearer " + API_KEY).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The ids of the runs of {@code agent}, newest first. */
  public List<String> runIds(String agent) {
    List<String> ids = new ArrayList<>();
    get("/v1/runs?limit=1000&agent=" + URLEncoder.encode(agent, StandardCharsets.UTF_8))
        .path("runs").forEach(r -> ids.add(r.path("run_id").asText()));
    return ids;
  }

  /** The stored run with its step summaries ({@code GET /v1/runs/{id}}). */
  public JsonNode run(String runId) {
    return get("/v1/runs/" + runId);
  }

  /** The stored run with every step in full (events, metadata) under {@code steps}. */
  public JsonNode runWithSteps(String runId) {
    JsonNode detail = run(runId);
    List<JsonNode> full = new ArrayList<>();
    detail.path("steps").forEach(s -> full.add(get("/v1/runs/" + runId + "/steps/" + s.path("step_id").asText())));
    ((ObjectNode) detail).set("steps", JSON.valueToTree(full));
    return detail;
  }

  /** The stored step of {@code runId} named {@code name}, with its events and metadata. */
  public JsonNode step(String runId, String name) {
    for (JsonNode step : run(runId).get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return get("/v1/runs/" + runId + "/steps/" + step.get("step_id").asText());
      }
    }
    throw new AssertionError("run " + runId + " has no step named " + name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
