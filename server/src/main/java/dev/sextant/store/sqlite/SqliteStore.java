package dev.sextant.store.sqlite;

import dev.sextant.cost.PriceTable;
import dev.sextant.store.StoreException;
import dev.sextant.store.sql.SqlStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded default store: one SQLite file in WAL mode. A commit is durable when it returns
 * ({@code synchronous = FULL}), so an acknowledged write survives {@code kill -9} and power loss.
 */
public final class SqliteStore extends SqlStore {

  /** Free space on the database's file system below which a store that found its disk full stays not ready. */
  static final long ROOM_BYTES = 16L << 20;

  private final Path file;

  private SqliteStore(Connections connections) {
    super(connections.c, new SqliteDialect(), 1, connections.exactPercentileLimit(), connections.prices());
    this.file = connections.file();
  }

  /** After a full disk: room again once the database's file system has {@link #ROOM_BYTES} free. */
  @Override
  protected boolean roomAgain(long fullAtNanos) {
    try {
      return Files.getFileStore(file).getUsableSpace() >= ROOM_BYTES;
    } catch (IOException e) {
      return super.roomAgain(fullAtNanos);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SqliteStore}; nothing is opened until the first use. */
  public static final class Builder {
    private Path file;
    private String synchronous = "FULL";
    private int readers = 4;
    private int exactPercentileLimit = DEFAULT_EXACT_PERCENTILE_LIMIT;
    private PriceTable prices = PriceTable.builtIn();

    /** The database file; its folder is created if missing. */
    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    /** {@code FULL} (default, durable on power loss) or {@code NORMAL} (durable on process crash). */
    public Builder synchronous(String synchronous) {
      this.synchronous = synchronous;
      return this;
    }

    public Builder readers(int readers) {
      this.readers = readers;
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

    public SqliteStore build() {
      if (file == null) throw new IllegalStateException("file is required");
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
      } catch (IOException e) {
        throw new StoreException("cannot create the data directory for " + file + ": " + e.getMessage(), e);
      }
      return new SqliteStore(new Connections(new SqliteConnections(
          file.toAbsolutePath(), synchronous, readers), exactPercentileLimit, prices,
          file.toAbsolutePath()));
    }
  }

  /** Carries the connections through the private constructor. */
  private record Connections(SqliteConnections c, int exactPercentileLimit, PriceTable prices, Path file) {}
}
