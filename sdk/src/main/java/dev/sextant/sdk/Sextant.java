package dev.sextant.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

/**
 * The entry point of the Sextant SDK: reports agent runs, steps and failures to a Sextant server.
 *
 * <pre>{@code
 * Sextant sextant = Sextant.builder().agent("support-agent").agentVersion("v1.0.0").build();
 * try (Run run = sextant.startRun("handle_ticket")) {
 *   try (Step step = run.step("tool", "billing_api")) {
 *     step.metadata("http_status", 504);
 *   }
 *   run.recordFailure("tool", "timeout", "billing_api timed out after 30s");
 * }
 * sextant.close();
 * }</pre>
 *
 * <p>The SDK is fail-open: no method throws into the caller, a slow or absent server never blocks it
 * (in the default async mode), memory stays bounded, and what cannot be sent is dropped and counted in
 * {@link #stats()}. An instance is thread-safe; create one per application and close it on shutdown.
 */
public final class Sextant implements AutoCloseable {

  /** How records leave the process. */
  public enum Mode {
    /** A background thread batches and sends records; callers never wait. The default. */
    ASYNC,
    /** The thread that ends a run exports it and its steps synchronously. For scripts and tests. */
    INLINE
  }

  final Config config;
  final SdkClock clock;
  final Sleeper sleeper;
  final SdkLog log;
  final Counters counters;
  final Pipeline pipeline;
  private final AtomicBoolean closed = new AtomicBoolean();
  final Thread shutdownHook;

  private Sextant(Config config, SdkClock clock, Sleeper sleeper, SdkLog log, Counters counters) {
    this.config = config;
    this.clock = clock;
    this.sleeper = sleeper;
    this.log = log;
    this.counters = counters;
    if (config.disabled()) {
      this.pipeline = null;
      this.shutdownHook = null;
      return;
    }
    Exporter exporter = config.exporter() != null
        ? config.exporter()
        : new HttpExporter(config.ingestUri(), config.apiKey(), config.requestTimeout(), config.gzip(),
            config.maxExportAttempts(), config.initialBackoff(), config.maxBackoff(), sleeper, log);
    if (config.runDir() != null) {
      exporter = new CompositeExporter(java.util.List.of(exporter, new RunFileExporter(config.runDir())));
    }
    this.pipeline = config.mode() == Mode.INLINE ? new InlinePipeline(this, exporter) : new AsyncPipeline(this, exporter);
    this.shutdownHook = config.shutdownHook() ? registerShutdownHook() : null;
  }

  /** A builder; every option also has a default and most read an environment variable. */
  public static Builder builder() {
    return new Builder();
  }

  /** The run and step current on the calling thread, across all instances. */
  public static Current current() {
    try {
      ScopeNode top = Contexts.top();
      if (top instanceof SpanStep step) {
        return new Current(step.run, step);
      }
      if (top instanceof SpanRun run) {
        return new Current(run, null);
      }
    } catch (Throwable ignored) {
      // never fail the caller
    }
    return Current.NONE;
  }

  /** True unless the SDK was disabled ({@code SEXTANT_DISABLED=true} or the builder). */
  public boolean isEnabled() {
    return pipeline != null;
  }

  /**
   * True when inputs, outputs and free text are kept ({@code captureContent}); integrations check it
   * before turning messages into content, so nothing is built for a project that would drop it.
   */
  public boolean capturesContent() {
    return pipeline != null && config.captureContent();
  }

  /** Starts a run; it becomes the current run of the calling thread until it is closed. */
  public Run startRun(String name) {
    if (pipeline == null) {
      return NoopRun.INSTANCE;
    }
    try {
      SpanRun run = new SpanRun(this, name);
      Contexts.push(run);
      return run;
    } catch (Throwable t) {
      internalError(t);
      return NoopRun.INSTANCE;
    }
  }

  /**
   * Runs {@code body} inside a new run and ends the run afterwards. An exception thrown by the body
   * marks the run as failed and is rethrown unchanged.
   */
  public <T, E extends Throwable> T run(String name, RunBody<T, E> body) throws E {
    return Bodies.inRun(startRun(name), body);
  }

  /**
   * Waits until every record produced before this call was exported, dropped or failed, for at most
   * {@code timeout}. Returns false on timeout. Never throws.
   */
  public boolean flush(Duration timeout) {
    if (pipeline == null) {
      return true;
    }
    try {
      return pipeline.flush(timeout == null ? 0 : SpanRun.saturatedNanos(timeout));
    } catch (Throwable t) {
      internalError(t);
      return false;
    }
  }

  /**
   * Exports what is queued, for at most the close timeout, then drops and counts the rest and stops
   * the worker. Records produced afterwards are dropped. Later calls do nothing.
   *
   * <p>In async mode it returns within {@code closeTimeout + min(closeTimeout, 1 s)} plus the time the
   * exporter's own {@code close()} takes: an export still running when the close timeout ends is
   * interrupted and given up to that much longer; an exporter that ignores the interrupt is left
   * running and its batch counted when it returns. In inline mode it waits for an export in progress
   * on another thread, and counts the finished steps of runs that were never ended as dropped.
   */
  @Override
  public void close() {
    if (pipeline == null || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      pipeline.close(SpanRun.saturatedNanos(config.closeTimeout()));
    } catch (Throwable t) {
      internalError(t);
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | SecurityException ignored) {
        // the JVM is already shutting down
      }
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** A consistent-enough snapshot of the self-statistics. */
  public Stats stats() {
    Counters c = counters;
    long pending = pipeline == null ? 0 : pipeline.pending();
    long produced = c.produced.sum() + (pipeline == null ? 0 : pipeline.accepted());
    return new Stats(produced, c.exported.sum(), c.dropped.sum(), c.failed.sum(), pending,
        c.eventsDropped.sum(), c.rejected.sum(), c.internalErrors.sum());
  }

  @Override
  public String toString() {
    return "Sextant{agent=" + config.agentId() + ", mode=" + config.mode()
        + (isEnabled() ? ", endpoint=" + (config.exporter() == null ? config.ingestUri() : "custom exporter") : ", disabled")
        + "}";
  }

  void reject(String key, String message) {
    counters.rejected.increment();
    log.warn(key, message);
  }

  /** Cuts {@code value} to {@code max} characters, counting it as a rejected value and logging it. */
  String cut(String what, String value, int max) {
    cutWarning(what, value, max);
    return Values.truncate(value, max);
  }

  /** Counts a value cut to its length limit and logs it, at most once a minute per field. */
  void cutWarning(String what, String value, int max) {
    counters.rejected.increment();
    log.warn("cut-" + what, what + " '" + Values.shorten(value) + "' has " + value.length()
        + " characters, more than the " + max + " allowed; it was cut to " + max);
  }

  void internalError(Throwable t) {
    counters.internalErrors.increment();
    log.warn("internal", "internal error ignored; the application is not affected", t);
  }

  private Thread registerShutdownHook() {
    Thread hook = new Thread(this::close, "sextant-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return hook;
    } catch (IllegalStateException | SecurityException e) {
      return null;
    }
  }

  /**
   * Configures a {@link Sextant}. A value set here wins over its environment variable; {@code
   * SEXTANT_DISABLED=true} disables the SDK whatever the builder says. {@link #build()} never throws:
   * an invalid value is logged and replaced by its default. The agent id, version and environment
   * are cut to the server's 256 characters (counted in {@code stats().rejectedValues()}).
   */
  public static final class Builder {

    static final String DEFAULT_ENDPOINT = "http://localhost:8000";
    /** The server rejects a step with more events than this. */
    static final int MAX_EVENTS_PER_STEP = 10_000;

    private String agentId;
    private String agentVersion;
    private String environment;
    private String endpoint;
    private String apiKey;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Boolean disabled;
    private Mode mode;
    private Exporter exporter;
    private Boolean captureContent;
    private int queueCapacity = 8192;
    private int maxBatchSize = 512;
    private Duration flushInterval = Duration.ofSeconds(1);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxExportAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private boolean shutdownHook = true;
    private boolean gzip = true;
    private boolean systemLabels = true;
    private java.nio.file.Path runDir;
    private int maxEventsPerStep = 1000;
    private int maxStepsPerRun = 10_000;
    private SdkClock clock = SdkClock.SYSTEM;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Map<String, String> env;

    Builder() {}

    /** The agent's id, e.g. {@code support-agent}. Environment: {@code SEXTANT_AGENT_ID}. */
    public Builder agent(String agentId) {
      this.agentId = agentId;
      return this;
    }

    /** The agent's version, e.g. {@code v1.0.0}. Environment: {@code SEXTANT_AGENT_VERSION}. */
    public Builder agentVersion(String agentVersion) {
      this.agentVersion = agentVersion;
      return this;
    }

    /** Deployment environment, e.g. {@code production}. Environment: {@code SEXTANT_ENVIRONMENT}. */
    public Builder environment(String environment) {
      this.environment = environment;
      return this;
    }

    /**
     * Base URL of the Sextant server, e.g. {@code http://localhost:8000}; records go to {@code
     * /v1/ingest} under it. Environment: {@code SEXTANT_ENDPOINT}. Default {@code
     * http://localhost:8000}.
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** API key with the {@code ingest} scope, sent as a bearer token. Environment: {@code SEXTANT_API_KEY}. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * A label on every run, merged with {@code SEXTANT_LABEL_<KEY>} variables (key lower-cased); a
     * run's own labels win. Invalid labels are dropped by {@link #build()}, counted in {@code
     * stats().rejectedValues()} and named in one warning.
     */
    public Builder label(String key, String value) {
      if (key != null) {
        labels.put(key, value);
      }
      return this;
    }

    /** Turns the SDK into a no-op. Environment: {@code SEXTANT_DISABLED=true}, which always wins. */
    public Builder disabled(boolean disabled) {
      this.disabled = disabled;
      return this;
    }

    /** {@link Mode#ASYNC} (default) or {@link Mode#INLINE}. Environment: {@code SEXTANT_MODE}. */
    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    /** Sends records to {@code exporter} instead of the HTTP exporter. */
    public Builder exporter(Exporter exporter) {
      this.exporter = exporter;
      return this;
    }

    /**
     * Keeps inputs, outputs and free-text metadata. Off by default: only safe metadata leaves the
     * process. Environment: {@code SEXTANT_CAPTURE_CONTENT=true}.
     */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /** Records the async queue holds before it drops (rounded up to a power of two). Default 8192. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Records per export call, at most 1000. Default 512. */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** The longest a record waits in the async queue for a batch to fill. Default 1 s. */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = flushInterval;
      return this;
    }

    /** Timeout of one HTTP request. Default 10 s. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Attempts per batch on network errors and 429/502/503/504, the first included. Default 5. */
    public Builder maxExportAttempts(int maxExportAttempts) {
      this.maxExportAttempts = maxExportAttempts;
      return this;
    }

    /** First and largest wait between export attempts, before jitter. Default 500 ms and 30 s. */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long {@link Sextant#close()} may spend exporting what is queued. Default 5 s. An export
     * still running then is interrupted and waited for up to {@code min(closeTimeout, 1 s)} more.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** Closes the SDK when the JVM exits, so the last records are sent. Default on (async mode only). */
    public Builder shutdownHook(boolean shutdownHook) {
      this.shutdownHook = shutdownHook;
      return this;
    }

    /** Gzip request bodies of 1 KiB and more. Default on. */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /**
     * Events a step keeps; later ones are counted and dropped. Default 1000; at most 10,000, the
     * server's limit per step (a larger value is lowered to it with a warning).
     */
    public Builder maxEventsPerStep(int maxEventsPerStep) {
      this.maxEventsPerStep = maxEventsPerStep;
      return this;
    }

    /** Finished steps a run holds until it ends, in inline mode. Default 10,000. */
    public Builder maxStepsPerRun(int maxStepsPerRun) {
      this.maxStepsPerRun = maxStepsPerRun;
      return this;
    }

    /**
     * Sets the system labels {@code sextant_sdk_version}, {@code sextant_runtime}, {@code
     * sextant_host}, {@code sextant_os} and {@code sextant_pid} on every run. Default on; they count
     * towards a run's 64 labels.
     */
    public Builder systemLabels(boolean systemLabels) {
      this.systemLabels = systemLabels;
      return this;
    }

    /**
     * Also writes each finished run, with its nested step tree, to {@code <dir>/<run_id>.json}, next
     * to whatever exporter sends it. Environment: {@code SEXTANT_RUN_DIR}.
     */
    public Builder runDirectory(java.nio.file.Path dir) {
      this.runDir = dir;
      return this;
    }

    private java.nio.file.Path runDir(SdkLog log, Map<String, String> vars) {
      if (runDir != null) {
        return runDir;
      }
      String value = vars.get("SEXTANT_RUN_DIR");
      if (value == null || value.isBlank()) {
        return null;
      }
      try {
        return java.nio.file.Path.of(value.strip());
      } catch (RuntimeException e) {
        log.warn("config-run-dir", "SEXTANT_RUN_DIR='" + value + "' is not a usable path; runs are not written to files");
        return null;
      }
    }

    Builder clock(SdkClock clock) {
      this.clock = clock;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    Builder environmentVariables(Map<String, String> env) {
      this.env = env;
      return this;
    }

    /** Builds the instance. Never throws; starts no thread and does no I/O until the first record. */
    public Sextant build() {
      SdkClock c = clock == null ? SdkClock.SYSTEM : clock;
      SdkLog log = new SdkLog(c, Duration.ofSeconds(60).toNanos());
      try {
        Counters counters = new Counters();
        return new Sextant(resolve(log, counters), c, sleeper == null ? Sleeper.SYSTEM : sleeper, log, counters);
      } catch (Throwable t) {
        SdkLog.LOGGER.log(Level.SEVERE, "Sextant: could not start; running disabled", t);
        return new Sextant(disabledConfig(), c, Sleeper.SYSTEM, log, new Counters());
      }
    }

    /** Resolves builder values and environment; values it drops or cuts are counted in {@code counters}. */
    private Config resolve(SdkLog log, Counters counters) {
      Map<String, String> vars = env != null ? env : System.getenv();
      boolean off = Boolean.TRUE.equals(disabled) || truthy(vars.get("SEXTANT_DISABLED"));

      String agent = firstNonBlank(agentId, vars.get("SEXTANT_AGENT_ID"));
      if (agent == null) {
        agent = "unknown";
        if (!off) {
          log.warn("config-agent", "no agent id set (Sextant.builder().agent(...) or SEXTANT_AGENT_ID); using 'unknown'");
        }
      }
      agent = fit(log, counters, "agent id", agent);
      String version = fit(log, counters, "agent version", firstNonBlank(agentVersion, vars.get("SEXTANT_AGENT_VERSION")));
      String env = fit(log, counters, "environment", firstNonBlank(environment, vars.get("SEXTANT_ENVIRONMENT")));
      String key = firstNonBlank(apiKey, vars.get("SEXTANT_API_KEY"));

      Mode m = mode;
      if (m == null) {
        String value = vars.get("SEXTANT_MODE");
        m = Mode.ASYNC;
        if (value != null && !value.isBlank()) {
          try {
            m = Mode.valueOf(value.strip().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            log.warn("config-mode", "SEXTANT_MODE='" + value + "' is not async or inline; using async");
          }
        }
      }
      boolean capture = captureContent != null ? captureContent : truthy(vars.get("SEXTANT_CAPTURE_CONTENT"));

      Map<String, String> merged = new LinkedHashMap<>();
      Map<String, String> source = new java.util.HashMap<>();
      for (Map.Entry<String, String> var : new java.util.TreeMap<>(vars).entrySet()) {
        if (var.getKey().startsWith("SEXTANT_LABEL_") && var.getKey().length() > "SEXTANT_LABEL_".length()) {
          String labelKey = var.getKey().substring("SEXTANT_LABEL_".length()).toLowerCase(Locale.ROOT);
          merged.put(labelKey, var.getValue());
          source.put(labelKey, var.getKey());
        }
      }
      merged.putAll(labels);
      labels.keySet().forEach(k -> source.put(k, "builder label"));
      Map<String, String> validLabels = new LinkedHashMap<>();
      java.util.List<String> dropped = new java.util.ArrayList<>();
      for (Map.Entry<String, String> label : merged.entrySet()) {
        String problem = Values.labelKeyProblem(label.getKey());
        if (problem == null) {
          problem = Values.labelValueProblem(label.getKey(), label.getValue());
        }
        if (problem == null && validLabels.size() >= Values.MAX_LABELS) {
          problem = "label '" + label.getKey() + "' is one more than the 64 a run may have";
        }
        if (problem != null) {
          dropped.add(source.get(label.getKey()) + ": " + problem);
        } else {
          validLabels.put(label.getKey(), label.getValue());
        }
      }
      if (!dropped.isEmpty()) {
        // one line for all of them: the warning is rate-limited per kind, and each must be seen
        counters.rejected.add(dropped.size());
        log.warn("config-label", (dropped.size() == 1 ? "1 label was" : dropped.size() + " labels were")
            + " dropped: " + String.join("; ", dropped));
      }

      URI ingest = null;
      if (exporter == null && !off) {
        String base = firstNonBlank(endpoint, vars.get("SEXTANT_ENDPOINT"));
        ingest = ingestUri(base == null ? DEFAULT_ENDPOINT : base);
        if (ingest == null) {
          log.warn("config-endpoint", "endpoint '" + base + "' is not an http(s) URL such as http://localhost:8000;"
              + " the SDK is disabled");
          off = true;
        }
      }

      return new Config(
          agent,
          version,
          env,
          ingest,
          key,
          Collections.unmodifiableMap(validLabels),
          off,
          m,
          exporter,
          capture,
          positive(log, "queueCapacity", queueCapacity, 8192, 1 << 24),
          positive(log, "maxBatchSize", maxBatchSize, 512, HttpExporter.MAX_RUNS_PER_REQUEST),
          duration(log, "flushInterval", flushInterval, Duration.ofSeconds(1)),
          duration(log, "requestTimeout", requestTimeout, Duration.ofSeconds(10)),
          positive(log, "maxExportAttempts", maxExportAttempts, 5, 100),
          duration(log, "retryBackoff(initial)", initialBackoff, Duration.ofMillis(500)),
          duration(log, "retryBackoff(max)", maxBackoff, Duration.ofSeconds(30)),
          duration(log, "closeTimeout", closeTimeout, Duration.ofSeconds(5)),
          shutdownHook && m == Mode.ASYNC && !off,
          gzip,
          positive(log, "maxEventsPerStep", maxEventsPerStep, 1000, MAX_EVENTS_PER_STEP),
          positive(log, "maxStepsPerRun", maxStepsPerRun, 10_000, 10_000_000),
          systemLabels,
          runDir(log, vars));
    }

    private static Config disabledConfig() {
      return new Config("unknown", null, null, null, null, Map.of(), true, Mode.ASYNC, null, false, 1, 1,
          Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMillis(1), Duration.ofMillis(1),
          Duration.ZERO, false, false, 1, 1, false, null);
    }

    static URI ingestUri(String base) {
      try {
        String trimmed = base.strip();
        while (trimmed.endsWith("/")) {
          trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.endsWith("/v1/ingest")) {
          trimmed = trimmed + "/v1/ingest";
        }
        URI uri = new URI(trimmed);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
          return null;
        }
        return uri;
      } catch (Exception e) {
        return null;
      }
    }

    private static int positive(SdkLog log, String name, int value, int fallback, int max) {
      if (value < 1) {
        log.warn("config-" + name, name + " must be at least 1, got " + value + "; using " + fallback);
        return fallback;
      }
      if (value > max) {
        log.warn("config-" + name, name + " must be at most " + max + ", got " + value + "; using " + max);
        return max;
      }
      return value;
    }

    /** Cuts a configured text to the server's 256 characters, with a warning and a count. */
    private static String fit(SdkLog log, Counters counters, String what, String value) {
      if (value == null || value.length() <= Values.MAX_NAME) {
        return value;
      }
      counters.rejected.increment();
      log.warn("config-" + what, what + " '" + Values.shorten(value) + "' has " + value.length()
          + " characters, more than the " + Values.MAX_NAME + " the server accepts; it was cut to " + Values.MAX_NAME);
      return Values.truncate(value, Values.MAX_NAME);
    }

    private static Duration duration(SdkLog log, String name, Duration value, Duration fallback) {
      if (value == null || value.isNegative() || (value.isZero() && !name.equals("closeTimeout"))) {
        log.warn("config-" + name, name + " must be positive, got " + value + "; using " + fallback);
        return fallback;
      }
      return value;
    }

    private static boolean truthy(String value) {
      if (value == null) {
        return false;
      }
      String v = value.strip().toLowerCase(Locale.ROOT);
      return v.equals("true") || v.equals("1") || v.equals("yes") || v.equals("on");
    }

    private static String firstNonBlank(String a, String b) {
      if (a != null && !a.isBlank()) {
        return a.strip();
      }
      if (b != null && !b.isBlank()) {
        return b.strip();
      }
      return null;
    }
  }
}
