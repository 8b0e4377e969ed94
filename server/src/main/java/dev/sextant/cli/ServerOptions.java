package dev.sextant.cli;

import dev.sextant.cost.PriceTable;
import dev.sextant.model.Limits;
import dev.sextant.server.AccessConfig;
import dev.sextant.server.Config;
import dev.sextant.server.Forwarding;
import dev.sextant.store.Retention;
import dev.sextant.store.clickhouse.ClickHouseStore;
import dev.sextant.server.Settings;
import dev.sextant.auth.OidcConfig;
import dev.sextant.server.Security;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code serve} and {@code demo} share; each also reads an environment variable. */
final class ServerOptions {
  @Option(names = "--host", defaultValue = "${env:SEXTANT_HOST:-127.0.0.1}", description = "Address to listen on (SEXTANT_HOST).")
  String host;

  @Option(names = "--port", defaultValue = "${env:SEXTANT_PORT:-8000}", description = "HTTP port for API, UI and every protocol; 0 picks a free port (SEXTANT_PORT).")
  int port;

  @Option(names = "--otlp-http-port", defaultValue = "${env:SEXTANT_OTLP_HTTP_PORT:-4318}", description = "OTLP/HTTP port; -1 disables (SEXTANT_OTLP_HTTP_PORT).")
  int otlpHttpPort;

  @Option(names = "--otlp-grpc-port", defaultValue = "${env:SEXTANT_OTLP_GRPC_PORT:-4317}", description = "OTLP/gRPC port; -1 disables (SEXTANT_OTLP_GRPC_PORT).")
  int otlpGrpcPort;

  @Option(names = "--otlp-auth", defaultValue = "${env:SEXTANT_OTLP_AUTH:-required}", description = "required: the OTLP ports need an API key like every endpoint; optional: requests without one go to project default (SEXTANT_OTLP_AUTH).")
  String otlpAuth;

  @Option(names = "--data-dir", defaultValue = "${env:SEXTANT_DATA_DIR:-${sys:user.home}/.sextant}", description = "Data directory (SEXTANT_DATA_DIR).")
  Path dataDir;

  @Option(names = "--store", defaultValue = "${env:SEXTANT_STORE:-sqlite}", description = "sqlite, postgres or clickhouse (SEXTANT_STORE).")
  String store;

  @Option(names = "--postgres-url", defaultValue = "${env:SEXTANT_POSTGRES_URL}", description = "JDBC URL of PostgreSQL (SEXTANT_POSTGRES_URL); with --store clickhouse, where projects, keys, users and other small state live (else SQLite in --data-dir).")
  String postgresUrl;

  @Option(names = "--clickhouse-url", defaultValue = "${env:SEXTANT_CLICKHOUSE_URL}", split = ",", description = "HTTP address of ClickHouse for --store clickhouse, e.g. http://127.0.0.1:8123; with --clickhouse-cluster, every server of the cluster, comma-separated, the first one queried (SEXTANT_CLICKHOUSE_URL).")
  List<String> clickhouseUrls;

  @Option(names = "--clickhouse-user", defaultValue = "${env:SEXTANT_CLICKHOUSE_USER:-default}", description = "ClickHouse user (SEXTANT_CLICKHOUSE_USER).")
  String clickhouseUser;

  @Option(names = "--clickhouse-password", defaultValue = "${env:SEXTANT_CLICKHOUSE_PASSWORD}", description = "ClickHouse password (SEXTANT_CLICKHOUSE_PASSWORD).")
  String clickhousePassword;

  @Option(names = "--clickhouse-database", defaultValue = "${env:SEXTANT_CLICKHOUSE_DATABASE:-sextant}", description = "ClickHouse database, created if missing (SEXTANT_CLICKHOUSE_DATABASE).")
  String clickhouseDatabase;

  @Option(names = "--clickhouse-cluster", defaultValue = "${env:SEXTANT_CLICKHOUSE_CLUSTER}", description = "A cluster of ClickHouse's remote_servers to shard runs over with Distributed tables; Sextant creates the tables on every server of --clickhouse-url (SEXTANT_CLICKHOUSE_CLUSTER).")
  String clickhouseCluster;

  @Option(names = "--roles", defaultValue = "${env:SEXTANT_ROLES:-ingest,query,ui}", split = ",", description = "Roles this process serves: ingest, query, ui (SEXTANT_ROLES).")
  Set<String> roles;

  @Option(names = "--langsmith-multipart", arity = "1", defaultValue = "${env:SEXTANT_LANGSMITH_MULTIPART:-true}", description = "Whether LangSmith's /info points SDKs at /runs/multipart (true) or /runs/batch (false) (SEXTANT_LANGSMITH_MULTIPART).")
  boolean langsmithMultipart;

  @Option(names = "--raw-retention-days", defaultValue = "${env:SEXTANT_RAW_RETENTION_DAYS:-0}", description = "Days a project keeps raw runs and steps unless it sets its own; 0 keeps them forever (SEXTANT_RAW_RETENTION_DAYS).")
  int rawRetentionDays;

  @Option(names = "--rollup-retention-days", defaultValue = "${env:SEXTANT_ROLLUP_RETENTION_DAYS:-0}", description = "Days a project keeps the rollups that stats read unless it sets its own; 0 keeps them forever (SEXTANT_ROLLUP_RETENTION_DAYS).")
  int rollupRetentionDays;
  @Option(names = "--prices", defaultValue = "${env:SEXTANT_PRICES}", description = "A CSV file of model prices laid over the built-in table (docs/costs.md) (SEXTANT_PRICES).")
  Path pricesFile;

  @Option(names = "--alert-interval", defaultValue = "${env:SEXTANT_ALERT_INTERVAL:-1m}", description = "How often alert rules are evaluated, e.g. 30s or 1m (SEXTANT_ALERT_INTERVAL).")
  String alertInterval;

  @Option(names = "--audit-retention-days", defaultValue = "${env:SEXTANT_AUDIT_RETENTION_DAYS:-365}", description = "Days the audit log keeps an entry (SEXTANT_AUDIT_RETENTION_DAYS).")
  int auditRetentionDays;

  @Option(names = "--oidc-issuer", defaultValue = "${env:SEXTANT_OIDC_ISSUER}", description = "OpenID Connect issuer URL; turns on single sign-on (SEXTANT_OIDC_ISSUER).")
  String oidcIssuer;

  @Option(names = "--oidc-client-id", defaultValue = "${env:SEXTANT_OIDC_CLIENT_ID}", description = "OpenID Connect client id (SEXTANT_OIDC_CLIENT_ID).")
  String oidcClientId;

  @Option(names = "--oidc-client-secret", defaultValue = "${env:SEXTANT_OIDC_CLIENT_SECRET}", description = "OpenID Connect client secret; prefer the environment variable (SEXTANT_OIDC_CLIENT_SECRET).")
  String oidcClientSecret;

  @Option(names = "--oidc-redirect-uri", defaultValue = "${env:SEXTANT_OIDC_REDIRECT_URI}", description = "This server's https://…/v1/auth/oidc/callback as registered with the provider (SEXTANT_OIDC_REDIRECT_URI).")
  String oidcRedirectUri;

  @Option(names = "--oidc-scopes", defaultValue = "${env:SEXTANT_OIDC_SCOPES:-openid,profile,email}", split = ",", description = "Scopes asked of the provider (SEXTANT_OIDC_SCOPES).")
  List<String> oidcScopes;

  @Option(names = "--oidc-username-claim", defaultValue = "${env:SEXTANT_OIDC_USERNAME_CLAIM:-preferred_username}", description = "Claim that names the user (SEXTANT_OIDC_USERNAME_CLAIM).")
  String oidcUsernameClaim;

  @Option(names = "--oidc-roles-claim", defaultValue = "${env:SEXTANT_OIDC_ROLES_CLAIM:-groups}", description = "Claim mapped to roles: owner, or <project>:<viewer|member|admin> (SEXTANT_OIDC_ROLES_CLAIM).")
  String oidcRolesClaim;

  @Option(names = "--oidc-name", defaultValue = "${env:SEXTANT_OIDC_NAME:-single sign-on}", description = "Provider name on the login button (SEXTANT_OIDC_NAME).")
  String oidcName;

  @Option(names = "--db-pool-size", defaultValue = "${env:SEXTANT_DB_POOL_SIZE:-0}", description = "PostgreSQL: connections in the pool (default 16, must exceed the 4 writers); SQLite: read connections (default 4). 0 keeps the default (SEXTANT_DB_POOL_SIZE).")
  int dbPoolSize;

  @Option(names = "--body-limit", defaultValue = "${env:SEXTANT_BODY_LIMIT:-10MiB}", description = "Largest request body, counted after decompression, e.g. 10MiB, 512KiB, 1048576 (SEXTANT_BODY_LIMIT).")
  String bodyLimit;

  @Option(names = "--request-timeout", defaultValue = "${env:SEXTANT_REQUEST_TIMEOUT:-60s}", description = "Longest time a request may take, e.g. 60s, 2m, 500ms; exports are exempt (SEXTANT_REQUEST_TIMEOUT).")
  String requestTimeout;

  @Option(names = "--cors-origins", defaultValue = "${env:SEXTANT_CORS_ORIGINS:-}", split = ",", description = "Origins browsers may call the API from, comma-separated (https://app.example.com), or * for any; empty (default) turns CORS off (SEXTANT_CORS_ORIGINS).")
  List<String> corsOrigins;

  @Option(names = "--metrics-series-limit", defaultValue = "${env:SEXTANT_METRICS_SERIES_LIMIT:-500}", description = "The most label sets an agent metric family has per project in /metrics; the rest are summed into label value other (SEXTANT_METRICS_SERIES_LIMIT).")
  int metricsSeriesLimit;

  @Option(names = "--metrics-cache", defaultValue = "${env:SEXTANT_METRICS_CACHE:-10s}", description = "How long a project's agent metrics are reused before the rollups are read again, e.g. 10s; 0 reads them on every scrape (SEXTANT_METRICS_CACHE).")
  String metricsCache;

  @Option(names = "--access-log", arity = "1", defaultValue = "${env:SEXTANT_ACCESS_LOG:-false}", description = "Log one line per request (SEXTANT_ACCESS_LOG).")
  boolean accessLog;

  @Mixin LogOptions log;

  @Option(names = "--max-body-bytes-in-flight", defaultValue = "${env:SEXTANT_MAX_BODY_BYTES_IN_FLIGHT:-auto}", description = "Request-body bytes held in memory at once by all listeners; past it requests get 429 with Retry-After. auto: a tenth of the heap, at least two bodies of the largest size (SEXTANT_MAX_BODY_BYTES_IN_FLIGHT).")
  String bodyBytesInFlight;

  @Option(names = "--tls-cert", defaultValue = "${env:SEXTANT_TLS_CERT}", description = "PEM certificate chain; with --tls-key every listener serves TLS only (SEXTANT_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:SEXTANT_TLS_KEY}", description = "PEM (PKCS#8) private key of --tls-cert (SEXTANT_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--forward-otlp", defaultValue = "${env:SEXTANT_FORWARD_OTLP:-}", split = ",", description = "Forward what a project receives, after its content policy, as OTLP/HTTP spans: project=URL of the traces endpoint, comma-separated, e.g. default=http://collector:4318/v1/traces (SEXTANT_FORWARD_OTLP).")
  List<String> forwardOtlp;

  @Option(names = "--forward-otlp-headers", defaultValue = "${env:SEXTANT_FORWARD_OTLP_HEADERS:-}", split = ",", description = "Headers sent with forwarded requests, name=value, comma-separated, e.g. Authorization=Bearer x (SEXTANT_FORWARD_OTLP_HEADERS).")
  List<String> forwardOtlpHeaders;

  @Option(names = "--forward-queue", defaultValue = "${env:SEXTANT_FORWARD_QUEUE:-10000}", description = "Committed batches that may wait to be forwarded; past it new ones are dropped and counted (SEXTANT_FORWARD_QUEUE).")
  int forwardQueue;

  Config toConfig() {
    log.apply();
    checkPort("--port", port);
    checkPort("--otlp-http-port", otlpHttpPort);
    checkPort("--otlp-grpc-port", otlpGrpcPort);
    if (port < 0) throw new IllegalArgumentException("--port cannot be -1: the main HTTP listener is required");
    if (new InetSocketAddress(host, 0).isUnresolved()) {
      throw new IllegalArgumentException("--host " + host + " cannot be resolved; give an address or host name of this"
          + " machine (SEXTANT_HOST), or 0.0.0.0 for all of them");
    }
    if (!otlpAuth.equals("required") && !otlpAuth.equals("optional")) {
      throw new IllegalArgumentException("--otlp-auth must be required or optional, got \"" + otlpAuth + "\"");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key (SEXTANT_TLS_CERT, SEXTANT_TLS_KEY)");
    }
    Set<Config.Role> parsed = EnumSet.noneOf(Config.Role.class);
    for (String r : roles) {
      try {
        parsed.add(Config.Role.valueOf(r.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--roles takes ingest, query and ui, got \"" + r + "\"");
      }
    }
    if (!store.equals("sqlite") && !store.equals("postgres") && !store.equals("clickhouse")) {
      throw new IllegalArgumentException("--store must be sqlite, postgres or clickhouse, got \"" + store + "\"");
    }
    if (store.equals("postgres") && (postgresUrl == null || postgresUrl.isBlank())) {
      throw new IllegalArgumentException("--store postgres needs --postgres-url (or SEXTANT_POSTGRES_URL)");
    }
    if (store.equals("clickhouse") && (clickhouseUrls == null || clickhouseUrls.isEmpty())) {
      throw new IllegalArgumentException("--store clickhouse needs --clickhouse-url (or SEXTANT_CLICKHOUSE_URL)");
    }
    if (rawRetentionDays < 0 || rawRetentionDays > Retention.MAX_DAYS) {
      throw new IllegalArgumentException("--raw-retention-days must be from 0 (forever) to " + Retention.MAX_DAYS
          + ", got " + rawRetentionDays);
    }
    if (rollupRetentionDays < 0 || rollupRetentionDays > Retention.MAX_DAYS) {
      throw new IllegalArgumentException("--rollup-retention-days must be from 0 (forever) to " + Retention.MAX_DAYS
          + ", got " + rollupRetentionDays);
    }
    if (dbPoolSize < 0) throw new IllegalArgumentException("--db-pool-size must be 1 or more (0 for the default), got " + dbPoolSize);
    List<String> origins = new ArrayList<>();
    for (String o : corsOrigins) {
      String origin = o.trim();
      if (origin.isEmpty()) continue;
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("--cors-origins takes origins such as https://app.example.com (scheme and host,"
            + " no path) or *, got \"" + origin + "\"");
      }
      origins.add(origin);
    }
    Settings settings = new Settings(dbPoolSize, Sizes.duration("--request-timeout", requestTimeout), origins, accessLog,
        prices(), metricsSeriesLimit,
        metricsCache.trim().matches("0+(ms|s|m|h)?") ? Duration.ZERO : Sizes.duration("--metrics-cache", metricsCache),
        Sizes.duration("--alert-interval", alertInterval));
    Limits limits = Limits.DEFAULT.withMaxBodyBytes(Sizes.bytes("--body-limit", bodyLimit));
    return Config.builder(dataDir).host(host).port(port).otlpHttpPort(otlpHttpPort).otlpGrpcPort(otlpGrpcPort)
        .store(store).postgresUrl(postgresUrl).clickhouse(clickhouse()).roles(parsed)
        .bootstrapApiKey(System.getenv("SEXTANT_BOOTSTRAP_API_KEY"))
        .bootstrapPublicKey(System.getenv("SEXTANT_BOOTSTRAP_PUBLIC_KEY"))
        .bootstrapAdminPassword(System.getenv("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD")).limits(limits)
        .langsmithMultipart(langsmithMultipart).otlpCredentialRequired(otlpAuth.equals("required"))
        .security(Security.DEFAULT.withBodyBudget(bodyBudget(bodyBytesInFlight, limits.maxBodyBytes()))
            .withTls(tlsCert, tlsKey))
        .settings(settings).access(access()).retention(new Retention(rawRetentionDays, rollupRetentionDays))
        .forwarding(forwarding()).build();
  }

  private PriceTable prices() {
    if (pricesFile == null) return PriceTable.builtIn();
    try {
      return PriceTable.builtInWith(pricesFile);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("--prices: cannot read " + pricesFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--prices: " + e.getMessage());
    }
  }

  private Forwarding forwarding() {
    Map<String, URI> targets = new LinkedHashMap<>();
    for (String t : forwardOtlp) {
      String item = t.trim();
      if (item.isEmpty()) continue;
      int eq = item.indexOf('=');
      URI url = null;
      if (eq > 0) {
        try {
          url = new URI(item.substring(eq + 1).trim());
        } catch (URISyntaxException e) {
          url = null;
        }
      }
      if (url == null || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        throw new IllegalArgumentException("--forward-otlp takes project=URL of an OTLP/HTTP traces endpoint, e.g."
            + " default=http://collector:4318/v1/traces, got \"" + item + "\"");
      }
      targets.put(item.substring(0, eq).trim(), url);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h : forwardOtlpHeaders) {
      String item = h.trim();
      if (item.isEmpty()) continue;
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--forward-otlp-headers takes name=value pairs, got \"" + item + "\"");
      }
      headers.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return new Forwarding(targets, headers, forwardQueue, Forwarding.NONE.maxAttempts());
  }

  private AccessConfig access() {
    if (auditRetentionDays < 1) {
      throw new IllegalArgumentException("--audit-retention-days must be 1 or more, got " + auditRetentionDays);
    }
    AccessConfig access = AccessConfig.DEFAULT.withAuditRetention(Duration.ofDays(auditRetentionDays));
    if (blank(oidcIssuer)) return access;
    if (blank(oidcClientId)) {
      throw new IllegalArgumentException("--oidc-issuer needs --oidc-client-id (or SEXTANT_OIDC_CLIENT_ID)");
    }
    if (!oidcIssuer.startsWith("https://") && !oidcIssuer.startsWith("http://")) {
      throw new IllegalArgumentException("--oidc-issuer must be an http(s) URL, got \"" + oidcIssuer + "\"");
    }
    List<String> scopes = new java.util.ArrayList<>(oidcScopes.stream().map(String::trim).filter(x -> !x.isEmpty()).toList());
    if (!scopes.contains("openid")) scopes.add(0, "openid");
    return access.withOidc(new OidcConfig(oidcIssuer, oidcClientId, blank(oidcClientSecret) ? null : oidcClientSecret,
        blank(oidcRedirectUri) ? null : oidcRedirectUri, List.copyOf(scopes), oidcUsernameClaim, oidcRolesClaim, oidcName));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** {@code auto} (0), or a number of bytes with an optional k, m or g suffix (powers of 1024). */
  static long bodyBudget(String value, long maxBodyBytes) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) return 0;
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      unit = v.endsWith("k") ? 1L << 10 : v.endsWith("m") ? 1L << 20 : 1L << 30;
      v = v.substring(0, v.length() - 1);
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(v), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      bytes = -1;
    }
    if (bytes < maxBodyBytes) {
      throw new IllegalArgumentException("--max-body-bytes-in-flight must be auto or at least the largest body ("
          + maxBodyBytes + " bytes, --body-limit), e.g. 256m, got \"" + value + "\"");
    }
    return bytes;
  }

  private static void checkPort(String name, int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0 to 65535, or -1 to disable, got " + port);
    }
  }

  /** The ClickHouse the options name, or null without {@code --store clickhouse}. */
  private ClickHouseStore.ClickHouseConfig clickhouse() {
    if (!store.equals("clickhouse")) return null;
    List<URI> urls = new ArrayList<>();
    for (String u : clickhouseUrls) {
      String url = u.trim();
      if (url.isEmpty()) continue;
      if (!url.matches("https?://[^/\\s]+/?")) {
        throw new IllegalArgumentException("--clickhouse-url takes HTTP addresses such as http://127.0.0.1:8123"
            + " (scheme, host and port, no path), got \"" + url + "\"");
      }
      urls.add(URI.create(url));
    }
    if (urls.isEmpty()) throw new IllegalArgumentException("--store clickhouse needs --clickhouse-url");
    if (!clickhouseDatabase.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("--clickhouse-database takes a name of letters, digits and _, got \""
          + clickhouseDatabase + "\"");
    }
    if (clickhouseCluster != null && !clickhouseCluster.isBlank() && !clickhouseCluster.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("--clickhouse-cluster takes a name of letters, digits and _, got \""
          + clickhouseCluster + "\"");
    }
    if ((clickhouseCluster == null || clickhouseCluster.isBlank()) && urls.size() > 1) {
      throw new IllegalArgumentException("several --clickhouse-url addresses need --clickhouse-cluster, the cluster"
          + " that shards over them");
    }
    return new ClickHouseStore.ClickHouseConfig(urls, clickhouseUser, clickhousePassword, clickhouseDatabase,
        clickhouseCluster, Sizes.duration("--request-timeout", requestTimeout).plusSeconds(30));
  }
}
