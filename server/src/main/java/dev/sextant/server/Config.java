package dev.sextant.server;

import dev.sextant.model.Limits;
import dev.sextant.store.Retention;
import dev.sextant.store.clickhouse.ClickHouseStore;
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
    ClickHouseStore.ClickHouseConfig clickhouse,
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

  /** Nothing is deleted: the default of the CLI and of {@link #builder}. */
  public static final Retention KEEP_FOREVER = new Retention(0, 0);

  /** Which parts of the API a process serves. */
  public enum Role { INGEST, QUERY, UI }

  /**
   * A configuration with the defaults: SQLite in {@code dataDir}, a free main port, the OTLP
   * listeners off, nothing deleted. The CLI sets what its flags say and keeps the rest.
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** A builder holding every field of this configuration, to build a copy that differs in some. */
  public Builder toBuilder() {
    Builder b = new Builder(dataDir);
    b.host = host;
    b.port = port;
    b.otlpHttpPort = otlpHttpPort;
    b.otlpGrpcPort = otlpGrpcPort;
    b.store = store;
    b.postgresUrl = postgresUrl;
    b.clickhouse = clickhouse;
    b.roles = roles;
    b.bootstrapApiKey = bootstrapApiKey;
    b.bootstrapPublicKey = bootstrapPublicKey;
    b.bootstrapAdminPassword = bootstrapAdminPassword;
    b.limits = limits;
    b.queueCapacityItems = queueCapacityItems;
    b.maxCommitItems = maxCommitItems;
    b.sqliteSynchronous = sqliteSynchronous;
    b.langsmithMultipart = langsmithMultipart;
    b.otlpCredentialRequired = otlpCredentialRequired;
    b.security = security;
    b.settings = settings;
    b.access = access;
    b.retention = retention;
    b.forwarding = forwarding;
    return b;
  }

  /** Builds a {@link Config}; a field not set keeps its default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private int otlpHttpPort = -1;
    private int otlpGrpcPort = -1;
    private final Path dataDir;
    private String store = "sqlite";
    private String postgresUrl;
    private ClickHouseStore.ClickHouseConfig clickhouse;
    private Set<Role> roles = Set.of(Role.values());
    private String bootstrapApiKey;
    private String bootstrapPublicKey;
    private String bootstrapAdminPassword;
    private Limits limits = Limits.DEFAULT;
    private long queueCapacityItems = 200_000;
    private int maxCommitItems = 20_000;
    private String sqliteSynchronous = "FULL";
    private boolean langsmithMultipart = true;
    private boolean otlpCredentialRequired = true;
    private Security security = Security.DEFAULT;
    private Settings settings = Settings.DEFAULT;
    private AccessConfig access = AccessConfig.DEFAULT;
    private Retention retention = KEEP_FOREVER;
    private Forwarding forwarding = Forwarding.NONE;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The OTLP/HTTP listener's port: 0 picks a free one, -1 disables it. */
    public Builder otlpHttpPort(int otlpHttpPort) {
      this.otlpHttpPort = otlpHttpPort;
      return this;
    }

    /** The OTLP/gRPC listener's port: 0 picks a free one, -1 disables it. */
    public Builder otlpGrpcPort(int otlpGrpcPort) {
      this.otlpGrpcPort = otlpGrpcPort;
      return this;
    }

    /** {@code sqlite} (the default), {@code postgres} or {@code clickhouse}. */
    public Builder store(String store) {
      this.store = store;
      return this;
    }

    /** PostgreSQL's URL (JDBC or {@code postgresql://} form); used when {@link #store} is {@code postgres}. */
    public Builder postgresUrl(String postgresUrl) {
      this.postgresUrl = postgresUrl;
      return this;
    }

    /**
     * Where ClickHouse is; used when {@link #store} is {@code clickhouse}, with PostgreSQL for the
     * small state when {@link #postgresUrl} is set, else SQLite in the data directory.
     */
    public Builder clickhouse(ClickHouseStore.ClickHouseConfig clickhouse) {
      this.clickhouse = clickhouse;
      return this;
    }

    public Builder roles(Set<Role> roles) {
      this.roles = roles;
      return this;
    }

    public Builder bootstrapApiKey(String bootstrapApiKey) {
      this.bootstrapApiKey = bootstrapApiKey;
      return this;
    }

    public Builder bootstrapPublicKey(String bootstrapPublicKey) {
      this.bootstrapPublicKey = bootstrapPublicKey;
      return this;
    }

    public Builder bootstrapAdminPassword(String bootstrapAdminPassword) {
      this.bootstrapAdminPassword = bootstrapAdminPassword;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    public Builder queueCapacityItems(long queueCapacityItems) {
      this.queueCapacityItems = queueCapacityItems;
      return this;
    }

    public Builder maxCommitItems(int maxCommitItems) {
      this.maxCommitItems = maxCommitItems;
      return this;
    }

    public Builder sqliteSynchronous(String sqliteSynchronous) {
      this.sqliteSynchronous = sqliteSynchronous;
      return this;
    }

    /** Whether LangSmith's {@code GET /info} tells SDKs to send {@code /runs/multipart} (true) or
     * {@code /runs/batch} (false); both are served either way. */
    public Builder langsmithMultipart(boolean langsmithMultipart) {
      this.langsmithMultipart = langsmithMultipart;
      return this;
    }

    public Builder otlpCredentialRequired(boolean otlpCredentialRequired) {
      this.otlpCredentialRequired = otlpCredentialRequired;
      return this;
    }

    /** The body budget and TLS. */
    public Builder security(Security security) {
      this.security = security;
      return this;
    }

    /** Database pool, request timeout, CORS and access log. */
    public Builder settings(Settings settings) {
      this.settings = settings;
      return this;
    }

    /** Team access settings: audit log retention and single sign-on. */
    public Builder access(AccessConfig access) {
      this.access = access;
      return this;
    }

    /** The retention of projects that set none of their own, in days (0: keep forever). */
    public Builder retention(Retention retention) {
      this.retention = retention;
      return this;
    }

    /** Where projects forward what they receive. */
    public Builder forwarding(Forwarding forwarding) {
      this.forwarding = forwarding;
      return this;
    }

    public Config build() {
      return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, clickhouse, roles,
          bootstrapApiKey,
          bootstrapPublicKey, bootstrapAdminPassword, limits, queueCapacityItems, maxCommitItems, sqliteSynchronous,
          langsmithMultipart, otlpCredentialRequired, security, settings, access, retention, forwarding);
    }
  }
}
