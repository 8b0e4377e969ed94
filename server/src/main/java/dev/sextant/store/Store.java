package dev.sextant.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage SPI. Every backend implements it and passes the shared conformance suite
 * ({@code StoreConformanceTest}). Backends know nothing of HTTP or wire protocols.
 *
 * <p>Writes are idempotent and order-free: records of the same run or step are merged field by
 * field whatever order they arrive in, and replaying a batch changes nothing.
 */
public interface Store extends ModelPriceStore, AlertStore, AutoCloseable {

  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  void migrate();

  /** Throws {@link StoreException} when the store cannot serve requests; backs {@code /health/ready}. */
  void check();

  /** Writes all batches in one transaction: all of them are durable when this returns, or none. */
  void write(List<WriteBatch> batches);

  /** How many writer threads this backend can use with benefit (SQLite: one). */
  default int writerThreads() {
    return 1;
  }

  /**
   * Runs {@code work} while no other node sharing this store runs work of the same {@code name}:
   * for what must happen once however many nodes start (bootstrap; later retention, alerts). A
   * store only one process can open needs nothing more than a lock in this process.
   */
  default void exclusively(String name, Runnable work) {
    synchronized (this) {
      work.run();
    }
  }

  RunPage listRuns(String projectId, RunQuery query);

  Optional<RunDetail> getRun(String projectId, String runId);

  Optional<StepDetail> getStep(String projectId, String runId, String stepId);

  /**
   * Aggregates of the runs matching {@code filter}. Filters on agent, version, environment, status,
   * failure and start time are answered from rollups, whose cost does not grow with history; the
   * others (session, labels, text, duration bounds) from raw rows.
   */
  Stats stats(String projectId, RunQuery filter);

  Timeseries timeseries(String projectId, RunQuery filter, int buckets);

  List<AgentSummary> agents(String projectId);

  /**
   * The project's rollup totals over all time, by agent, version, environment, status and failure
   * (runs) and by step type and model (steps), with duration histograms at the given bounds in
   * milliseconds (ascending). Read from rollups only, so its cost does not grow with raw rows;
   * buckets deleted by rollup retention no longer count.
   */
  AgentTotals agentTotals(String projectId, double[] runBoundsMs, double[] stepBoundsMs);

  /**
   * The same answers computed from raw rows alone, ignoring rollups: the reference that the rollups
   * are tested against (exact percentiles; runs deleted by retention are missing).
   */
  Stats statsFromRows(String projectId, RunQuery filter);

  /**
   * Count, sum and sum of squares of cost per run under {@code filter} (a run without a cost counts
   * 0), for a test of the difference of two means: from the rollups where they answer the filter
   * (leaving out runs whose rollup rows were written before the squares were kept), else from raw rows.
   */
  RunMoments costPerRun(String projectId, RunQuery filter);

  /**
   * Run durations under {@code filter} at the fractions {@code qs} (0..1): from the rollups' merged
   * sketches where they answer the filter (within their 1 % relative error), exactly from raw rows
   * otherwise or when few runs match — the same source as {@link #stats}' run percentiles.
   */
  RunQuantiles runQuantiles(String projectId, RunQuery filter, double... qs);

  Timeseries timeseriesFromRows(String projectId, RunQuery filter, int buckets);

  List<AgentSummary> agentsFromRows(String projectId);

  // ---- retention

  /**
   * Deletes up to {@code maxRuns} of the project's oldest runs (with their steps) that started
   * before {@code beforeNanos}, in one transaction; rollups keep counting them. Returns how many
   * were deleted: fewer than {@code maxRuns} means none is left.
   */
  int expireRuns(String projectId, long beforeNanos, int maxRuns);

  /**
   * Deletes up to {@code maxBuckets} of the project's oldest rollup buckets per tier: minute
   * buckets that start before {@code minutesBeforeNanos}, hour and day buckets that end by
   * {@code beforeNanos}. Returns how many buckets were deleted.
   */
  int expireRollups(String projectId, long beforeNanos, long minutesBeforeNanos, int maxBuckets);

  /** Returns pages freed by deletions to the file system where the backend needs to be asked. */
  void reclaimSpace();

  /** Runs that started before this may have been deleted by retention; empty when none was. */
  Optional<java.time.Instant> rawDataFrom(String projectId);

  // ---- export

  /**
   * Hands every run matching {@code filter} (newest first; the filter's page size and cursor are
   * ignored) with all of its steps to {@code sink}, as records that re-ingested give the same runs.
   * Runs are read a page at a time and steps are streamed, so memory stays bounded however many
   * runs match.
   */
  void exportRuns(String projectId, RunQuery filter, RecordSink sink);

  /** Like {@link #exportRuns} for one run; false (and nothing sent) when the run does not exist. */
  boolean exportRun(String projectId, String runId, RecordSink sink);

  // ---- scores

  /** Inserts each score, replacing the one with the same id in the project. */
  void putScores(String projectId, List<Score> scores);

  /** The project's scores matching {@code query}, newest first. */
  List<Score> scores(String projectId, ScoreQuery query);

  Optional<Score> score(String projectId, String scoreId);

  // ---- projects, keys, users, sessions

  List<Project> projects();

  Optional<Project> project(String projectId);

  /** Inserts or replaces a project. */
  void putProject(Project project);

  /**
   * The project's pseudonymisation secret: stores {@code candidate} when the project has none yet
   * and returns the stored secret, so every node sharing the store gets the same one, for good.
   */
  byte[] projectSecret(String projectId, byte[] candidate);

  /** Inserts a key; fails with {@link StoreException} if the public id or hash exists. */
  void putApiKey(ApiKey key);

  Optional<ApiKey> apiKeyBySecretHash(String secretHash);

  Optional<ApiKey> apiKeyByPublicId(String publicId);

  /** True when any API key exists (used by bootstrap). */
  boolean hasApiKeys();

  Optional<User> user(String username);

  void putUser(User user);

  void putSession(Session session);

  Optional<Session> session(String tokenHash);

  void deleteSession(String tokenHash);

  // ---- team access: users, memberships, invites, key management, audit log

  /** Every user, by username. */
  List<User> users();

  /** The user provisioned from the single sign-on identity {@code subject} ({@code issuer|sub}). */
  Optional<User> userBySsoSubject(String subject);

  /** Deletes the user with their memberships and sessions; false when there was none. */
  boolean deleteUser(String username);

  /** Ends every session of {@code username} (on every node: sessions live in the store). */
  void deleteSessionsOf(String username);

  /** The user's memberships, by project id. */
  List<Membership> membershipsOf(String username);

  /** The members of a project, by username. */
  List<Membership> members(String projectId);

  /** Adds the member or changes their role. */
  void putMembership(Membership membership);

  boolean deleteMembership(String projectId, String username);

  /** Replaces every membership of {@code username} with {@code memberships} in one transaction. */
  void replaceMemberships(String username, List<Membership> memberships);

  void putInvite(Invite invite);

  Optional<Invite> inviteByTokenHash(String tokenHash);

  /** The project's invites that are neither used nor expired at {@code now}, newest first. */
  List<Invite> openInvites(String projectId, Instant now);

  boolean deleteInvite(String projectId, String inviteId);

  /** What {@link #redeemInvite} did. */
  enum Redeemed { OK, INVALID, USERNAME_TAKEN }

  /**
   * In one transaction: checks the invite is unused and unexpired at {@code now}, creates
   * {@code user} with the invite's role in its project, and marks the invite used, so a link works
   * exactly once however many nodes receive it.
   */
  Redeemed redeemInvite(String tokenHash, User user, Instant now);

  /** The project's keys, revoked ones included, newest first. */
  List<ApiKey> apiKeys(String projectId);

  /** Marks the key revoked at {@code at}; false when the project has no such live key. */
  boolean revokeApiKey(String projectId, String publicId, Instant at);

  /** Records that the key authenticated a request at {@code at}. */
  void touchApiKey(String secretHash, Instant at);

  /** Appends an entry; its id is assigned by the store. */
  void audit(AuditEvent event);

  /** Entries matching {@code query}, newest first, at most {@code query.limit()}. */
  List<AuditEvent> auditEvents(AuditQuery query);

  /** Deletes entries older than {@code before}; returns how many. */
  int purgeAudit(Instant before);

  @Override
  void close();
}
