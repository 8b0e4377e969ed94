package dev.sextant.integrations.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.Config;
import dev.sextant.server.SextantServer;
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

/**
 * The real Sextant server, in-process on a free port with a fresh SQLite data directory and the
 * default {@code metadata-only} content policy; {@link #close()} stops it and deletes the data.
 */
public final class SextantTestServer implements AutoCloseable {

  /** The bootstrap project's API key. */
  public static final String API_KEY = "sk-integrations-0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final Path dataDir;
  private final SextantServer server;

  private SextantTestServer(Path dataDir, SextantServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  public static SextantTestServer start() {
    try {
      Path dataDir = Files.createTempDirectory("sextant-integrations");
      Config config = Config.defaults(dataDir).withBootstrap(API_KEY, "integrations-admin-password");
      SextantServer server = new SextantServer(config, Clock.systemUTC(),
          new PrintStream(OutputStream.nullOutputStream())).start();
      return new SextantTestServer(dataDir, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** A run as {@code GET /v1/runs/{id}} answers it, with every step in full under {@code steps}. */
  public JsonNode run(String runId) {
    JsonNode detail = get("/v1/runs/" + runId);
    List<JsonNode> full = new ArrayList<>();
    detail.path("steps").forEach(s -> full.add(get("/v1/runs/" + runId + "/steps/" + s.path("step_id").asText())));
    ((com.fasterxml.jackson.databind.node.ObjectNode) detail).set("steps", JSON.valueToTree(full));
    return detail;
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
