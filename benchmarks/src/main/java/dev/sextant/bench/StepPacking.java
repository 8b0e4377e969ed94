package dev.sextant.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * What storing a run's steps in one row would save the writer, measured apart from everything else
 * it does: the CPU of one thread inserting {@link IngestLoad}-shaped steps (plan, llm with model,
 * tokens, cost and time to first token, tool with metadata) into SQLite, either as today's rows of
 * a table without row id keyed by (run key, step id), 19 values each and 16 rows per statement, or
 * as one row per run holding its 20 steps encoded as bytes (the encoding counted). Commits of 40
 * runs, no other table, no index, {@code synchronous=OFF}, a 32 MiB page cache as the writer's; the
 * first quarter of the commits is not counted. The two ways alternate, three rounds, a new file each.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sextant.bench.StepPacking [COMMITS]</pre>
 */
public final class StepPacking {
  private static final int RUNS = 40;
  private static final int STEPS = 20;
  private static final int ROWS_PER_INSERT = 16;
  private static final int COLUMNS = 19;
  private static final String TOOL_METADATA = "{\"tool\":\"billing_api\",\"http_status\":200}";
  private static final long START_NS = 1_700_000_000_000_000_000L;

  private long runs;

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    for (int round = 0; round < 3; round++) {
      for (boolean packed : new boolean[] {false, true}) new StepPacking().measure(packed, commits);
    }
  }

  private void measure(boolean packed, int commits) throws SQLException, IOException {
    Path file = Files.createTempFile("sextant-step-packing", ".db");
    Files.delete(file);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = OFF");
        s.execute("PRAGMA cache_size = -32768");
        s.execute("CREATE TABLE step_rows (run_key INTEGER NOT NULL, step_id TEXT NOT NULL, parent_step_id TEXT,"
            + " seq INTEGER, type_id INTEGER, name_id INTEGER, start_ns INTEGER, end_ns INTEGER, status TEXT,"
            + " model_id INTEGER, provider_id INTEGER, input_tokens INTEGER, output_tokens INTEGER, cost_usd REAL,"
            + " ttft_ms REAL, metadata TEXT, normalization_id INTEGER, metadata_scope_id INTEGER, cost_computed INTEGER,"
            + " PRIMARY KEY (run_key, step_id)) WITHOUT ROWID");
        s.execute("CREATE TABLE step_packs (run_key INTEGER PRIMARY KEY, steps BLOB NOT NULL)");
      }
      c.setAutoCommit(false);
      long counted = 0;
      for (int i = 0; i < commits; i++) {
        long before = cpu.getCurrentThreadCpuTime();
        if (packed) packedRuns(c); else stepRows(c);
        c.commit();
        if (i >= commits / 4) counted += cpu.getCurrentThreadCpuTime() - before;
      }
      long steps = (long) (commits - commits / 4) * RUNS * STEPS;
      System.out.printf("%-9s %.2f µs of CPU per step (%,d steps counted), database file %,d bytes%n",
          packed ? "packed" : "step rows", counted / 1e3 / steps, steps, Files.size(file));
    } finally {
      for (String suffix : new String[] {"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + suffix));
    }
  }

  /** A run id that looks random, as the load generator's do. */
  private String runId(long key) {
    return "load-" + Long.toHexString(key * 2654435761L & 0xffffffffL) + "-" + key;
  }

  private static String type(int step) {
    int k = step % 5;
    return k == 1 || k == 4 ? "llm" : k == 2 ? "tool" : "plan";
  }

  private void stepRows(Connection c) throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO step_rows VALUES ");
    String row = "(" + "?, ".repeat(COLUMNS - 1) + "?)";
    for (int i = 0; i < ROWS_PER_INSERT; i++) sql.append(i == 0 ? "" : ", ").append(row);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int n = 0;
      for (int r = 0; r < RUNS; r++) {
        long key = ++runs;
        String runId = runId(key);
        for (int s = 0; s < STEPS; s++) {
          int o = n * COLUMNS;
          ps.setLong(o + 1, key);
          ps.setString(o + 2, runId + "-" + s);
          ps.setString(o + 3, s == 0 ? null : runId + "-0");
          ps.setInt(o + 4, s + 1);
          ps.setLong(o + 5, 3);
          ps.setLong(o + 6, 10 + s);
          ps.setLong(o + 7, START_NS + s * 10_000_000L);
          ps.setLong(o + 8, START_NS + s * 10_000_000L + 8_000_000L);
          ps.setString(o + 9, "ok");
          if (type(s).equals("llm")) {
            ps.setLong(o + 10, 7);
            ps.setLong(o + 11, 8);
            ps.setLong(o + 12, 812);
            ps.setLong(o + 13, 96);
            ps.setDouble(o + 14, 0.00018);
            ps.setDouble(o + 15, 212.5);
          } else {
            for (int k = 10; k <= 15; k++) ps.setNull(o + k, Types.NULL);
          }
          ps.setString(o + 16, type(s).equals("tool") ? TOOL_METADATA : null);
          for (int k = 17; k <= COLUMNS; k++) ps.setNull(o + k, Types.NULL);
          if (++n == ROWS_PER_INSERT) {
            ps.addBatch();
            n = 0;
          }
        }
      }
      if (n != 0) throw new IllegalStateException("a commit's steps must fill whole statements");
      ps.executeBatch();
    }
  }

  private void packedRuns(Connection c) throws SQLException, IOException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO step_packs VALUES (?, ?)")) {
      for (int r = 0; r < RUNS; r++) {
        long key = ++runs;
        String runId = runId(key);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        for (int s = 0; s < STEPS; s++) {
          byte[] id = (runId + "-" + s).getBytes(StandardCharsets.UTF_8);
          out.writeShort(id.length);
          out.write(id);
          out.writeBoolean(s != 0); // the parent is the run's first step
          out.writeInt(s + 1);
          out.writeLong(3);
          out.writeLong(10 + s);
          out.writeLong(START_NS + s * 10_000_000L);
          out.writeLong(START_NS + s * 10_000_000L + 8_000_000L);
          out.writeByte(1); // ok
          out.writeBoolean(type(s).equals("llm"));
          if (type(s).equals("llm")) {
            out.writeLong(7);
            out.writeLong(8);
            out.writeLong(812);
            out.writeLong(96);
            out.writeDouble(0.00018);
            out.writeDouble(212.5);
          }
          byte[] metadata = type(s).equals("tool") ? TOOL_METADATA.getBytes(StandardCharsets.UTF_8) : new byte[0];
          out.writeShort(metadata.length);
          out.write(metadata);
        }
        ps.setLong(1, key);
        ps.setBytes(2, bytes.toByteArray());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
