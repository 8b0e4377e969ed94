package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.store.AuditEvent;
import dev.sextant.store.AuditQuery;
import dev.sextant.store.Store;
import dev.sextant.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ITAuditRetention {
  @TempDir Path dir;

  @Test
  void purge_deletesEntriesOlderThanTheRetention() {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    try (Store store = SqliteStore.builder().file(dir.resolve("s.db")).build()) {
      store.migrate();
      store.audit(new AuditEvent(0, now.minus(Duration.ofDays(31)), "a", "login.success", null, null, "::1", null));
      store.audit(new AuditEvent(0, now.minus(Duration.ofDays(29)), "b", "login.success", null, null, "::1", null));
      new AuditRetention(store, Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(30)).purge();
      assertThat(store.auditEvents(new AuditQuery(null, null, null, null, null, 0, 10)))
          .extracting(AuditEvent::actor).containsExactly("b");
    }
  }
}
