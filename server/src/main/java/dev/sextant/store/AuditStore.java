package dev.sextant.store;

import java.time.Instant;
import java.util.List;

/** The audit log. */
public interface AuditStore {
  /** Appends an entry; its id is assigned by the store. */
  void audit(AuditEvent event);

  /** Entries matching {@code query}, newest first, at most {@code query.limit()}. */
  List<AuditEvent> auditEvents(AuditQuery query);

  /** Deletes entries older than {@code before}; returns how many. */
  int purgeAudit(Instant before);
}
