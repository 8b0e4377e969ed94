package dev.sextant.store.postgres;

import dev.sextant.cost.PriceTable;
import dev.sextant.store.sql.SqlStore;
import java.time.Duration;

/**
 * The shared production store: PostgreSQL through a HikariCP pool. Several Sextant nodes may use
 * one database at once: migrations and {@link #exclusively} are coordinated with advisory locks,
 * and writes of the same run from different nodes are serialized on the run's row.
 */
public final class PostgresStore extends SqlStore {
  private final PostgresConnections connections;

  private PostgresStore(PostgresConnections connections, int writerThreads, int exactPercentileLimit,
      PriceTable prices) {
    super(connections, new PostgresDialect(), writerThreads, exactPercentileLimit, prices);
    this.connections = connections;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void exclusively(String name, Runnable work) {
    // a stable 64-bit key per name; a collision would only serialize two unrelated jobs
    long key = 0x5e7a_6e74_0000_0000L ^ ((long) name.hashCode() << 8);
    connections.withAdvisoryLock(key, work);
  }

  @Override
  public void withRunLocks(java.util.Collection<String> runKeys, Runnable work) {
    long[] keys = new long[runKeys.size()];
    int i = 0;
    for (String k : runKeys) keys[i++] = fnv64(k);
    connections.withAdvisoryLocks(keys, work);
  }

  /** FNV-1a of the key's UTF-8 bytes: a stable 64-bit lock key; a collision only serialises two runs. */
  private static long fnv64(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Builds a {@link PostgresStore}; nothing is opened until the first use. */
  public static final class Builder {
    private String url;
    private int poolSize = 16;
    private int writerThreads = 4;
    private Duration connectionTimeout = Duration.ofSeconds(2);
    private boolean rewriteBatchedInserts = true;
    private int exactPercentileLimit = DEFAULT_EXACT_PERCENTILE_LIMIT;
    private PriceTable prices = PriceTable.builtIn();

    /** {@code jdbc:postgresql://host:port/db?…} or {@code postgresql://user:password@host:port/db?…}. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** Most connections the pool opens (default 16); writers and readers share them. */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /** Concurrent write transactions of the ingest queue (default 4). */
    public Builder writerThreads(int writerThreads) {
      this.writerThreads = writerThreads;
      return this;
    }

    /**
     * How long a request waits for a connection before the store reports itself unavailable
     * (default 2 s): the bound on how long ingest and {@code /health/ready} take to answer 503
     * while PostgreSQL is down.
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /** Lets pgjdbc send a JDBC batch of inserts as multi-row statements (default on). */
    public Builder rewriteBatchedInserts(boolean rewrite) {
      this.rewriteBatchedInserts = rewrite;
      return this;
    }

    /**
     * Stats over at most this many timed runs (or steps) take exact percentiles from raw rows
     * (default {@value SqlStore#DEFAULT_EXACT_PERCENTILE_LIMIT}); 0 always reads the sketches.
     */
    public Builder exactPercentileLimit(int limit) {
      this.exactPercentileLimit = limit;
      return this;
    }

    /** The model prices costs are computed with (default: the built-in table). */
    public Builder prices(PriceTable prices) {
      this.prices = prices;
      return this;
    }

    public PostgresStore build() {
      PostgresUrl parsed = PostgresUrl.parse(url);
      if (writerThreads < 1) throw new IllegalArgumentException("writerThreads must be at least 1");
      if (poolSize < writerThreads + 1) {
        throw new IllegalArgumentException("poolSize must exceed writerThreads so that reads are served too");
      }
      return new PostgresStore(new PostgresConnections(parsed, poolSize, connectionTimeout, rewriteBatchedInserts),
          writerThreads, exactPercentileLimit, prices);
    }
  }
}
