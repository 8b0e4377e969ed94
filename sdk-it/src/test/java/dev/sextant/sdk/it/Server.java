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

/** The real Sextant server, in-process on port 0 with a fresh SQLite data directory. */
final class Server implements AutoCloseable {

  static final String API_KEY = "sk-sdk-it-0123456789abcdef";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final SextantServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private Server(Path dataDir, SextantServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  static Server start() throws IOException {
    Path dir = Files.createTempDirectory("sextant-sdk-it");
    Config config = Config.defaults(dir).withBootstrap(API_KEY, "sdk-it-admin-password");
    SextantServer server = new SextantServer(config, Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()))
        .start();
    return new Server(dir, server);
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
  public void close() throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
