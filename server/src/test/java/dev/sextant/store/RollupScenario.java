package dev.sextant.store;

import dev.sextant.model.Failure;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random ingest sequence as clients really send them: runs split into a start and an end message
 * (either may be missing or come first), steps before their runs, steps re-sent with corrected
 * times, late retries, runs whose version or start is corrected, and batches delivered twice.
 */
public final class RollupScenario {
  static final long MS = 1_000_000L;
  private static final String[] AGENTS = {"a", "b", null};
  private static final String[] VERSIONS = {"v1", "v2", "", null};
  private static final String[] ENVS = {"prod", "staging", null};
  private static final String[] TYPES = {"llm", "tool", "retrieval", null};
  private static final String[][] FAILURES = {{"tool", "timeout"}, {"model", "rate_limited"}, {"tool", "schema_invalid"}};

  /** The write calls, in order; each call is one transaction of one or more batches. */
  final List<List<WriteBatch>> writes = new ArrayList<>();

  /** Earliest and latest run start, to pick query ranges around. */
  long minStart = Long.MAX_VALUE;
  long maxStart = Long.MIN_VALUE;

  static RollupScenario generate(long seed, String project, long nowNs) {
    return generate(seed, project, nowNs, 1 + new Random(seed).nextInt(8));
  }

  /** Writes a scenario of {@code runs} runs into {@code store}, for tests in other packages. */
  public static void write(Store store, String project, long seed, long nowNs, int runs) {
    for (List<WriteBatch> call : generate(seed, project, nowNs, runs).writes) store.write(call);
  }

  /** The write calls of a scenario of {@code runs} runs, for tests in other packages. */
  public static List<List<WriteBatch>> writes(long seed, String project, long nowNs, int runs) {
    return generate(seed, project, nowNs, runs).writes;
  }

  static RollupScenario generate(long seed, String project, long nowNs, int runs) {
    Random r = new Random(seed);
    RollupScenario s = new RollupScenario();
    List<Object> records = new ArrayList<>();
    for (int i = 0; i < runs; i++) s.addRun(r, "r" + i, nowNs, records);
    Collections.shuffle(records, r);
    int at = 0;
    while (at < records.size()) {
      List<WriteBatch> call = new ArrayList<>();
      int batches = 1 + r.nextInt(2);
      for (int b = 0; b < batches && at < records.size(); b++) {
        int n = 1 + r.nextInt(4);
        List<RunRecord> rs = new ArrayList<>();
        List<StepRecord> ss = new ArrayList<>();
        for (int k = 0; k < n && at < records.size(); k++, at++) {
          if (records.get(at) instanceof RunRecord rr) rs.add(rr);
          else ss.add((StepRecord) records.get(at));
        }
        call.add(new WriteBatch(project, rs, ss));
      }
      s.writes.add(call);
      if (r.nextInt(5) == 0) s.writes.add(call); // the same batch twice
    }
    return s;
  }

  private void addRun(Random r, String id, long nowNs, List<Object> out) {
    // within the last 4 days: some minutes still in the minute tier, some only in hours and days
    long start = nowNs - (long) (r.nextDouble() * 4 * 86_400_000) * MS - r.nextInt(1_000_000);
    long duration = r.nextInt(5) == 0 ? 0 : (long) (r.nextDouble() * 20_000 * MS);
    String agent = pick(r, AGENTS);
    String version = pick(r, VERSIONS);
    String env = pick(r, ENVS);
    minStart = Math.min(minStart, start);
    maxStart = Math.max(maxStart, start);
    if (r.nextInt(4) != 0) {
      out.add(RunRecord.builder(id).agentId(agent).agentVersion(version).environment(env).name("run").labels(Map.of())
          .startNanos(start).status(RunStatus.RUNNING).build());
    }
    int ending = r.nextInt(5);
    if (ending > 0) {
      RunStatus status = ending == 1 ? null : ending == 2 ? RunStatus.FAILURE : RunStatus.SUCCESS;
      String[] f = FAILURES[r.nextInt(FAILURES.length)];
      Failure failure = status == RunStatus.FAILURE ? new Failure(f[0], f[1], "boom", null) : null;
      out.add(RunRecord.builder(id).agentId(agent).agentVersion(r.nextBoolean() ? version : null).environment(env)
          .startNanos(r.nextBoolean() ? start : null).endNanos(start + duration).status(status).failure(failure)
          .build());
    }
    if (r.nextInt(6) == 0) {
      // a correction: another version, or an earlier start
      out.add(RunRecord.builder(id).agentVersion(r.nextBoolean() ? "v2" : null)
          .startNanos(r.nextBoolean() ? start - 3_600_000 * MS : null).build());
    }
    int steps = r.nextInt(6);
    for (int k = 0; k < steps; k++) {
      String type = pick(r, TYPES);
      long s0 = start + (long) (r.nextDouble() * Math.max(1, duration));
      long s1 = s0 + (long) (r.nextDouble() * 5_000 * MS);
      StepStatus status = r.nextInt(4) == 0 ? (r.nextBoolean() ? StepStatus.ERROR : StepStatus.TIMEOUT) : StepStatus.OK;
      String model = "llm".equals(type) ? (r.nextBoolean() ? "m1" : "m2") : null;
      out.add(step(id, "s" + k, null, type, s0, s1, status, null, null, model, r));
      if (r.nextInt(4) == 0) out.add(step(id, "s" + k, null, type, s0 + 10 * MS, s1 + 500 * MS, null, null, null,
          null, r)); // moved by a correction
      if (status != StepStatus.OK && r.nextBoolean()) {
        out.add(step(id, "s" + k + "-retry", null, type, s1, s1 + 100 * MS, StepStatus.OK, 2, "s" + k, model, r));
      }
    }
  }

  private static StepRecord step(String run, String id, String parent, String type, long start, long end,
      StepStatus status, Integer attempt, String retryOf, String model, Random r) {
    boolean usage = model != null && r.nextBoolean();
    // else the store prices the tokens, where the model has a price; decided by the ids rather than
    // by r, so that every seed keeps the records it always gave
    boolean sentCost = usage && Math.floorMod((run + "/" + id).hashCode(), 3) != 0;
    return StepRecord.builder(run, id).parentStepId(parent).type(type).name(id).startNanos(start).endNanos(end)
        .status(status).attempt(attempt).retryOf(retryOf).model(model)
        .inputTokens(usage ? (long) r.nextInt(1000) : null).outputTokens(usage ? (long) r.nextInt(300) : null)
        .costUsd(sentCost ? r.nextInt(100) / 1000.0 : null).build();
  }

  private static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }
}
