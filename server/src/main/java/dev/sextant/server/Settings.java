package dev.sextant.server;

import dev.sextant.cost.PriceTable;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP and database settings an operator tunes (all flags and {@code SEXTANT_*} variables).
 *
 * @param dbPoolSize PostgreSQL connections in the pool (default 16), or SQLite read connections
 *     (default 4); 0 means the backend's default
 * @param requestTimeout longest time a request may take before it is answered 503 with Retry-After; exports are exempt
 * @param corsOrigins origins a browser may call the API from ({@code *} for any); empty turns CORS off
 * @param accessLog one log line per request (method, path, status, time, trace, project, run)
 * @param prices the model prices costs are computed with: the built-in table, with a price file's
 *     rows over it when one is given ({@code --prices})
 * @param metricsSeriesLimit the most label sets one agent metric family has per project in
 *     {@code /metrics} (default 500); the rest are summed into label value {@code other}
 * @param metricsCache how long a project's agent metrics are reused before the rollups are read again
 * @param alertInterval how often alert rules are evaluated ({@code --alert-interval}, default 1 minute)
 */
public record Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog,
    PriceTable prices, int metricsSeriesLimit, Duration metricsCache, Duration alertInterval) {
  public static final int DEFAULT_METRICS_SERIES_LIMIT = 500;
  public static final Duration DEFAULT_METRICS_CACHE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_ALERT_INTERVAL = Duration.ofMinutes(1);
  public static final Settings DEFAULT = new Settings(0, Duration.ofSeconds(60), List.of(), false);

  public Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog) {
    this(dbPoolSize, requestTimeout, corsOrigins, accessLog, PriceTable.builtIn());
  }

  public Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog,
      PriceTable prices) {
    this(dbPoolSize, requestTimeout, corsOrigins, accessLog, prices, DEFAULT_METRICS_SERIES_LIMIT,
        DEFAULT_METRICS_CACHE);
  }

  public Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog,
      PriceTable prices, int metricsSeriesLimit, Duration metricsCache) {
    this(dbPoolSize, requestTimeout, corsOrigins, accessLog, prices, metricsSeriesLimit, metricsCache,
        DEFAULT_ALERT_INTERVAL);
  }

  /** The agent metrics' series limit per family and project, and how long an answer is reused. */
  public Settings withMetrics(int seriesLimit, Duration cache) {
    return new Settings(dbPoolSize, requestTimeout, corsOrigins, accessLog, prices, seriesLimit, cache, alertInterval);
  }

  /** How often alert rules are evaluated. */
  public Settings withAlertInterval(Duration every) {
    return new Settings(dbPoolSize, requestTimeout, corsOrigins, accessLog, prices, metricsSeriesLimit, metricsCache,
        every);
  }

  public Settings {
    corsOrigins = List.copyOf(corsOrigins);
    if (dbPoolSize < 0) throw new IllegalArgumentException("--db-pool-size must be 1 or more, got " + dbPoolSize);
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("--request-timeout must be more than 0, got " + requestTimeout);
    }
    if (metricsSeriesLimit < 1) {
      throw new IllegalArgumentException("--metrics-series-limit must be 1 or more, got " + metricsSeriesLimit);
    }
    if (metricsCache.isNegative()) {
      throw new IllegalArgumentException("--metrics-cache must be 0 or more, got " + metricsCache);
    }
    if (alertInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--alert-interval must be 1s or more, got " + alertInterval);
    }
  }
}
