package dev.sextant.bench;

import static dev.sextant.bench.BenchArgs.arg;

import dev.sextant.store.RunQuery;
import dev.sextant.store.Store;
import java.util.Arrays;
import java.util.List;

/**
 * p50 and p95 of 50 warm calls (after 10) of each dashboard aggregate through the Store API (no
 * HTTP): stats over all time, the last 24 h and one agent + version, a compare of two versions, and
 * a 30-day timeseries in 60 buckets. Run against a store {@link StoreFill} filled (its agents and
 * versions):
 *
 * <pre>
 * java -cp server/target/test-classes:server/target/classes:$(cat cp.txt) dev.sextant.bench.AggregateLatency \
 *   --store sqlite --file /tmp/fill.db
 * </pre>
 */
public final class AggregateLatency {
  private static final long DAY_NS = 86_400_000_000_000L;

  public static void main(String[] args) {
    int calls = Integer.parseInt(arg(args, "--calls", "50"));
    try (Store store = BenchArgs.open(args, null)) {
      store.migrate(); // a store filled by an earlier build is brought up to this one, as the server does
      run(store, System.currentTimeMillis() * 1_000_000L, calls);
    }
  }

  /** Times each aggregate of project {@code default}, with "the last 24 h" ending at {@code nowNs}. */
  static void run(Store store, long nowNs, int calls) {
    RunQuery lastDay = query(null, null, nowNs - DAY_NS, null);
    RunQuery agentVersion = query(StoreFill.AGENTS[0], StoreFill.VERSIONS[1], null, null);
    time("stats all time", calls, () -> store.stats("default", RunQuery.all()));
    time("stats last 24 h", calls, () -> store.stats("default", lastDay));
    time("stats one agent+version", calls, () -> store.stats("default", agentVersion));
    // what GET /v1/compare reads: each version's stats and its raw runs' cost sums
    time("compare v1 v2", calls, () -> {
      store.stats("default", agentVersion.withVersion("v1"));
      store.stats("default", agentVersion.withVersion("v2"));
      store.costPerRun("default", agentVersion.withVersion("v1"));
      store.costPerRun("default", agentVersion.withVersion("v2"));
    });
    RunQuery month = query(null, null, nowNs - 30 * DAY_NS, nowNs);
    time("timeseries 30 days", calls, () -> store.timeseries("default", month, 60));
    // what GET /v1/runs reads: the newest page, and a page of one agent and version
    time("runs newest 50", calls, () -> store.listRuns("default", RunQuery.all()));
    time("runs agent+version 50", calls, () -> store.listRuns("default", agentVersion));
  }

  private static RunQuery query(String agent, String version, Long fromNs, Long toNs) {
    return new RunQuery(agent, version, null, null, null, null, null, List.of(), null, fromNs, toNs, null, null,
        RunQuery.Sort.START_TIME, 50, null);
  }

  private static void time(String what, int calls, Runnable call) {
    for (int i = 0; i < 10; i++) call.run();
    long[] ns = new long[calls];
    for (int i = 0; i < ns.length; i++) {
      long t0 = System.nanoTime();
      call.run();
      ns[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ns);
    System.out.printf("%-24s p50 %6.1f ms  p95 %6.1f ms%n", what, ns[(calls - 1) / 2] / 1e6,
        ns[(int) Math.ceil(calls * 0.95) - 1] / 1e6);
  }
}
