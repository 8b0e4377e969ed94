package dev.sextant.store.clickhouse;

import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Times;
import dev.sextant.store.Accounts;
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
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuantiles;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Score;
import dev.sextant.store.ScoreQuery;
import dev.sextant.store.Session;
import dev.sextant.store.Stats;
import dev.sextant.store.StepDetail;
import dev.sextant.store.Store;
import dev.sextant.store.Timeseries;
import dev.sextant.store.User;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sql.RollupReader;
import dev.sextant.store.sql.RollupScan;
import dev.sextant.store.sql.RollupTotals;
import dev.sextant.store.sql.SqlStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ClickHouse backend: runs, steps and their rollups in ClickHouse, on one server or sharded
 * over several behind {@code Distributed} tables; projects, keys, users, sessions, prices, alerts,
 * scores and the audit log in a row store (SQLite or PostgreSQL), which is small and transactional.
 */
public final class ClickHouseStore implements Store {
  private final ClickHouseConfig config;
  private final ClickHouseClient client;
  private final SqlStore small;
  private final ClickHouseTraceWriter writer;
  private final ClickHouseRunReads reads;
  private final ClickHouseRollups rollups;
  private final ClickHouseRawStats raw;
  private final ClickHouseExport export;
  private final ClickHouseRetention retention;
  private final RollupReader rollupReader;

  /**
   * @param small the row store that keeps the small, transactional state
   * @param exactPercentileLimit stats over at most this many timed runs take exact percentiles
   */
  public ClickHouseStore(ClickHouseConfig config, SqlStore small, int exactPercentileLimit) {
    this.config = config;
    this.client = config.client(0);
    this.small = small;
    this.writer = new ClickHouseTraceWriter(client, small::prices);
    this.reads = new ClickHouseRunReads(client, this::scoredRuns);
    this.rollups = new ClickHouseRollups(client, this::scoredRuns);
    this.raw = new ClickHouseRawStats(client, this::scoredRuns);
    this.export = new ClickHouseExport(client);
    this.retention = new ClickHouseRetention(client, config);
    this.rollupReader = new RollupReader(exactPercentileLimit);
  }

  /** Where ClickHouse is and how to reach it. */
  public record ClickHouseConfig(List<URI> urls, String user, String password, String database, String cluster,
      Duration timeout) {
    public ClickHouseConfig {
      if (urls.isEmpty()) throw new IllegalArgumentException("no ClickHouse URL given");
      if (cluster != null && cluster.isBlank()) cluster = null;
      urls = List.copyOf(urls);
    }

    /**
     * A client of server {@code i} in this database. On a cluster, inserts into distributed tables
     * return once every shard has the rows (so that an acknowledged write is stored, and the next
     * write reads it), and subqueries read each shard's own tables: a run's rows all live on one
     * shard, so {@code IN} over runs needs no other shard's data.
     */
    ClickHouseClient client(int i) {
      ClickHouseClient c = new ClickHouseClient(urls.get(i), user, password, database, timeout);
      return cluster == null ? c : c.withSettings(Map.of("insert_distributed_sync", 1,
          "distributed_product_mode", "local"));
    }
  }

  /** The ClickHouse database of runs and steps. */
  public String database() {
    return config.database();
  }

  @Override
  public void migrate() {
    small.migrate();
    // without ON CLUSTER (which needs ZooKeeper): each server gets its tables from here
    for (int i = 0; i < config.urls().size(); i++) {
      ClickHouseClient server = config.client(i).withDatabase("default");
      String byStart = config.database() + "." + ClickHouseSchema.local("runs_by_start", config.cluster());
      String runs = config.database() + "." + ClickHouseSchema.local("runs", config.cluster());
      boolean copy = !exists(server, byStart) && exists(server, runs);
      for (String sql : ClickHouseSchema.create(config.database(), config.cluster(), copy)) server.execute(sql);
    }
  }

  private static boolean exists(ClickHouseClient server, String table) {
    return server.select("EXISTS TABLE " + table).get(0).get("result").asInt() == 1;
  }

  @Override
  public void check() {
    small.check();
    writer.check();
  }

  /**
   * Writes under locks of the touched runs, taken in the row store: with PostgreSQL shared by
   * several nodes, two nodes never read and merge the same run at once.
   */
  @Override
  public void write(List<WriteBatch> batches) {
    Set<String> runs = new TreeSet<>();
    for (WriteBatch b : batches) {
      for (RunRecord r : b.runs()) runs.add(b.projectId() + "\u0000" + r.runId());
      for (StepRecord s : b.steps()) runs.add(b.projectId() + "\u0000" + s.runId());
    }
    small.withRunLocks(runs, () -> writer.write(retention.withoutDeletedRuns(batches)));
  }

  @Override
  public void exclusively(String name, Runnable work) {
    small.exclusively(name, work);
  }

  @Override
  public void close() {
    small.close();
  }

  /** The ids of the project's runs with a score matching {@code f}, from the row store. */
  private Collection<String> scoredRuns(String projectId, RunQuery.ScoreFilter f) {
    Set<String> ids = new LinkedHashSet<>();
    int page = 1000;
    for (int offset = 0; ; offset += page) {
      List<Score> scores = small.scores(projectId, new ScoreQuery(List.of(), List.of(f.name()), List.of(), page, offset));
      for (Score s : scores) {
        if (f.min() != null && (s.value() == null || s.value() < f.min())) continue;
        if (f.max() != null && (s.value() == null || s.value() > f.max())) continue;
        ids.add(s.runId());
      }
      if (scores.size() < page) return ids;
    }
  }

  @Override
  public RunPage listRuns(String projectId, RunQuery query) {
    Long rawFrom = retention.rawFrom(projectId);
    return reads.listRuns(projectId, query).withRawDataFrom(rawFrom == null ? null : Times.toInstant(rawFrom));
  }

  @Override
  public Optional<RunDetail> getRun(String projectId, String runId) {
    return reads.getRun(projectId, runId);
  }

  @Override
  public Optional<StepDetail> getStep(String projectId, String runId, String stepId) {
    return reads.getStep(projectId, runId, stepId);
  }

  @Override
  public Stats stats(String projectId, RunQuery filter) {
    if (!RollupScan.answers(filter)) return raw.stats(projectId, filter);
    return rollupReader.stats(rollups, projectId, filter, Times.nowNanos(), retention.rawFrom(projectId));
  }

  @Override
  public Timeseries timeseries(String projectId, RunQuery filter, int buckets) {
    if (!RollupScan.answers(filter)) return raw.timeseries(projectId, filter, buckets);
    Timeseries t = rollupReader.timeseries(rollups, projectId, filter, buckets, Times.nowNanos());
    return t != null ? t : raw.timeseries(projectId, filter, buckets);
  }

  @Override
  public List<AgentSummary> agents(String projectId) {
    return raw.agents(projectId);
  }

  @Override
  public AgentTotals agentTotals(String projectId, double[] runBoundsMs, double[] stepBoundsMs) {
    return RollupTotals.read(rollups, projectId, runBoundsMs, stepBoundsMs);
  }

  @Override
  public Stats statsFromRows(String projectId, RunQuery filter) {
    return raw.stats(projectId, filter);
  }

  @Override
  public RunMoments costPerRun(String projectId, RunQuery filter) {
    if (!RollupScan.answers(filter)) return raw.costPerRun(projectId, filter);
    return rollupReader.costPerRun(rollups, projectId, filter, Times.nowNanos());
  }

  @Override
  public RunQuantiles runQuantiles(String projectId, RunQuery filter, double... qs) {
    if (!RollupScan.answers(filter)) return rollups.exactRunQuantiles(projectId, filter, qs);
    return rollupReader.runQuantiles(rollups, projectId, filter, Times.nowNanos(), retention.rawFrom(projectId), qs);
  }

  @Override
  public Timeseries timeseriesFromRows(String projectId, RunQuery filter, int buckets) {
    return raw.timeseries(projectId, filter, buckets);
  }

  @Override
  public List<AgentSummary> agentsFromRows(String projectId) {
    return raw.agentsFromRows(projectId);
  }

  @Override
  public List<Stats.ModelCost> modelUsage(String projectId) {
    return stats(projectId, RunQuery.all()).byModel();
  }

  @Override
  public boolean exportRun(String projectId, String runId, RecordSink sink) {
    return export.exportRun(projectId, runId, sink);
  }

  @Override
  public int expireRuns(String projectId, long beforeNanos, int maxRuns) {
    List<String> deleted = retention.expireRuns(projectId, beforeNanos, maxRuns);
    small.deleteScoresOfRuns(projectId, deleted);
    return deleted.size();
  }

  @Override
  public void deleteScoresOfRuns(String projectId, Collection<String> runIds) {
    small.deleteScoresOfRuns(projectId, runIds);
  }

  @Override
  public int expireRollups(String projectId, long beforeNanos, long minutesBeforeNanos, int maxBuckets) {
    return retention.expireRollups(projectId, beforeNanos, minutesBeforeNanos, maxBuckets);
  }

  @Override
  public void reclaimSpace() {
    retention.dropExpiredPartitions();
  }

  @Override
  public Optional<Instant> rawDataFrom(String projectId) {
    return Optional.ofNullable(retention.rawFrom(projectId)).map(Times::toInstant);
  }

  @Override
  public List<Project> projects() {
    return small.projects();
  }

  @Override
  public Optional<Project> project(String projectId) {
    return small.project(projectId);
  }

  @Override
  public void putProject(Project project) {
    small.putProject(project);
  }

  @Override
  public byte[] projectSecret(String projectId, byte[] candidate) {
    return small.projectSecret(projectId, candidate);
  }

  @Override
  public void putApiKey(ApiKey key) {
    small.putApiKey(key);
  }

  @Override
  public Optional<ApiKey> apiKeyBySecretHash(String secretHash) {
    return small.apiKeyBySecretHash(secretHash);
  }

  @Override
  public Optional<ApiKey> apiKeyByPublicId(String publicId) {
    return small.apiKeyByPublicId(publicId);
  }

  @Override
  public boolean hasApiKeys() {
    return small.hasApiKeys();
  }

  @Override
  public Optional<User> user(String username) {
    return small.user(username);
  }

  @Override
  public void putUser(User user) {
    small.putUser(user);
  }

  @Override
  public void putSession(Session session) {
    small.putSession(session);
  }

  @Override
  public Optional<Session> session(String tokenHash) {
    return small.session(tokenHash);
  }

  @Override
  public void deleteSession(String tokenHash) {
    small.deleteSession(tokenHash);
  }

  @Override
  public List<User> users() {
    return small.users();
  }

  @Override
  public Optional<User> userBySsoSubject(String subject) {
    return small.userBySsoSubject(subject);
  }

  @Override
  public boolean deleteUser(String username) {
    return small.deleteUser(username);
  }

  @Override
  public void deleteSessionsOf(String username) {
    small.deleteSessionsOf(username);
  }

  @Override
  public List<Membership> membershipsOf(String username) {
    return small.membershipsOf(username);
  }

  @Override
  public List<Membership> members(String projectId) {
    return small.members(projectId);
  }

  @Override
  public void putMembership(Membership membership) {
    small.putMembership(membership);
  }

  @Override
  public boolean deleteMembership(String projectId, String username) {
    return small.deleteMembership(projectId, username);
  }

  @Override
  public void replaceMemberships(String username, List<Membership> memberships) {
    small.replaceMemberships(username, memberships);
  }

  @Override
  public void putInvite(Invite invite) {
    small.putInvite(invite);
  }

  @Override
  public Optional<Invite> inviteByTokenHash(String tokenHash) {
    return small.inviteByTokenHash(tokenHash);
  }

  @Override
  public List<Invite> openInvites(String projectId, Instant now) {
    return small.openInvites(projectId, now);
  }

  @Override
  public boolean deleteInvite(String projectId, String inviteId) {
    return small.deleteInvite(projectId, inviteId);
  }

  @Override
  public Accounts.Redeemed redeemInvite(String tokenHash, User user, Instant now) {
    return small.redeemInvite(tokenHash, user, now);
  }

  @Override
  public List<ApiKey> apiKeys(String projectId) {
    return small.apiKeys(projectId);
  }

  @Override
  public boolean revokeApiKey(String projectId, String publicId, Instant at) {
    return small.revokeApiKey(projectId, publicId, at);
  }

  @Override
  public void touchApiKey(String secretHash, Instant at) {
    small.touchApiKey(secretHash, at);
  }

  @Override
  public void audit(AuditEvent event) {
    small.audit(event);
  }

  @Override
  public List<AuditEvent> auditEvents(AuditQuery query) {
    return small.auditEvents(query);
  }

  @Override
  public int purgeAudit(Instant before) {
    return small.purgeAudit(before);
  }

  @Override
  public PriceTable prices(String projectId) {
    return small.prices(projectId);
  }

  @Override
  public List<ModelPrice> priceOverrides(String projectId) {
    return small.priceOverrides(projectId);
  }

  @Override
  public void putPrice(String projectId, ModelPrice price) {
    small.putPrice(projectId, price);
  }

  @Override
  public boolean deletePrice(String projectId, String model, LocalDate effectiveFrom) {
    return small.deletePrice(projectId, model, effectiveFrom);
  }

  @Override
  public void putAlertDoc(String projectId, String kind, String id, String json) {
    small.putAlertDoc(projectId, kind, id, json);
  }

  @Override
  public List<String> alertDocs(String projectId, String kind) {
    return small.alertDocs(projectId, kind);
  }

  @Override
  public Optional<String> alertDoc(String projectId, String kind, String id) {
    return small.alertDoc(projectId, kind, id);
  }

  @Override
  public boolean deleteAlertDoc(String projectId, String kind, String id) {
    return small.deleteAlertDoc(projectId, kind, id);
  }

  @Override
  public void appendAlertLog(String projectId, String log, long atNanos, String json) {
    small.appendAlertLog(projectId, log, atNanos, json);
  }

  @Override
  public List<String> alertLog(String projectId, String log, int limit) {
    return small.alertLog(projectId, log, limit);
  }

  @Override
  public void putScores(String projectId, List<Score> scores) {
    small.putScores(projectId, scores);
  }

  @Override
  public List<Score> scores(String projectId, ScoreQuery query) {
    return small.scores(projectId, query);
  }

  @Override
  public Optional<Score> score(String projectId, String scoreId) {
    return small.score(projectId, scoreId);
  }
}
