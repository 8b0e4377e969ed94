package dev.sextant.metrics;

import dev.sextant.store.AgentTotals;
import dev.sextant.store.TraceReader;
import dev.sextant.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The series about a project's traced agents, in the Prometheus text format, read from the rollups'
 * all-time totals ({@link Store#agentTotals}) — never from raw rows. Each family keeps at most
 * {@code seriesLimit} label sets per project; the rest are summed into series whose unbounded labels
 * read {@code other}, and {@code sextant_metrics_series_folded_total} counts them. A project's
 * answer is kept for {@code cacheFor}, and concurrent scrapes of one project wait for one read.
 */
public final class AgentMetrics {
  static final String OTHER = "other";

  /** Run duration buckets, seconds. */
  static final double[] RUN_BOUNDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

  /** Step duration buckets, seconds. */
  static final double[] STEP_BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

  private static final List<String> RUN = List.of("agent", "version", "environment");

  private final TraceReader store;
  private final int seriesLimit;
  private final long cacheForNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Project> projects = new ConcurrentHashMap<>();

  public AgentMetrics(TraceReader store, int seriesLimit, Duration cacheFor) {
    this(store, seriesLimit, cacheFor, System::nanoTime);
  }

  AgentMetrics(TraceReader store, int seriesLimit, Duration cacheFor, LongSupplier nanoTime) {
    if (seriesLimit < 1) throw new IllegalArgumentException("--metrics-series-limit must be 1 or more, got " + seriesLimit);
    this.store = store;
    this.seriesLimit = seriesLimit;
    this.cacheForNanos = cacheFor.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The project's agent series, at most {@code cacheFor} old. */
  public String render(String projectId) {
    Project p = projects.computeIfAbsent(projectId, k -> new Project(new SeriesState(seriesLimit)));
    synchronized (p) {
      long now = nanoTime.getAsLong();
      if (p.text == null || now - p.at >= cacheForNanos) {
        p.text = build(projectId, p.state);
        p.at = now;
      }
      return p.text;
    }
  }

  private String build(String projectId, SeriesState state) {
    AgentTotals t = store.agentTotals(projectId, millis(RUN_BOUNDS), millis(STEP_BOUNDS));
    List<Family> families = families(t);
    Family folded = Family.counter("sextant_metrics_series_folded_total",
        "Label sets of a family that the per-project series limit summed into label value \"other\".",
        List.of("metric"), List.of("metric"));
    for (Family f : families) {
      long n = state.fold(f);
      folded.add(List.of(f.name), n);
      state.floor(f);
      state.keepVanished(f);
    }
    state.floor(folded);
    families.add(folded);
    StringBuilder out = new StringBuilder(4096);
    for (Family f : families) PromText.write(out, projectId, f);
    return out.toString();
  }

  static List<Family> families(AgentTotals t) {
    Family runs = Family.counter("sextant_agent_runs_total",
        "Runs that ended, by agent, version, environment and status.", with(RUN, "status"), List.of("status"));
    Family running = Family.gauge("sextant_agent_running_runs", "Runs whose status is running.", RUN);
    Family failures = Family.counter("sextant_agent_run_failures_total",
        "Runs that ended with a failure, by failure type and code.", with(RUN, "failure_type", "failure_code"),
        List.of());
    Family runDuration = Family.histogram("sextant_agent_run_duration_seconds",
        "Duration of runs that ended, from start to end.", with(RUN, "status"), List.of("status"), RUN_BOUNDS);
    for (AgentTotals.Runs r : t.runs()) {
      List<String> dims = List.of(v(r.agent()), v(r.version()), v(r.environment()));
      if ("running".equals(r.status())) {
        running.add(dims, r.runs());
        continue;
      }
      runs.add(plus(dims, r.status()), r.runs());
      if (r.failureType() != null) failures.add(plus(dims, r.failureType(), v(r.failureCode())), r.runs());
      if (r.timed() > 0) runDuration.observe(plus(dims, r.status()), r.durationBuckets(), r.durationNs() / 1e9);
    }
    List<String> typed = with(RUN, "step_type");
    Family steps = Family.counter("sextant_agent_steps_total", "Steps, by step type.", typed, List.of());
    Family errors = Family.counter("sextant_agent_step_errors_total",
        "Steps whose status is error or timeout, by step type.", typed, List.of());
    Family retries = Family.counter("sextant_agent_step_retries_total",
        "Steps that retried an earlier attempt, by step type.", typed, List.of());
    Family stepDuration = Family.histogram("sextant_agent_step_duration_seconds", "Duration of steps, by step type.",
        typed, List.of(), STEP_BOUNDS);
    Family tokens = Family.counter("sextant_agent_tokens_total", "Tokens of steps, by model and direction.",
        with(RUN, "model", "direction"), List.of("direction"));
    Family cost = Family.counter("sextant_agent_cost_usd_total", "Cost of steps in US dollars, by model.",
        with(RUN, "model"), List.of());
    for (AgentTotals.Steps s : t.steps()) {
      List<String> dims = List.of(v(s.agent()), v(s.version()), v(s.environment()));
      List<String> byType = plus(dims, s.stepType());
      steps.add(byType, s.steps());
      errors.add(byType, s.errors());
      retries.add(byType, s.retries());
      if (s.timed() > 0) stepDuration.observe(byType, s.durationBuckets(), s.durationNs() / 1e9);
      if (s.inputTokens() != 0) tokens.add(plus(dims, v(s.model()), "input"), s.inputTokens());
      if (s.outputTokens() != 0) tokens.add(plus(dims, v(s.model()), "output"), s.outputTokens());
      if (s.costUsd() != 0) cost.add(plus(dims, v(s.model())), s.costUsd());
    }
    return new ArrayList<>(List.of(runs, running, failures, runDuration, steps, errors, retries, stepDuration,
        tokens, cost));
  }

  private static String v(String s) {
    return s == null ? "" : s;
  }

  private static List<String> with(List<String> a, String... more) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  private static List<String> plus(List<String> a, String... more) {
    return with(a, more);
  }

  private static double[] millis(double[] seconds) {
    double[] out = new double[seconds.length];
    for (int i = 0; i < seconds.length; i++) out[i] = seconds[i] * 1000;
    return out;
  }

  /** One project's remembered state and cached answer. */
  private static final class Project {
    final SeriesState state;
    String text;
    long at;

    Project(SeriesState state) {
      this.state = state;
    }
  }
}
