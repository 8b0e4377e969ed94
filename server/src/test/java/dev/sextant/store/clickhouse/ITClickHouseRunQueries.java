package dev.sextant.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.cost.PriceTable;
import dev.sextant.model.RunRecord;
import dev.sextant.model.Times;
import dev.sextant.store.RollupScenario;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run lists from ClickHouse against the row stores' reference: the same runs in SQLite and in
 * ClickHouse give the same pages, in every sort order and under every filter, page by page.
 */
class ITClickHouseRunQueries {
  @TempDir Path dir;

  @Test
  void pagesAndFiltersAsSqlite() {
    String db = TestClickHouse.shared().newDatabase();
    ClickHouseClient client = TestClickHouse.shared().client(db);
    for (String sql : ClickHouseSchema.create(db, null)) client.execute(sql);
    ClickHouseTraceWriter writer = new ClickHouseTraceWriter(client, p -> PriceTable.builtIn());
    ClickHouseRunReads reads = new ClickHouseRunReads(client, (p, f) -> List.of());
    long now = Times.nowNanos();
    try (SqliteStore sqlite = SqliteStore.builder().file(dir.resolve("reference.db")).build()) {
      sqlite.migrate();
      List<List<WriteBatch>> writes = new ArrayList<>(RollupScenario.writes(3, "p", now, 40));
      // labels, sessions and names to filter by, and a run with the same start as another
      List<RunRecord> extra = new ArrayList<>();
      for (int i = 0; i < 40; i += 3) {
        extra.add(RunRecord.builder("r" + i).labels(Map.of("team", i % 2 == 0 ? "search" : "billing", "tier", "gold"))
            .sessionId(i % 4 == 0 ? "sess-1" : null).name(i % 5 == 0 ? "Handle_Ticket" : null).build());
      }
      writes.add(List.of(new WriteBatch("p", extra, List.of())));
      for (List<WriteBatch> call : writes) {
        sqlite.write(call);
        writer.write(call);
      }
      List<RunSummary> all = sqlite.listRuns("p", RunQuery.all().withPage(1000, null)).runs();
      long mid = Times.toNanos(all.get(all.size() / 2).startTime());
      List<RunQuery> queries = new ArrayList<>(List.of(
          RunQuery.all(),
          query(q -> q.agent = "a"), query(q -> q.version = "v1"), query(q -> q.version = ""),
          query(q -> q.environment = "prod"), query(q -> q.status = "success"), query(q -> q.status = "running"),
          query(q -> q.status = "partial"), query(q -> q.failureType = "tool"),
          query(q -> q.failureCode = "rate_limited"), query(q -> q.session = "sess-1"),
          query(q -> q.labels = List.of(new RunQuery.LabelFilter("team", "search"))),
          query(q -> q.labels = List.of(new RunQuery.LabelFilter("team", "billing"),
              new RunQuery.LabelFilter("tier", "gold"))),
          query(q -> q.text = "ticket"), query(q -> q.text = "S1-RETRY"), query(q -> q.text = "%"),
          query(q -> q.from = mid), query(q -> q.to = mid), query(q -> {
            q.from = mid - 86_400_000_000_000L;
            q.to = mid;
          }),
          query(q -> q.minMs = 5000.0), query(q -> q.maxMs = 5000.0), query(q -> {
            q.agent = "b";
            q.minMs = 0.0;
          })));
      for (RunQuery base : queries) {
        // every filter picks some runs, but not all, and "%" is a literal character, not a wildcard
        int matching = sqlite.listRuns("p", base.withPage(1000, null)).runs().size();
        if ("%".equals(base.text())) assertThat(matching).isZero();
        else if (base != queries.get(0)) assertThat(matching).as("%s", base).isBetween(1, all.size() - 1);
        for (RunQuery.Sort sort : RunQuery.Sort.values()) {
          for (int limit : new int[] {1000, 7}) {
            String cursor = null;
            int pages = 0;
            do {
              RunQuery q = base.withSort(sort).withPage(limit, cursor);
              RunPage expected = sqlite.listRuns("p", q);
              RunPage actual = reads.listRuns("p", q);
              assertThat(actual).as("%s", q).usingRecursiveComparison().isEqualTo(expected);
              cursor = expected.nextCursor();
              pages++;
            } while (cursor != null && pages < 20);
          }
        }
      }
      assertThatThrownBy(() -> reads.listRuns("p", RunQuery.all().withSort(RunQuery.Sort.COST)
          .withPage(5, sqlite.listRuns("p", RunQuery.all().withPage(5, null)).nextCursor())))
          .hasMessageContaining("cursor is not valid for this sort order");
    }
  }

  /** The mutable fields of a query under construction. */
  private static final class Q {
    String agent;
    String version;
    String environment;
    String status;
    String failureType;
    String failureCode;
    String session;
    List<RunQuery.LabelFilter> labels = List.of();
    String text;
    Long from;
    Long to;
    Double minMs;
    Double maxMs;
  }

  private static RunQuery query(java.util.function.Consumer<Q> set) {
    Q q = new Q();
    set.accept(q);
    return new RunQuery(q.agent, q.version, q.environment, q.status, q.failureType, q.failureCode, q.session,
        q.labels, q.text, q.from, q.to, q.minMs, q.maxMs, RunQuery.Sort.START_TIME, 50, null);
  }
}
