package dev.sextant.bench;

import dev.sextant.store.Store;
import dev.sextant.store.clickhouse.ClickHouseStore;
import dev.sextant.store.postgres.PostgresStore;
import dev.sextant.store.sql.SqlStore;
import dev.sextant.store.sqlite.SqliteStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Command-line options of the benchmark mains: {@code --name value} pairs. */
public final class BenchArgs {
  private BenchArgs() {}

  /** The value after {@code name}, or {@code fallback} when it is not given. */
  public static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }

  /**
   * Opens the store the arguments name: {@code --store sqlite --file F}, {@code --store postgres
   * --url U}, or {@code --store clickhouse --url http://host:8123 [--database sextant_bench]} with
   * the small state in the SQLite file {@code --file}.
   *
   * @param sqliteSynchronous SQLite's {@code synchronous} for a fill ({@code NORMAL}), null for the default
   */
  static Store open(String[] args, String sqliteSynchronous) {
    String kind = arg(args, "--store", "sqlite");
    Path file = Path.of(arg(args, "--file", "fill.db"));
    SqliteStore.Builder sqlite = SqliteStore.builder().file(file);
    if (sqliteSynchronous != null) sqlite.synchronous(sqliteSynchronous);
    return switch (kind) {
      case "sqlite" -> sqlite.build();
      case "postgres" -> PostgresStore.builder().url(arg(args, "--url", null)).build();
      case "clickhouse" -> new ClickHouseStore(new ClickHouseStore.ClickHouseConfig(
          List.of(URI.create(arg(args, "--url", "http://127.0.0.1:8123"))), null, null,
          arg(args, "--database", "sextant_bench"), null, Duration.ofMinutes(5)), sqlite.build(),
          SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT);
      default -> throw new IllegalArgumentException("--store takes sqlite, postgres or clickhouse, got " + kind);
    };
  }
}
