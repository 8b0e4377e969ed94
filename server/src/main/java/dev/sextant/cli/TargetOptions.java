package dev.sextant.cli;

import dev.sextant.server.Config;
import dev.sextant.server.Stores;
import dev.sextant.store.Store;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code export} and {@code import} read or write: a running server ({@code --server} with
 * an API key) or a store opened directly ({@code --data-dir}, or {@code --store postgres}).
 */
final class TargetOptions {
  @Option(names = "--server", defaultValue = "${env:SEXTANT_SERVER}", description = "URL of a running Sextant server, e.g. http://127.0.0.1:8000 (SEXTANT_SERVER).")
  String server;

  @Option(names = "--api-key", defaultValue = "${env:SEXTANT_API_KEY}", description = "API key for --server (SEXTANT_API_KEY); export needs the read scope, import the ingest scope.")
  String apiKey;

  @Option(names = "--data-dir", defaultValue = "${env:SEXTANT_DATA_DIR}", description = "Data directory of a stopped server, opened directly (SEXTANT_DATA_DIR).")
  Path dataDir;

  @Option(names = "--store", defaultValue = "${env:SEXTANT_STORE:-sqlite}", description = "With --data-dir or --postgres-url: sqlite or postgres (SEXTANT_STORE).")
  String store;

  @Option(names = "--postgres-url", defaultValue = "${env:SEXTANT_POSTGRES_URL}", description = "JDBC URL of PostgreSQL, opened directly (SEXTANT_POSTGRES_URL).")
  String postgresUrl;

  @Option(names = "--project", defaultValue = "default", description = "Project to read or write when the store is opened directly (default: default); with --server the API key decides.")
  String project;

  /** True for a server, false for a store opened here. */
  boolean remote() {
    boolean local = dataDir != null || "postgres".equals(store);
    if (server != null && !server.isBlank()) {
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("--server needs --api-key (or SEXTANT_API_KEY)");
      }
      return true;
    }
    if (!local) {
      throw new IllegalArgumentException("say where the runs are: --server URL --api-key KEY for a running server,"
          + " or --data-dir DIR (or --store postgres --postgres-url URL) for a stopped one");
    }
    return false;
  }

  /** Opens and migrates the store named by {@code --data-dir} / {@code --store}. */
  Store openStore() {
    if (!store.equals("sqlite") && !store.equals("postgres")) {
      throw new IllegalArgumentException("--store must be sqlite or postgres, got \"" + store + "\"");
    }
    if (store.equals("postgres") && (postgresUrl == null || postgresUrl.isBlank())) {
      throw new IllegalArgumentException("--store postgres needs --postgres-url (or SEXTANT_POSTGRES_URL)");
    }
    Store s = Stores.open(config());
    s.migrate();
    return s;
  }

  /** The store named by {@code --data-dir} / {@code --store}, every other setting at its default. */
  Config config() {
    Config.Builder config = Config.builder(dataDir == null ? Path.of(".") : dataDir);
    if (store.equals("postgres")) config.store("postgres").postgresUrl(postgresUrl);
    return config.build();
  }

  /** A request to {@code path} on the server, with the API key. */
  HttpRequest.Builder request(String pathAndQuery) {
    String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Authorization", "Bearer " + apiKey);
  }
}
