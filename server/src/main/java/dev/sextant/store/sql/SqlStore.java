package dev.sextant.store.sql;

import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.AgentTotals;
import dev.sextant.store.ApiKey;
import dev.sextant.store.AuditEvent;
import dev.sextant.store.AuditQuery;
import dev.sextant.store.Invite;
import dev.sextant.store.Membership;
import dev.sextant.store.Project;
import dev.sextant.store.RecordSink;
import dev.sextant.store.RunDetail;
import dev.sextant.store.RunMoments;
import dev.sextant.store.RunQuantiles;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreQuery;
import dev.sextant.store.Session;
import dev.sextant.store.Stats;
import dev.sextant.store.StepDetail;
import dev.sextant.store.StoreFullException;
import dev.sextant.store.Store;
import dev.sextant.store.Timeseries;
import dev.sextant.store.User;
import dev.sextant.store.WriteBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Store} for SQL databases. Backends supply their {@link Connections} and
 * {@link Dialect}; the SQL itself is shared so both backends behave the same.
 */
public class SqlStore implements Store {
  private static final long NOT_FULL = Long.MIN_VALUE;
  /** How long the store is reported not ready after a write found its disk full, where free space cannot be seen. */
  static final long FULL_PAUSE_NANOS = 15_000_000_000L;
  private volatile long fullAtNanos = NOT_FULL;

  private final Connections connections;
  private final Dialect dialect;
  private final SqlWriter writer;
  private final SqlReader reader;
  private final SqlStats stats;
  private final RollupReader rollups;
  private final SqlExport export;
  private final SqlAccounts accounts = new SqlAccounts();
  private final SqlRetention retention;
  private final SqlTeam team = new SqlTeam();
  private final SqlScores scores = new SqlScores();
  private final int writerThreads;
  private final SqlPrices prices;
  private final SqlAlerts alerts = new SqlAlerts();

  /**
   * @param exactPercentileLimit stats over at most this many timed runs (or steps) take their
   *     percentiles exactly from raw rows instead of from the rollups' sketches
   */
  protected SqlStore(Connections connections, Dialect dialect, int writerThreads, int exactPercentileLimit,
      PriceTable prices) {
    this.connections = connections;
    this.dialect = dialect;
    this.prices = new SqlPrices(prices);
    this.writer = new SqlWriter(dialect.lockRunsBeforeWrite(), this.prices);
    this.retention = new SqlRetention(dialect);
    this.reader = new SqlReader(dialect);
    this.stats = new SqlStats(dialect);
    this.rollups = new RollupReader(exactPercentileLimit);
    this.export = new SqlExport(dialect.streamsRowsOnlyInTransaction());
    this.writerThreads = writerThreads;
  }

  /** Free pages handed back per {@link #reclaimSpace} call (4 MiB of 4 KiB pages). */
  private static final int RECLAIM_PAGES = 1024;

  /** Stats over at most this many timed runs or steps take exact percentiles from raw rows. */
  public static final int DEFAULT_EXACT_PERCENTILE_LIMIT = 2000;

  @Override
  public void migrate() {
    new Migrator(connections, dialect).migrate();
    exclusively("rollup_backfill", () -> new RollupBackfill(connections, writer).run());
  }

  /**
   * Runs {@code work} while no other node runs work under any of {@code runKeys}: for a backend
   * that keeps runs elsewhere and merges them by reading and writing (ClickHouse), so that two
   * nodes never merge the same run at once. One process needs no lock: its writes are serialised.
   */
  public void withRunLocks(java.util.Collection<String> runKeys, Runnable work) {
    work.run();
  }

  @Override
  public void check() {
    connections.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return null;
      }
    });
    long fullAt = fullAtNanos;
    if (fullAt != NOT_FULL && !roomAgain(fullAt)) {
      throw new StoreFullException("the last write found the store's disk full", null);
    }
  }

  /**
   * After a write found the disk full, whether there may be room again, so that readiness comes
   * back and writes are tried again; the next successful write clears the state. By default after
   * {@link #FULL_PAUSE_NANOS} (the database server's disk cannot be seen from here).
   */
  protected boolean roomAgain(long fullAtNanos) {
    return System.nanoTime() - fullAtNanos > FULL_PAUSE_NANOS;
  }

  /** Works the batch's runs out as new runs ({@link FreshRuns#prepare}), the writer's largest part in Java. */
  @Override
  public void prepare(WriteBatch batch) {
    batch.prepared(FreshRuns.prepare(batch, prices.cached(batch.projectId())));
  }

  @Override
  public void write(List<WriteBatch> batches) {
    writeUnsynced(batches);
    sync();
  }

  @Override
  public boolean syncsApart() {
    return connections.syncsApart();
  }

  @Override
  public void sync() {
    try {
      connections.sync();
    } catch (StoreFullException e) {
      fullAtNanos = System.nanoTime();
      throw e;
    }
  }

  @Override
  public void writeUnsynced(List<WriteBatch> batches) {
    try {
      connections.inTransactionUnsynced(c -> {
        writer.write(c, retention.withoutDeletedRuns(c, batches));
        return null;
      });
      // written: what was worked out for the write need not live as long as the batch
      for (WriteBatch b : batches) b.prepared(null);
    } catch (StoreFullException e) {
      fullAtNanos = System.nanoTime();
      throw e;
    }
    fullAtNanos = NOT_FULL;
  }

  @Override
  public int writerThreads() {
    return writerThreads;
  }

  @Override
  public RunPage listRuns(String projectId, RunQuery query) {
    return connections.read(c -> {
      Long rawFrom = retention.rawFrom(c, projectId);
      return reader.listRuns(c, projectId, query).withRawDataFrom(rawFrom == null ? null : Times.toInstant(rawFrom));
    });
  }

  @Override
  public Optional<RunDetail> getRun(String projectId, String runId) {
    return connections.read(c -> reader.getRun(c, projectId, runId));
  }

  @Override
  public Optional<StepDetail> getStep(String projectId, String runId, String stepId) {
    return connections.read(c -> reader.getStep(c, projectId, runId, stepId));
  }

  @Override
  public Stats stats(String projectId, RunQuery filter) {
    if (!RollupScan.answers(filter)) return statsFromRows(projectId, filter);
    return connections.read(c -> rollups.stats(source(c), projectId, filter, Times.nowNanos(),
        retention.rawFrom(c, projectId)));
  }

  @Override
  public Timeseries timeseries(String projectId, RunQuery filter, int buckets) {
    if (!RollupScan.answers(filter)) return timeseriesFromRows(projectId, filter, buckets);
    Timeseries t = connections.read(c -> rollups.timeseries(source(c), projectId, filter, buckets, Times.nowNanos()));
    return t != null ? t : timeseriesFromRows(projectId, filter, buckets);
  }

  private RollupSource source(Connection c) {
    return new JdbcRollupSource(c, dialect, stats);
  }

  @Override
  public PriceTable prices(String projectId) {
    return connections.read(c -> prices.table(c, projectId));
  }

  @Override
  public List<ModelPrice> priceOverrides(String projectId) {
    return connections.read(c -> prices.overrides(c, projectId));
  }

  @Override
  public void putPrice(String projectId, ModelPrice price) {
    connections.inTransaction(c -> {
      prices.put(c, projectId, price);
      return null;
    });
    prices.invalidate(projectId);
  }

  @Override
  public boolean deletePrice(String projectId, String model, LocalDate effectiveFrom) {
    boolean deleted = connections.inTransaction(c -> prices.delete(c, projectId, model, effectiveFrom));
    prices.invalidate(projectId);
    return deleted;
  }

  @Override
  public List<Stats.ModelCost> modelUsage(String projectId) {
    return stats(projectId, RunQuery.all()).byModel();
  }

  @Override
  public AgentTotals agentTotals(String projectId, double[] runBoundsMs, double[] stepBoundsMs) {
    return connections.read(c -> RollupTotals.read(source(c), projectId, runBoundsMs, stepBoundsMs));
  }

  @Override
  public List<AgentSummary> agents(String projectId) {
    return connections.read(c -> rollups.agents(c, projectId));
  }

  @Override
  public RunMoments costPerRun(String projectId, RunQuery filter) {
    if (!RollupScan.answers(filter)) return connections.read(c -> stats.costPerRun(c, projectId, filter));
    return connections.read(c -> rollups.costPerRun(source(c), projectId, filter, Times.nowNanos()));
  }

  @Override
  public RunQuantiles runQuantiles(String projectId, RunQuery filter, double... qs) {
    if (!RollupScan.answers(filter)) return connections.read(c -> stats.runQuantiles(c, projectId, filter, qs));
    return connections.read(c -> rollups.runQuantiles(source(c), projectId, filter, Times.nowNanos(),
        retention.rawFrom(c, projectId), qs));
  }

  @Override
  public Stats statsFromRows(String projectId, RunQuery filter) {
    return connections.read(c -> stats.stats(c, projectId, filter));
  }

  @Override
  public Timeseries timeseriesFromRows(String projectId, RunQuery filter, int buckets) {
    return connections.read(c -> stats.timeseries(c, projectId, filter, buckets));
  }

  @Override
  public List<AgentSummary> agentsFromRows(String projectId) {
    return connections.read(c -> reader.agents(c, projectId));
  }

  @Override
  public int expireRuns(String projectId, long beforeNanos, int maxRuns) {
    return connections.inTransaction(c -> retention.expireRuns(c, projectId, beforeNanos, maxRuns));
  }

  @Override
  public int expireRollups(String projectId, long beforeNanos, long minutesBeforeNanos, int maxBuckets) {
    return connections.inTransaction(
        c -> retention.expireRollups(c, projectId, beforeNanos, minutesBeforeNanos, maxBuckets));
  }

  @Override
  public void reclaimSpace() {
    String sql = dialect.reclaimSpace(RECLAIM_PAGES);
    if (sql == null) return;
    connections.inTransaction(c -> {
      try (java.sql.Statement s = c.createStatement()) {
        s.execute(sql);
      }
      return null;
    });
  }

  @Override
  public Optional<java.time.Instant> rawDataFrom(String projectId) {
    return connections.read(c -> Optional.ofNullable(retention.rawFrom(c, projectId)).map(Times::toInstant));
  }

  @Override
  public boolean exportRun(String projectId, String runId, RecordSink sink) {
    return connections.read(c -> export.exportRun(c, projectId, runId, sink));
  }

  @Override
  public void putScores(String projectId, List<Score> list) {
    if (list.isEmpty()) return;
    connections.inTransaction(c -> {
      scores.put(c, projectId, list);
      return null;
    });
  }

  @Override
  public void deleteScoresOfRuns(String projectId, java.util.Collection<String> runIds) {
    if (runIds.isEmpty()) return;
    connections.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM scores WHERE project_id = ? AND run_id = ?")) {
        for (String runId : runIds) {
          Sql.setString(ps, 1, projectId);
          Sql.setString(ps, 2, runId);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<Score> scores(String projectId, ScoreQuery query) {
    return connections.read(c -> scores.list(c, projectId, query));
  }

  @Override
  public Optional<Score> score(String projectId, String scoreId) {
    return connections.read(c -> scores.get(c, projectId, scoreId));
  }

  @Override
  public List<Project> projects() {
    return connections.read(accounts::projects);
  }

  @Override
  public Optional<Project> project(String projectId) {
    return connections.read(c -> accounts.project(c, projectId));
  }

  @Override
  public void putProject(Project project) {
    connections.inTransaction(c -> {
      accounts.putProject(c, project);
      return null;
    });
  }

  @Override
  public byte[] projectSecret(String projectId, byte[] candidate) {
    return connections.inTransaction(c -> accounts.projectSecret(c, projectId, candidate));
  }

  @Override
  public void putApiKey(ApiKey key) {
    connections.inTransaction(c -> {
      accounts.putApiKey(c, key);
      return null;
    });
  }

  @Override
  public Optional<ApiKey> apiKeyBySecretHash(String secretHash) {
    return connections.read(c -> accounts.apiKey(c, "secret_hash", secretHash));
  }

  @Override
  public Optional<ApiKey> apiKeyByPublicId(String publicId) {
    return connections.read(c -> accounts.apiKey(c, "public_id", publicId));
  }

  @Override
  public boolean hasApiKeys() {
    return connections.read(accounts::hasApiKeys);
  }

  @Override
  public Optional<User> user(String username) {
    return connections.read(c -> accounts.user(c, username));
  }

  @Override
  public void putUser(User user) {
    connections.inTransaction(c -> {
      accounts.putUser(c, user);
      return null;
    });
  }

  @Override
  public void putSession(Session session) {
    connections.inTransaction(c -> {
      accounts.putSession(c, session);
      return null;
    });
  }

  @Override
  public Optional<Session> session(String tokenHash) {
    return connections.read(c -> accounts.session(c, tokenHash));
  }

  @Override
  public void deleteSession(String tokenHash) {
    connections.inTransaction(c -> {
      accounts.deleteSession(c, tokenHash);
      return null;
    });
  }

  @Override
  public List<User> users() {
    return connections.read(c -> accounts.users(c, null, null));
  }

  @Override
  public Optional<User> userBySsoSubject(String subject) {
    return connections.read(c -> accounts.users(c, "sso_subject = ?", subject).stream().findFirst());
  }

  @Override
  public boolean deleteUser(String username) {
    return connections.inTransaction(c -> {
      accounts.deleteByUsername(c, "memberships", username);
      accounts.deleteByUsername(c, "sessions", username);
      return accounts.deleteByUsername(c, "users", username) > 0;
    });
  }

  @Override
  public void deleteSessionsOf(String username) {
    connections.inTransaction(c -> accounts.deleteByUsername(c, "sessions", username));
  }

  @Override
  public List<Membership> membershipsOf(String username) {
    return connections.read(c -> team.memberships(c, "username", username));
  }

  @Override
  public List<Membership> members(String projectId) {
    return connections.read(c -> team.memberships(c, "project_id", projectId));
  }

  @Override
  public void putMembership(Membership membership) {
    connections.inTransaction(c -> {
      team.putMembership(c, membership);
      return null;
    });
  }

  @Override
  public boolean deleteMembership(String projectId, String username) {
    return connections.inTransaction(c -> team.deleteMembership(c, projectId, username));
  }

  @Override
  public void replaceMemberships(String username, List<Membership> memberships) {
    connections.inTransaction(c -> {
      accounts.deleteByUsername(c, "memberships", username);
      for (Membership m : memberships) team.putMembership(c, m);
      return null;
    });
  }

  @Override
  public void putInvite(Invite invite) {
    connections.inTransaction(c -> {
      team.putInvite(c, invite);
      return null;
    });
  }

  @Override
  public Optional<Invite> inviteByTokenHash(String tokenHash) {
    return connections.read(c -> team.inviteByTokenHash(c, tokenHash));
  }

  @Override
  public List<Invite> openInvites(String projectId, Instant now) {
    return connections.read(c -> team.openInvites(c, projectId, now));
  }

  @Override
  public boolean deleteInvite(String projectId, String inviteId) {
    return connections.inTransaction(c -> team.deleteInvite(c, projectId, inviteId));
  }

  @Override
  public Redeemed redeemInvite(String tokenHash, User user, Instant now) {
    return connections.inTransaction(c -> {
      Optional<Invite> invite = team.inviteByTokenHash(c, tokenHash);
      if (invite.isEmpty() || !invite.get().usableAt(now)) return Redeemed.INVALID;
      if (accounts.user(c, user.username()).isPresent()) return Redeemed.USERNAME_TAKEN;
      // the conditional update decides between two nodes redeeming the same link at once
      if (!team.useInvite(c, tokenHash, user.username(), now)) return Redeemed.INVALID;
      accounts.putUser(c, user);
      team.putMembership(c, new Membership(invite.get().projectId(), user.username(), invite.get().role(), now));
      return Redeemed.OK;
    });
  }

  @Override
  public List<ApiKey> apiKeys(String projectId) {
    return connections.read(c -> accounts.apiKeys(c, "project_id = ?", projectId));
  }

  @Override
  public boolean revokeApiKey(String projectId, String publicId, Instant at) {
    return connections.inTransaction(c -> accounts.revokeApiKey(c, projectId, publicId, Times.toNanos(at)));
  }

  @Override
  public void touchApiKey(String secretHash, Instant at) {
    connections.inTransaction(c -> {
      accounts.touchApiKey(c, secretHash, Times.toNanos(at));
      return null;
    });
  }

  @Override
  public void audit(AuditEvent event) {
    connections.inTransaction(c -> {
      team.audit(c, event);
      return null;
    });
  }

  @Override
  public List<AuditEvent> auditEvents(AuditQuery query) {
    return connections.read(c -> team.auditEvents(c, query));
  }

  @Override
  public int purgeAudit(Instant before) {
    return connections.inTransaction(c -> team.purgeAudit(c, before));
  }

  @Override
  public void close() {
    connections.close();
  }

  // ---- alerts

  @Override
  public void putAlertDoc(String projectId, String kind, String id, String json) {
    connections.inTransaction(c -> {
      alerts.put(c, projectId, kind, id, json);
      return null;
    });
  }

  @Override
  public List<String> alertDocs(String projectId, String kind) {
    return connections.read(c -> alerts.list(c, projectId, kind));
  }

  @Override
  public Optional<String> alertDoc(String projectId, String kind, String id) {
    return connections.read(c -> alerts.get(c, projectId, kind, id));
  }

  @Override
  public boolean deleteAlertDoc(String projectId, String kind, String id) {
    return connections.inTransaction(c -> alerts.delete(c, projectId, kind, id));
  }

  @Override
  public void appendAlertLog(String projectId, String log, long atNanos, String json) {
    connections.inTransaction(c -> {
      alerts.append(c, projectId, log, atNanos, json);
      return null;
    });
  }

  @Override
  public List<String> alertLog(String projectId, String log, int limit) {
    return connections.read(c -> alerts.log(c, projectId, log, limit));
  }
}
