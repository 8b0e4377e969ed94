package dev.sextant.server;

import dev.sextant.model.Limits;
import dev.sextant.store.Retention;
import java.nio.file.Path;
import java.util.Set;

/**
 * The server's whole configuration, built once from flags and environment and passed to the
 * builders. A port of 0 picks a free port; -1 disables that listener.
 *
 * @param settings database pool, request timeout, CORS and access log
 * @param access audit log retention and single sign-on
 * @param otlpCredentialRequired whether the OTLP/HTTP and OTLP/gRPC ports refuse requests without
 *     a credential; when false such requests go to project {@code default} (the main port always
 *     requires one)
 * @param security the body budget and TLS
 * @param retention how long projects without a retention of their own keep raw runs and rollups
 * @param forwarding where projects forward what they receive (OTLP)
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
    Settings settings,
    AccessConfig access,
    Retention retention,
    Forwarding forwarding) {

  /** Nothing is deleted: the default of the CLI and of {@link #defaults}. */
  public static final Retention KEEP_FOREVER = new Retention(0, 0);

  /** Which parts of the API a process serves. */
  public enum Role { INGEST, QUERY, UI }

  public static Config defaults(Path dataDir) {
    return new Config("127.0.0.1", 0, -1, -1, dataDir, "sqlite", null, Set.of(Role.values()), null, null, null,
        Limits.DEFAULT, 200_000, 20_000, "FULL", true, true, Security.DEFAULT, Settings.DEFAULT,
        AccessConfig.DEFAULT, KEEP_FOREVER, Forwarding.NONE);
  }

  public Config withPort(int port) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  public Config withBootstrap(String apiKey, String adminPassword) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, apiKey,
        bootstrapPublicKey, adminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  public Config withQueue(long capacityItems, int maxCommitItems) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, capacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  /** PostgreSQL at {@code url} (JDBC or {@code postgresql://} form) instead of SQLite. */
  public Config withPostgres(String url) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, "postgres", url, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  public Config withLimits(Limits limits) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  /**
   * Whether LangSmith's {@code GET /info} tells SDKs to send {@code /runs/multipart} (true) or
   * {@code /runs/batch} (false); both are served either way.
   */
  public Config withLangSmithMultipart(boolean multipart) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        multipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  /** The OTLP listeners' ports (0 picks a free one, -1 disables) and whether they need a credential. */
  public Config withOtlp(int httpPort, int grpcPort, boolean credentialRequired) {
    return new Config(host, port, httpPort, grpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, credentialRequired, security, settings, access, retention, forwarding);
  }

  /** The body budget and TLS. */
  public Config withSecurity(Security security) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  /** Database pool, request timeout, CORS and access log. */
  public Config withSettings(Settings settings) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }

  /** Team access settings: audit log retention and single sign-on. */
  public Config withAccess(AccessConfig value) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, value, retention, forwarding);
  }

  /** Where projects forward what they receive. */
  public Config withForwarding(Forwarding value) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, value);
  }

  /** The retention of projects that set none of their own, in days (0: keep forever). */
  public Config withRetention(Retention retention) {
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, roles, bootstrapApiKey,
        bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
        langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
  }
}
