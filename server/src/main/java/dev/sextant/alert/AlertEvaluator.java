package dev.sextant.alert;

import dev.sextant.model.Json;
import dev.sextant.analysis.LatencyComparison;
import dev.sextant.analysis.Significance;
import dev.sextant.model.Times;
import dev.sextant.store.AgentSummary;
import dev.sextant.store.Project;
import dev.sextant.store.RunMoments;
import dev.sextant.store.RunQuery;
import dev.sextant.store.Stats;
import dev.sextant.store.Store;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every enabled rule of every project from the store's aggregates ({@link Store#stats},
 * answered from rollups; {@link Store#agents}), moves alert states and notifies on firing and
 * resolved. A pass runs on one node at a time ({@link Store#exclusively}) and reads and writes the
 * states in the store, so with several nodes an alert fires once, and a restart keeps them.
 */
public final class AlertEvaluator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertEvaluator.class);
  public static final String RULE = "rule";
  public static final String STATE = "state";
  public static final String SILENCE = "silence";
  public static final String HISTORY = "history";

  private final Store store;
  private final AlertNotifier notifier;
  private final Clock clock;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sextant-alerts");
    t.setDaemon(true);
    return t;
  });

  public AlertEvaluator(Store store, AlertNotifier notifier, Clock clock) {
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** Evaluates now and then every {@code every}. */
  public AlertEvaluator start(Duration every) {
    executor.scheduleWithFixedDelay(this::evaluateSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void evaluateSafely() {
    try {
      evaluate();
    } catch (RuntimeException e) {
      log.warn("alert evaluation failed: {}", e.toString());
    }
  }

  /** One pass over every project's rules, on one node at a time. */
  public void evaluate() {
    store.exclusively("alerts", () -> {
      for (Project p : store.projects()) evaluate(p.projectId());
    });
  }

  /** One pass over the project's rules (callers make sure no other node evaluates at once). */
  void evaluate(String projectId) {
    long now = Times.toNanos(clock.instant());
    List<Silence> silences = store.alertDocs(projectId, SILENCE).stream().map(Silence::fromJson).toList();
    for (String json : store.alertDocs(projectId, RULE)) {
      AlertRule rule = AlertRule.fromJson(json);
      if (!rule.enabled()) continue;
      try {
        evaluate(projectId, rule, now, silences);
      } catch (RuntimeException e) {
        log.warn("rule {} of project {} could not be evaluated: {}", rule.id(), projectId, e.toString());
      }
    }
  }

  private void evaluate(String projectId, AlertRule rule, long now, List<Silence> silences) {
    Map<String, AlertState> states = new HashMap<>();
    for (String json : store.alertDocs(projectId, STATE)) {
      AlertState s = AlertState.fromJson(json);
      if (rule.id().equals(s.ruleId())) states.put(s.key(), s);
    }
    boolean silenced = silences.stream().anyMatch(s -> s.covers(rule.id(), now));
    if (rule.kind().equals("budget")) {
      budget(projectId, rule, now, states, silenced);
      return;
    }
    Measure m = measure(projectId, rule, now);
    AlertState s = states.getOrDefault("", AlertState.INACTIVE);
    long forNs = rule.forSeconds() * 1_000_000_000L;
    String next = s.state();
    if (m.breached()) {
      if (!s.state().equals("pending") && !s.state().equals("firing")) next = forNs == 0 ? "firing" : "pending";
      else if (s.state().equals("pending") && now - s.sinceNs() >= forNs) next = "firing";
    } else if (s.state().equals("pending")) {
      next = "inactive";
    } else if (s.state().equals("firing")) {
      next = "resolved";
    }
    move(projectId, rule, s, "", next, now, 0, m, silenced);
  }

  /** Each threshold fires once per period, the moment the period's cost reaches it; resolves when the period ends. */
  private void budget(String projectId, AlertRule rule, long now, Map<String, AlertState> states, boolean silenced) {
    long periodStart = periodStart(rule.period(), now);
    double cost = store.stats(projectId, query(rule).withTimes(periodStart, now + 1)).costUsd();
    for (double t : rule.thresholds()) {
      String key = Long.toString(Math.round(t * 100));
      AlertState s = states.getOrDefault(key, AlertState.INACTIVE);
      Measure m = new Measure(cost, rule.amountUsd() * t, cost >= rule.amountUsd() * t);
      if (s.state().equals("firing") && s.periodStartNs() != periodStart) {
        s = move(projectId, rule, s, key, "resolved", now, s.periodStartNs(), m, silenced);
      }
      boolean firedThisPeriod = s.periodStartNs() == periodStart && s.startsAtNs() > 0;
      if (m.breached() && !firedThisPeriod) move(projectId, rule, s, key, "firing", now, periodStart, m, silenced);
      else if (s.value() != cost || s.ruleId() == null) {
        AlertState kept = new AlertState(rule.id(), key, s.state(), s.sinceNs(), s.startsAtNs(), s.periodStartNs(),
            cost, m.threshold());
        store.putAlertDoc(projectId, STATE, kept.docId(), Json.write(kept));
      }
    }
  }

  private AlertState move(String projectId, AlertRule rule, AlertState from, String key, String to, long now,
      long periodStart, Measure m, boolean silenced) {
    boolean changed = !to.equals(from.state());
    long startsAt = to.equals("firing") && changed ? now : from.startsAtNs();
    long period = to.equals("firing") && changed ? periodStart : from.periodStartNs();
    AlertState next = new AlertState(rule.id(), key, to, changed ? now : from.sinceNs(), startsAt, period, m.value(),
        m.threshold());
    store.putAlertDoc(projectId, STATE, next.docId(), Json.write(next));
    if (!changed) return next;
    Map<String, String> labels = labels(rule, key);
    String summary = summary(rule, to, m, key);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("rule_id", rule.id());
    entry.put("rule_name", rule.name());
    entry.put("kind", rule.kind());
    entry.put("key", key);
    entry.put("from", from.state());
    entry.put("to", to);
    entry.put("value", m.value());
    entry.put("threshold", m.threshold());
    entry.put("labels", labels);
    entry.put("silenced", silenced);
    entry.put("at", Times.toInstant(now).toString());
    entry.put("summary", summary);
    store.appendAlertLog(projectId, HISTORY, now, Json.write(entry));
    if ((to.equals("firing") || to.equals("resolved")) && !silenced && !rule.channels().isEmpty()) {
      notifier.send(new AlertEvent(projectId, rule.id(), rule.name(), rule.kind(), to, m.value(), m.threshold(), labels,
          startsAt, now, summary), rule.channels());
    }
    return next;
  }

  private record Measure(double value, double threshold, boolean breached) {}

  private Measure measure(String projectId, AlertRule rule, long now) {
    long from = now - rule.windowSeconds() * 1_000_000_000L;
    switch (rule.kind()) {
      case "error_rate" -> {
        Stats s = store.stats(projectId, query(rule).withTimes(from, now + 1));
        boolean enough = s.runs().total() >= rule.minRuns();
        return new Measure(s.errorRate(), rule.threshold(), enough && s.errorRate() > rule.threshold());
      }
      case "latency_p95" -> {
        Stats s = store.stats(projectId, query(rule).withTimes(from, now + 1));
        Double p95 = s.latencyMs() == null ? null : s.latencyMs().p95();
        if (rule.stepType() != null) {
          p95 = s.byStepType().stream().filter(t -> t.type().equals(rule.stepType())).map(Stats.StepTypeStats::p95Ms)
              .findFirst().orElse(null);
        }
        double v = p95 == null ? 0 : p95;
        return new Measure(v, rule.threshold(), p95 != null && v > rule.threshold());
      }
      case "failure_count" -> {
        Stats s = store.stats(projectId, query(rule).withTimes(from, now + 1));
        long count = 0;
        for (Stats.FailureCount f : s.failures()) {
          if ((rule.failureType() == null || rule.failureType().equals(f.type()))
              && (rule.failureCode() == null || rule.failureCode().equals(f.code()))) {
            count += f.count();
          }
        }
        return new Measure(count, rule.threshold(), count >= rule.threshold());
      }
      case "version_worse" -> {
        return versionWorse(projectId, rule, from, now);
      }
      default -> { // no_data
        Instant last = null;
        for (AgentSummary a : store.agents(projectId)) if (a.agentId().equals(rule.agent())) last = a.lastSeen();
        double silentFor = last == null ? Double.POSITIVE_INFINITY : (now - Times.toNanos(last)) / 1e9;
        double value = Double.isInfinite(silentFor) ? -1 : silentFor;
        return new Measure(value, rule.windowSeconds(), silentFor > rule.windowSeconds());
      }
    }
  }

  /**
   * The rule's version against its baseline over the window, by the test {@code /v1/compare} uses
   * for the metric: the value is the p-value (1 when not tested), breached when the verdict is worse.
   */
  private Measure versionWorse(String projectId, AlertRule rule, long from, long now) {
    RunQuery window = query(rule).withTimes(from, now + 1);
    RunQuery a = window.withVersion(rule.baseline());
    RunQuery b = window.withVersion(rule.version());
    Stats sa = store.stats(projectId, a);
    Stats sb = store.stats(projectId, b);
    Significance.Verdict verdict;
    Double p = null;
    switch (rule.metric()) {
      case "latency_p95" -> {
        Significance.Proportions t = LatencyComparison.of((q, fractions) -> store.runQuantiles(projectId, q, fractions),
            a, sa.runs().total() - sa.runs().running(), b, sb.runs().total() - sb.runs().running()).p95();
        verdict = t.verdict();
        p = t.pValue();
      }
      case "cost_per_run" -> {
        RunMoments ca = store.costPerRun(projectId, a);
        RunMoments cb = store.costPerRun(projectId, b);
        Significance.Proportions t = Significance.means(ca.runs(), ca.sum(), ca.sumOfSquares(), cb.runs(), cb.sum(),
            cb.sumOfSquares());
        verdict = t.verdict();
        p = t.pValue();
      }
      default -> {
        Significance.Proportions t = Significance.twoProportions(sa.runs().failure(), sa.runs().total(),
            sb.runs().failure(), sb.runs().total());
        verdict = t.verdict();
        p = t.pValue();
      }
    }
    return new Measure(p == null ? 1.0 : p, Significance.ALPHA, verdict == Significance.Verdict.WORSE);
  }

  private static RunQuery query(AlertRule rule) {
    return new RunQuery(rule.agent(), null, rule.environment(), null, null, null, null, List.of(), null, null, null,
        null, null, RunQuery.Sort.START_TIME, 1, null);
  }

  /** The start of the UTC day, week (Monday) or month containing {@code now}. */
  static long periodStart(String period, long now) {
    LocalDate day = Times.toInstant(now).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate start = switch (period) {
      case "week" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case "month" -> day.withDayOfMonth(1);
      default -> day;
    };
    return Times.toNanos(start.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  private static Map<String, String> labels(AlertRule rule, String key) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (rule.agent() != null) labels.put("agent", rule.agent());
    if (rule.environment() != null) labels.put("environment", rule.environment());
    if (rule.stepType() != null) labels.put("step_type", rule.stepType());
    if (rule.failureType() != null) labels.put("failure_type", rule.failureType());
    if (rule.failureCode() != null) labels.put("failure_code", rule.failureCode());
    if (rule.period() != null) labels.put("period", rule.period());
    if (!key.isEmpty()) labels.put("threshold_pct", key);
    return labels;
  }

  private static String summary(AlertRule rule, String to, Measure m, String key) {
    String what = switch (rule.kind()) {
      case "budget" -> String.format("cost this %s is %.2f USD, %s%% of the %.2f USD budget", rule.period(), m.value(),
          key, rule.amountUsd());
      case "error_rate" -> String.format("error rate %.1f%% (threshold %.1f%%)", m.value() * 100, m.threshold() * 100);
      case "latency_p95" -> String.format("p95 latency %.0f ms (threshold %.0f ms)", m.value(), m.threshold());
      case "failure_count" -> String.format("%.0f failures (threshold %.0f)", m.value(), m.threshold());
      case "version_worse" -> String.format("%s %s is worse than %s on %s (p = %.3g)", rule.agent(), rule.version(),
          rule.baseline(), rule.metric(), m.value());
      default -> m.value() < 0 ? "agent " + rule.agent() + " has never sent data"
          : String.format("no data from agent %s for %.0f s", rule.agent(), m.value());
    };
    return "[" + to + "] " + rule.name() + ": " + what;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
