package dev.sextant.server;

import dev.sextant.model.Limits;
import java.nio.file.Path;
import java.util.Set;

/**
 * The server's whole configuration, built once from flags and environment and passed to the
 * builders. A port of 0 picks a free port; -1 disables that listener.
 *
 * @param settings database pool, request timeout, CORS and access log
 * @param otlpCredentialRequired whether the OTLP/HTTP and OTLP/gRPC ports refuse requests without
 *     a credential; when false such requests go to project {@code default} (the main port always
 *     requires one)
 * @param security the body budget and TLS
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
    String sqliteSynchronous,
    boolean langsmithMultipart,
    boolean otlpCredentialRequired,
    Security security,
    Settings settings) {

  /** Which parts of the API a process serves. */
  public enum Role { INGEST, QUERY, UI }

  public static Config defaults(Path dataDir) {
    return new Config("127.0.0.1", 0, -1, -1, dataDir, "sqlite", null, Set.of(Role.values()), null, null, null,
        Limits.DEFAULT, 200_000, 20_000, "FULL", true, true, Security.DEFAULT, Settings.DEFAULT);
  }

  public Config withPort(int port) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }

  public Config withBootstrap(String apiKey, String adminPassword) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, apiKey,
        bootstrapPublicKey, adminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }

  public Config withQueue(long capacityItems, int maxCommitItems) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, capacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }

  /** PostgreSQL at {@code url} (JDBC or {@code postgresql://} form) instead of SQLite. */
  public Config withPostgres(String url) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, "postgres", url, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }

  public Config withLimits(Limits limits) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }

  /**
   * Whether LangSmith's {@code GET /info} tells SDKs to send {@code /runs/multipart} (true) or
   * {@code /runs/batch} (false); both are served either way.
   */
  public Config withLangSmithMultipart(boolean multipart) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        multipart, otlpCredentialRequired, security, settings);
  }

  /** The OTLP listeners' ports (0 picks a free one, -1 disables) and whether they need a credential. */
  public Config withOtlp(int httpPort, int grpcPort, boolean credentialRequired) {
    return new Config(host, port, httpPort, grpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, credentialRequired, security, settings);
  }

  /** The body budget and TLS. */
  public Config withSecurity(Security security) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }

  /** Database pool, request timeout, CORS and access log. */
  public Config withSettings(Settings settings) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings);
  }
}
