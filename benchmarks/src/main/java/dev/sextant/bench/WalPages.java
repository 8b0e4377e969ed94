package dev.sextant.bench;

import dev.sextant.cost.PriceTable;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which b-trees a commit writes, and how many pages of each: fills a SQLite store with {@code
 * WARM} commits of {@link IngestLoad}'s bodies (8 requests of 5 runs × 20 steps per commit, as
 * the server's writer groups them at 16 × 5), then empties the write-ahead log and holds a read
 * transaction open so that no checkpoint can restart it, writes {@code COMMITS} more, and maps the log's
 * frames to their tables and indexes ({@code dbstat}). Each frame is a page written to the log;
 * the checkpoint writes it again into the database file.
 *
 * <p>Run ids look random unless the fourth argument is {@code time} (ids that begin with the time,
 * as {@code IngestLoad --run-ids time}).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sextant.bench.WalPages native|otlp [WARM] [COMMITS] [random|time]</pre>
 */
public final class WalPages {
  private static final int REQUESTS = 8;
  private static final int RUNS = 5;
  private static final int STEPS = 20;

  public static void main(String[] args) throws Exception {
    String protocol = args.length > 0 ? args[0] : "native";
    int warm = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int commits = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    boolean timeRunIds = IngestLoad.timeRunIds(args.length > 3 ? args[3] : "random");
    RequestPath requests = new RequestPath(protocol, RUNS, STEPS, timeRunIds);
    Path dir = Files.createTempDirectory("sextant-wal-pages");
    Path db = dir.resolve("sextant.db");
    Path wal = dir.resolve("sextant.db-wal");
    try (SqliteStore store = SqliteStore.builder().file(db).synchronous("OFF").prices(PriceTable.builtIn()).build();
        Connection reader = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      store.migrate();
      for (int g = 0; g < warm + commits; g++) {
        if (g == warm) {
          // the log starts empty, and the open read below keeps the checkpoint from restarting it
          try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (!rs.next() || rs.getInt(1) != 0) throw new IllegalStateException("the log could not be emptied");
          }
          reader.setAutoCommit(false);
          try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM names")) {
            rs.next();
          }
        }
        List<WriteBatch> group = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) group.add(requests.next());
        store.write(group);
      }
      Map<Integer, Integer> pages = new HashMap<>();
      byte[] log = Files.readAllBytes(wal);
      int pageSize = ByteBuffer.wrap(log, 8, 4).getInt();
      int frames = 0;
      // the log was emptied before the measured commits: its frames follow its 32-byte header
      for (long off = 32; off + 24 + pageSize <= log.length; off += 24 + pageSize) {
        pages.merge(ByteBuffer.wrap(log, (int) off, 4).getInt(), 1, Integer::sum);
        frames++;
      }
      reader.commit();
      Map<String, Integer> byTree = new HashMap<>();
      try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT pageno, name FROM dbstat")) {
        Map<Integer, String> owner = new HashMap<>();
        while (rs.next()) owner.put(rs.getInt(1), rs.getString(2));
        pages.forEach((page, n) -> byTree.merge(owner.getOrDefault(page, "(free list)"), n, Integer::sum));
      }
      int steps = commits * REQUESTS * RUNS * STEPS;
      System.out.printf("%s: %d log frames in %d commits of %d runs and %d steps after %d commits:"
              + " %.1f pages per commit, %.0f log bytes per step%n", protocol, frames, commits, REQUESTS * RUNS,
          REQUESTS * RUNS * STEPS, warm, frames / (double) commits, frames * (pageSize + 24.0) / steps);
      byTree.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .forEach(e -> System.out.printf("  %-28s %6.1f%n", e.getKey(), e.getValue() / (double) commits));
    } finally {
      for (Path f : List.of(wal, dir.resolve("sextant.db-shm"), db, dir)) Files.deleteIfExists(f);
    }
  }
}
