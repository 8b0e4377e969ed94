package dev.sextant.store.clickhouse;

import dev.sextant.store.Store;
import dev.sextant.store.StoreConformance;
import dev.sextant.store.sql.SqlStore;
import dev.sextant.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The conformance suite on two ClickHouse servers as shards of one cluster: every table is a
 * {@code Distributed} table over a local table on each, and runs are spread over both.
 */
class ITClickHouseShardedStore extends StoreConformance {
  private static TestClickHouse cluster;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  protected Store newStore() throws IOException {
    return store(SqlStore.DEFAULT_EXACT_PERCENTILE_LIMIT);
  }

  @Override
  protected Store newSketchOnlyStore() throws IOException {
    return store(0);
  }

  /** A store on a new database of a two-shard cluster started once for the JVM. */
  static synchronized ClickHouseStore store(int exactLimit) throws IOException {
    if (cluster == null) {
      cluster = TestClickHouse.start(2);
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-test-cluster"));
    }
    Path file = Files.createTempFile("sextant-small-", ".db");
    file.toFile().deleteOnExit();
    Files.delete(file);
    ClickHouseStore.ClickHouseConfig config = new ClickHouseStore.ClickHouseConfig(
        List.of(cluster.url(0), cluster.url(1)), null, null, "sextant_sharded_" + DATABASES.incrementAndGet(),
        TestClickHouse.CLUSTER, Duration.ofSeconds(60));
    return new ClickHouseStore(config, SqliteStore.builder().file(file).build(), exactLimit);
  }
}
