package dev.sextant.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.cost.PriceTable;
import dev.sextant.model.Times;
import dev.sextant.store.RollupScenario;
import dev.sextant.store.RunQuery;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sql.RollupReader;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stats, timeseries, cost moments and duration quantiles from ClickHouse's rollups against
 * SQLite's, over the same random ingest sequences and random time ranges: the shared rollup reader
 * on ClickHouse's rows gives what it gives on SQLite's, with exact percentiles from raw rows and
 * with sketches alone.
 */
class ITClickHouseStats {
  private static final long HOUR = 3_600_000_000_000L;

  @TempDir Path dir;

  @Test
  void rollupAnswersAsSqlite() {
    long now = Times.nowNanos();
    for (int exactLimit : new int[] {2000, 0}) {
      for (long seed = 21; seed <= 21; seed++) {
        String db = TestClickHouse.shared().newDatabase();
        ClickHouseClient client = TestClickHouse.shared().client(db);
        for (String sql : ClickHouseSchema.create(db, null)) client.execute(sql);
        ClickHouseTraceWriter writer = new ClickHouseTraceWriter(client, p -> PriceTable.builtIn());
        ClickHouseRollups rollups = new ClickHouseRollups(client, (p, f) -> List.of());
        RollupReader reader = new RollupReader(exactLimit);
        try (SqliteStore sqlite = SqliteStore.builder().file(dir.resolve(exactLimit + "-" + seed + ".db"))
            .exactPercentileLimit(exactLimit).build()) {
          sqlite.migrate();
          for (List<WriteBatch> call : RollupScenario.writes(seed, "p", now, 30)) {
            sqlite.write(call);
            writer.write(call);
          }
          Random r = new Random(seed);
          for (RunQuery q : queries(r, now)) {
            String as = "seed " + seed + " limit " + exactLimit + " " + q;
            assertThat(reader.stats(rollups, "p", q, Times.nowNanos(), null)).as(as)
                .usingRecursiveComparison(close()).isEqualTo(sqlite.stats("p", q));
            int buckets = 1 + r.nextInt(30);
            var series = reader.timeseries(rollups, "p", q, buckets, Times.nowNanos());
            // null: buckets finer than a minute, which raw rows answer
            if (series != null) {
              assertThat(series).as(as).usingRecursiveComparison(close())
                  .isEqualTo(sqlite.timeseries("p", q, buckets));
            }
            assertThat(reader.costPerRun(rollups, "p", q, Times.nowNanos())).as(as)
                .usingRecursiveComparison(close()).isEqualTo(sqlite.costPerRun("p", q));
            assertThat(reader.runQuantiles(rollups, "p", q, Times.nowNanos(), null, 0.5, 0.9)).as(as)
                .usingRecursiveComparison(close()).isEqualTo(sqlite.runQuantiles("p", q, 0.5, 0.9));
          }
        }
      }
    }
  }

  /** Doubles equal to 1e-9 relative: sums of costs may be added in another order. */
  private static RecursiveComparisonConfiguration close() {
    Comparator<Double> close = (a, b) -> Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)))
        ? 0 : Double.compare(a, b);
    return RecursiveComparisonConfiguration.builder().withComparatorForType(close, Double.class).build();
  }

  private static List<RunQuery> queries(Random r, long now) {
    List<RunQuery> out = new ArrayList<>();
    out.add(RunQuery.all());
    out.add(filter("a", null, null, null));
    out.add(filter(null, "v1", null, null));
    out.add(filter(null, null, "failure", null));
    out.add(filter(null, null, null, "tool"));
    for (int i = 0; i < 6; i++) {
      long from = now - (long) (r.nextDouble() * 5 * 24) * HOUR - r.nextInt(3_600_000) * 1_000_000L;
      long to = from + (long) (r.nextDouble() * 3 * 24 * HOUR);
      Long f = r.nextInt(4) == 0 ? null : from;
      Long t = r.nextInt(4) == 0 ? null : to;
      RunQuery base = r.nextBoolean() ? RunQuery.all() : filter(r.nextBoolean() ? "b" : null, null,
          r.nextBoolean() ? "success" : null, null);
      out.add(base.withTimes(f, t));
    }
    return out;
  }

  private static RunQuery filter(String agent, String version, String status, String failureType) {
    return new RunQuery(agent, version, null, status, failureType, null, null, List.of(), null, null, null, null,
        null, RunQuery.Sort.START_TIME, 50, null);
  }
}
