package dev.sextant.server;

import dev.sextant.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes audit log entries older than the retention, at start and then hourly, on one node at a time. */
final class AuditRetention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
  private final Store store;
  private final Clock clock;
  private final Duration retention;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sextant-audit-retention");
    t.setDaemon(true);
    return t;
  });

  AuditRetention(Store store, Clock clock, Duration retention) {
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  AuditRetention start() {
    timer.scheduleWithFixedDelay(this::purge, 0, 1, TimeUnit.HOURS);
    return this;
  }

  /** One pass; a failure is logged and retried at the next pass. */
  void purge() {
    try {
      store.exclusively("audit-retention", () -> {
        int deleted = store.purgeAudit(clock.instant().minus(retention));
        if (deleted > 0) log.info("audit log: deleted {} entries older than {} days", deleted, retention.toDays());
      });
    } catch (RuntimeException e) {
      log.warn("audit log retention failed, will retry in an hour: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
