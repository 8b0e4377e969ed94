package dev.sextant.server;

import dev.sextant.cost.PriceTable;
import java.time.Duration;
import java.util.List;

/**
 * The HTTP and database settings an operator tunes (all flags and {@code SEXTANT_*} variables).
 *
 * @param dbPoolSize PostgreSQL connections in the pool (default 16), or SQLite read connections
 *     (default 4); 0 means the backend's default
 * @param requestTimeout longest time a request may take before it is answered 503; exports are exempt
 * @param corsOrigins origins a browser may call the API from ({@code *} for any); empty turns CORS off
 * @param accessLog one log line per request (method, path, status, time, trace, project, run)
 * @param prices the model prices costs are computed with: the built-in table, with a price file's
 *     rows over it when one is given ({@code --prices})
 * @param alertInterval how often alert rules are evaluated ({@code --alert-interval}, default 1 minute)
 */
public record Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog,
    PriceTable prices, Duration alertInterval) {
  public static final Settings DEFAULT = new Settings(0, Duration.ofSeconds(60), List.of(), false);

  public Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog) {
    this(dbPoolSize, requestTimeout, corsOrigins, accessLog, PriceTable.builtIn());
  }

  public Settings(int dbPoolSize, Duration requestTimeout, List<String> corsOrigins, boolean accessLog,
      PriceTable prices) {
    this(dbPoolSize, requestTimeout, corsOrigins, accessLog, prices, Duration.ofMinutes(1));
  }

  public Settings {
    corsOrigins = List.copyOf(corsOrigins);
    if (dbPoolSize < 0) throw new IllegalArgumentException("--db-pool-size must be 1 or more, got " + dbPoolSize);
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("--request-timeout must be more than 0, got " + requestTimeout);
    }
    if (alertInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--alert-interval must be 1s or more, got " + alertInterval);
    }
  }
}
