package dev.sextant.bench;

import static dev.sextant.bench.BenchArgs.arg;

import dev.sextant.store.postgres.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Starts the embedded PostgreSQL of the test dependencies for the benchmarks and keeps it running
 * until the process is stopped; prints the URL to pass as {@code --url}. A {@code --dir} that holds
 * a database from an earlier start is started again as it is. With {@code --fill-settings true},
 * commits do not wait for the disk ({@code synchronous_commit = off}), for filling a store quickly;
 * reads are not affected.
 *
 * <pre>
 * java -cp $CP dev.sextant.bench.BenchPostgres --dir /tmp/pgbench --port 15432 --fill-settings true
 * </pre>
 */
public final class BenchPostgres {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(arg(args, "--port", "15432"));
    EmbeddedPostgres pg = TestPostgres.start(Path.of(arg(args, "--dir", "pgbench")), port);
    boolean fill = Boolean.parseBoolean(arg(args, "--fill-settings", "false"));
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM SET synchronous_commit = " + (fill ? "off" : "on"));
      s.execute("SELECT pg_reload_conf()");
    }
    System.out.println("postgresql://postgres@localhost:" + port + "/postgres");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        pg.close();
      } catch (Exception e) {
        System.err.println("stopping PostgreSQL: " + e.getMessage());
      }
    }));
    Thread.currentThread().join();
  }
}
