package dev.sextant.server;

import dev.sextant.model.Limits;
import java.nio.file.Path;
import java.util.Set;

/**
 * The server's whole configuration, built once from flags and environment and passed to the
 * builders. A port of 0 picks a free port; -1 disables that listener.
 */
public record Config(
    String host,
    int port,
    int otlpHttpPort,
    int otlpGrpcPort,
    Path dataDir,
    String store,
    String postgresUrl,
    Set<Role> roles,
    String bootstrapApiKey,
    String bootstrapPublicKey,
    String bootstrapAdminPassword,
    Limits limits,
    long queueCapacityItems,
    int maxCommitItems,
    String sqliteSynchronous) {

  /** Which parts of the API a process serves. */
  public enum Role { INGEST, QUERY, UI }

  public static Config defaults(Path dataDir) {
    return new Config("127.0.0.1", 0, -1, -1, dataDir, "sqlite", null, Set.of(Role.values()), null, null, null,
        Limits.DEFAULT, 200_000, 20_000, "FULL");
  }

  public Config withPort(int port) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous);
  }

  public Config withBootstrap(String apiKey, String adminPassword) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, apiKey,
        bootstrapPublicKey, adminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous);
  }

  public Config withQueue(long capacityItems, int maxCommitItems) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, capacityItems, maxCommitItems, sqliteSynchronous);
  }

  public Config withLimits(Limits limits) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous);
  }
}
