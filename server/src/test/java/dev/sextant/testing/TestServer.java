package dev.sextant.testing;

import dev.sextant.server.Config;
import dev.sextant.server.SextantServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Sextant server for integration tests: port 0, a fresh SQLite file in a temp folder, and a
 * bootstrap API key {@link #API_KEY} with every scope for project {@code default}.
 *
 * <p>A test class that shares one server among its tests registers it as an extension, which
 * starts it before the first test and stops it after the last:
 *
 * <pre>{@code
 * @RegisterExtension static final TestServer server =
 *     TestServer.perClass(c -> c.toBuilder().otlpHttpPort(0).otlpGrpcPort(0).build());
 * }</pre>
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String API_KEY = "sk-test-key-0123456789";
  public static final String ADMIN_PASSWORD = "test-admin-password";

  private final UnaryOperator<Config> tweak;
  private Path dataDir;
  private SextantServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Path dataDir, SextantServer server) {
    this.tweak = null;
    this.dataDir = dataDir;
    this.server = server;
  }

  private TestServer(UnaryOperator<Config> tweak) {
    this.tweak = tweak;
  }

  /** A server for one test class, started before its first test and stopped after its last. */
  public static TestServer perClass() {
    return perClass(c -> c);
  }

  /** {@link #perClass()} with the default test configuration changed by {@code tweak}. */
  public static TestServer perClass(UnaryOperator<Config> tweak) {
    return new TestServer(tweak);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (tweak == null) throw new IllegalStateException("only a server made by perClass() is started by JUnit");
    TestServer started = start(tweak);
    dataDir = started.dataDir;
    server = started.server;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) close();
  }

  public static TestServer start() {
    return start(c -> c);
  }

  /** Starts with the default test configuration changed by {@code tweak}. */
  public static TestServer start(UnaryOperator<Config> tweak) {
    try {
      return start(Files.createTempDirectory("sextant-test"), tweak);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts on the data directory {@code dir}, e.g. one a stopped server left behind. */
  public static TestServer start(Path dir, UnaryOperator<Config> tweak) {
    Config config =
        tweak.apply(Config.builder(dir).bootstrapApiKey(API_KEY).bootstrapAdminPassword(ADMIN_PASSWORD).build());
    SextantServer s = new SextantServer(config, Clock.systemUTC(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).start();
    return new TestServer(dir, s);
  }

  public SextantServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** GET with the bootstrap key; returns status and body. */
  public Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
        .header("Authorization", "Bearer " + API_KEY).GET().build());
  }

  /** POST JSON with the bootstrap key. */
  public Response post(String path, String json) {
    return sendJson("POST", path, json);
  }

  /** PATCH JSON with the bootstrap key. */
  public Response patch(String path, String json) {
    return sendJson("PATCH", path, json);
  }

  /** Sets the content policy of project {@code default}; fails unless the server answers 200. */
  public void contentPolicy(String policy) {
    Response r = patch("/v1/projects/default", "{\"content_policy\":\"" + policy + "\"}");
    if (r.status() != 200) {
      throw new AssertionError("setting content policy " + policy + " answered " + r.status() + ": " + r.body());
    }
  }

  /**
   * Creates project {@code project} (when missing) and an API key of it with {@code scopes}, through
   * the API with the bootstrap key; returns the key's secret.
   */
  public String newKey(String project, String... scopes) {
    if (get("/v1/projects").body().indexOf("\"project_id\":\"" + project + "\"") < 0) {
      Response created = post("/v1/projects", "{\"project_id\":\"" + project + "\"}");
      if (created.status() != 201) throw new AssertionError("creating project " + project + ": " + created.body());
    }
    Response key = post("/v1/projects/" + project + "/api-keys",
        "{\"scopes\":[\"" + String.join("\",\"", scopes) + "\"]}");
    if (key.status() != 201) throw new AssertionError("creating a key for " + project + ": " + key.body());
    return dev.sextant.model.Json.read(key.body()).path("secret").asText();
  }

  /** Any method with {@code key} as Bearer credential (none when null) and a JSON body (none when null). */
  public Response call(String method, String path, String key, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path));
    if (key != null) b.header("Authorization", "Bearer " + key);
    if (json == null) return send(b.method(method, HttpRequest.BodyPublishers.noBody()).build());
    return send(b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private Response sendJson(String method, String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp folder; best effort
    }
  }

  /** A response's status and body. */
  public record Response(int status, String body, HttpResponse<String> raw) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }
}
