package dev.sextant.sdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.server.Config;
import dev.sextant.server.SextantServer;
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
 * The real Sextant server, in-process on port 0 with a fresh SQLite data directory, for the tests of
 * one class: {@code @RegisterExtension static final Server server = new Server();} starts it before
 * the class's first test and stops it, deleting the data, after its last.
 */
final class Server implements BeforeAllCallback, AfterAllCallback {

  static final String API_KEY = "sk-sdk-it-0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Path dataDir;
  private SextantServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("sextant-sdk-it");
    Config config = Config.defaults(dataDir).withBootstrap(API_KEY, "sdk-it-admin-password");
    server = new SextantServer(config, Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream())).start();
  }

  Path dataDir() {
    return dataDir;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.port();
  }

  /** GETs a query path with the bootstrap key and parses the JSON answer; fails on any other status than 200. */
  JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(endpoint() + pathAndQuery)).header("Authorization", "Bearer " + API_KEY).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
