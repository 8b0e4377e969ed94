package dev.sextant.store;

import static dev.sextant.store.Records.at;
import static dev.sextant.store.Records.llm;
import static dev.sextant.store.Records.step;
import static dev.sextant.store.Records.withDetails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.RunRecord;
import dev.sextant.model.RunStatus;
import dev.sextant.model.StepRecord;
import dev.sextant.model.StepStatus;
import dev.sextant.model.Times;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A database of schema version 6 (before compact steps) migrates in place on first start and every
 * query answers as before. The version-6 database is built by that version's migrations and filled
 * with what a store of the current schema holds, row for row, in the old layout; then it is opened,
 * migrated, and its answers are compared with the current store's, before and after more writes.
 */
public abstract class CompactStepsMigration {
  private static final List<String> PROJECTS = List.of("default", "other");

  /** A new, empty database; the argument names it for {@link #open} and {@link #connect}. */
  protected abstract String newDatabase() throws Exception;

  protected abstract Store open(String database);

  protected abstract Connection connect(String database) throws SQLException;

  /** The migrations folder of the dialect, e.g. {@code db/sqlite}. */
  protected abstract String migrations();

  @Test
  void version6Database_migratesInPlace_andAnswersAsBefore() throws Exception {
    long now = Times.nowNanos();
    String current = newDatabase();
    String old = newDatabase();
    try (Store reference = open(current)) {
      reference.migrate();
      fill(reference, now);
      Map<String, Object> want = answers(reference);
      try (Connection from = connect(current); Connection to = connect(old)) {
        createVersion6(to);
        copyAsVersion6(from, to);
      }
      try (Store migrated = open(old)) {
        migrated.migrate();
        assertSameAnswers(answers(migrated), want);
        assertThat(stepCount(old)).isEqualTo(stepCount(current)).isPositive();
        // later writes update migrated runs and add new ones exactly as on a store created new
        for (Store s : List.of(reference, migrated)) {
          RollupScenario.write(s, "default", 11, now, 12);
          s.write(List.of(extra("late")));
        }
        assertSameAnswers(answers(migrated), answers(reference));
      }
    }
  }

  /**
   * Equal answers; a floating-point average or sum may differ in its last bits, since the database
   * adds the rows in storage order, which the migration changes (as concurrent writers do).
   */
  private static void assertSameAnswers(Map<String, Object> got, Map<String, Object> want) {
    assertThat(got.keySet()).isEqualTo(want.keySet());
    for (String k : want.keySet()) {
      if (Objects.equals(got.get(k), want.get(k))) continue;
      String g = String.valueOf(got.get(k));
      String w = String.valueOf(want.get(k));
      assertThat(NUMBER.matcher(g).replaceAll("#")).as(k).isEqualTo(NUMBER.matcher(w).replaceAll("#"));
      Matcher gm = NUMBER.matcher(g);
      Matcher wm = NUMBER.matcher(w);
      while (gm.find() && wm.find()) {
        double a = Double.parseDouble(gm.group());
        double b = Double.parseDouble(wm.group());
        assertThat(Math.abs(a - b)).as(k + ": " + a + " vs " + b).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(b)));
      }
    }
  }

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?");

  private long stepCount(String database) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM steps")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void fill(Store store, long now) {
    store.putProject(new Project("default", "default", ContentPolicy.METADATA_ONLY, Instant.EPOCH));
    store.putProject(new Project("other", "other", ContentPolicy.FULL, Instant.EPOCH));
    RollupScenario.write(store, "default", 7, now, 80);
    RollupScenario.write(store, "other", 8, now, 25);
    store.write(List.of(extra("detailed")));
  }

  /** A run with labels, a session and steps that carry every field, parents and a retry. */
  private static WriteBatch extra(String id) {
    RunRecord run = RunRecord.builder(id).agentId("a").agentVersion("v1").environment("prod").name("handle_ticket")
        .sessionId("session-1").labels(Map.of("team", "billing", "tier", "gold")).startNanos(at(0)).endNanos(at(900))
        .status(RunStatus.SUCCESS).build();
    List<StepRecord> steps = new ArrayList<>();
    StepRecord root = step(id, id + "-root", 1, "agent", 0, 900, StepStatus.OK);
    steps.add(root);
    steps.add(Records.child(llm(step(id, id + "-llm", 2, "llm", 10, 400, StepStatus.OK), "gpt-4o-mini", 812, 96,
        0.00018), root.stepId()));
    steps.add(Records.child(withDetails(step(id, id + "-tool", 3, "tool", 400, 500, StepStatus.ERROR)),
        root.stepId()));
    steps.add(Records.child(Records.attempt(step(id, id + "-tool-2", 4, "tool", 500, 560, StepStatus.OK), 2,
        id + "-tool"), root.stepId()));
    steps.add(step(id, id + "-open", 5, null, 600, 590, null)); // ends before it starts: no duration
    return new WriteBatch("default", List.of(run), steps);
  }

  /** Every read the API makes, keyed by what was asked. */
  private static Map<String, Object> answers(Store store) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String p : PROJECTS) {
      List<RunQuery> queries = List.of(RunQuery.all(),
          new RunQuery("a", null, null, null, null, null, null, List.of(), null, null, null, null, null,
              RunQuery.Sort.DURATION, 7, null),
          new RunQuery(null, "v1", null, "failure", null, null, null, List.of(), null, null, null, null, null,
              RunQuery.Sort.START_TIME, 5, null),
          new RunQuery(null, null, null, null, null, null, "session-1",
              List.of(new RunQuery.LabelFilter("team", "billing")), null, null, null, null, null,
              RunQuery.Sort.START_TIME, 50, null),
          new RunQuery(null, null, null, null, null, null, null, List.of(), "tool", null, null, 1.0, null,
              RunQuery.Sort.START_TIME, 50, null));
      for (int i = 0; i < queries.size(); i++) {
        RunQuery q = queries.get(i);
        String key = p + " q" + i + " ";
        List<RunSummary> runs = new ArrayList<>();
        String cursor = null;
        do {
          RunPage page = store.listRuns(p, q.withPage(q.limit(), cursor));
          runs.addAll(page.runs());
          cursor = page.nextCursor();
        } while (cursor != null);
        out.put(key + "runs", runs);
        out.put(key + "stats", store.stats(p, q));
        out.put(key + "stats from rows", store.statsFromRows(p, q));
        out.put(key + "timeseries", store.timeseries(p, q, 24));
        out.put(key + "timeseries from rows", store.timeseriesFromRows(p, q, 24));
        List<Object> exported = new ArrayList<>();
        store.exportRuns(p, q, new RecordSink() {
          @Override
          public void run(RunRecord run) {
            exported.add(run);
          }

          @Override
          public void step(StepRecord step) {
            exported.add(step);
          }
        });
        out.put(key + "export", exported);
        if (i > 0) continue;
        for (RunSummary r : runs) {
          RunDetail detail = store.getRun(p, r.runId()).orElseThrow();
          out.put(p + " run " + r.runId(), detail);
          for (StepSummary s : detail.steps()) {
            out.put(p + " step " + r.runId() + "/" + s.stepId(), store.getStep(p, r.runId(), s.stepId()));
          }
        }
      }
      out.put(p + " agents", store.agents(p));
      out.put(p + " agents from rows", store.agentsFromRows(p));
      out.put(p + " raw data from", store.rawDataFrom(p));
    }
    return out;
  }

  /** Applies migrations 1 to 6 as the store of that version did. */
  private void createVersion6(Connection c) throws SQLException, IOException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_ns BIGINT NOT NULL)");
      for (int v = 1; v <= 6; v++) {
        String sql;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(migrations() + "/V" + v + ".sql")) {
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String stmt : sql.split(";\\s*(\\r?\\n|$)")) {
          if (!stmt.isBlank()) s.execute(stmt);
        }
        s.execute("INSERT INTO schema_version (version, applied_ns) VALUES (" + v + ", 0)");
      }
    }
  }

  /** Copies every table the queries read into the version-6 layout: steps by project and run id, with their duration. */
  private static void copyAsVersion6(Connection from, Connection to) throws SQLException {
    for (String table : List.of("projects", "runs", "rollup_runs", "rollup_steps", "maintenance")) {
      copy(from, to, table, "SELECT * FROM " + table);
    }
    copy(from, to, "run_labels", "SELECT r.project_id, r.run_id, l.key, l.value FROM run_labels l"
        + " JOIN runs r ON r.run_key = l.run_key");
    copy(from, to, "steps", "SELECT r.project_id, r.run_id, s.*, CASE WHEN s.end_ns >= s.start_ns"
        + " THEN (s.end_ns - s.start_ns) / 1000000.0 END AS duration_ms FROM steps s JOIN runs r ON r.run_key = s.run_key");
  }

  private static void copy(Connection from, Connection to, String table, String select) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement s = to.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) columns.add(md.getColumnName(i).toLowerCase());
    }
    String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + "?, ".repeat(columns.size() - 1) + "?)";
    try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery(select);
        PreparedStatement ps = to.prepareStatement(insert)) {
      while (rs.next()) {
        for (int i = 0; i < columns.size(); i++) ps.setObject(i + 1, rs.getObject(columns.get(i)));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
