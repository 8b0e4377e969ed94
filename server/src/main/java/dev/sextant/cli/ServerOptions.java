package dev.sextant.cli;

import dev.sextant.model.Limits;
import dev.sextant.server.Config;
import dev.sextant.store.Retention;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
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

  @Option(names = "--store", defaultValue = "${env:SEXTANT_STORE:-sqlite}", description = "sqlite or postgres (SEXTANT_STORE).")
  String store;

  @Option(names = "--postgres-url", defaultValue = "${env:SEXTANT_POSTGRES_URL}", description = "JDBC URL of PostgreSQL (SEXTANT_POSTGRES_URL).")
  String postgresUrl;

  @Option(names = "--roles", defaultValue = "${env:SEXTANT_ROLES:-ingest,query,ui}", split = ",", description = "Roles this process serves: ingest, query, ui (SEXTANT_ROLES).")
  Set<String> roles;

  @Option(names = "--langsmith-multipart", arity = "1", defaultValue = "${env:SEXTANT_LANGSMITH_MULTIPART:-true}", description = "Whether LangSmith's /info points SDKs at /runs/multipart (true) or /runs/batch (false) (SEXTANT_LANGSMITH_MULTIPART).")
  boolean langsmithMultipart;

  @Option(names = "--raw-retention-days", defaultValue = "${env:SEXTANT_RAW_RETENTION_DAYS:-30}", description = "Days a project keeps raw runs and steps unless it sets its own; 0 keeps them forever (SEXTANT_RAW_RETENTION_DAYS).")
  int rawRetentionDays;

  @Option(names = "--rollup-retention-days", defaultValue = "${env:SEXTANT_ROLLUP_RETENTION_DAYS:-400}", description = "Days a project keeps the rollups that stats read unless it sets its own; 0 keeps them forever (SEXTANT_ROLLUP_RETENTION_DAYS).")
  int rollupRetentionDays;

  Config toConfig() {
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
    Set<Config.Role> parsed = EnumSet.noneOf(Config.Role.class);
    for (String r : roles) {
      try {
        parsed.add(Config.Role.valueOf(r.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--roles takes ingest, query and ui, got \"" + r + "\"");
      }
    }
    if (!store.equals("sqlite") && !store.equals("postgres")) {
      throw new IllegalArgumentException("--store must be sqlite or postgres, got \"" + store + "\"");
    }
    if (store.equals("postgres") && (postgresUrl == null || postgresUrl.isBlank())) {
      throw new IllegalArgumentException("--store postgres needs --postgres-url (or SEXTANT_POSTGRES_URL)");
    }
    if (rawRetentionDays < 0) {
      throw new IllegalArgumentException("--raw-retention-days must be 0 (forever) or more, got " + rawRetentionDays);
    }
    if (rollupRetentionDays < 0) {
      throw new IllegalArgumentException(
          "--rollup-retention-days must be 0 (forever) or more, got " + rollupRetentionDays);
    }
    return new Config(host, port, otlpHttpPort, otlpGrpcPort, dataDir, store, postgresUrl, parsed,
        System.getenv("SEXTANT_BOOTSTRAP_API_KEY"), System.getenv("SEXTANT_BOOTSTRAP_PUBLIC_KEY"),
        System.getenv("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD"), Limits.DEFAULT, 200_000, 20_000, "FULL",
        langsmithMultipart, otlpAuth.equals("required"), new Retention(rawRetentionDays, rollupRetentionDays));
  }

  private static void checkPort(String name, int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0 to 65535, or -1 to disable, got " + port);
    }
  }
}
