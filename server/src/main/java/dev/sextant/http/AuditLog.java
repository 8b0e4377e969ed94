package dev.sextant.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.model.Json;
import dev.sextant.store.AuditEvent;
import dev.sextant.store.AuditStore;
import java.time.Clock;

/**
 * Writes the audit log: who did what, when and from where. Every change to users, roles, invites,
 * keys and projects, and every login attempt, goes through here. An entry is written after the
 * change it records has been stored, in its own transaction.
 */
final class AuditLog {
  private final AuditStore store;
  private final Clock clock;

  AuditLog(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Records what the authenticated caller of {@code call} did. */
  void record(Call call, String action, String projectId, String target, ObjectNode detail) {
    record(call.principal().actor(), call.address(), action, projectId, target, detail);
  }

  /** Records what {@code actor} did (a login, an invite being redeemed: no principal yet). */
  void record(String actor, String address, String action, String projectId, String target, ObjectNode detail) {
    store.audit(new AuditEvent(0, clock.instant(), actor, action, projectId, target, address,
        detail == null || detail.isEmpty() ? null : Json.write(detail)));
  }

  /** A detail object with one field. */
  static ObjectNode detail(String field, String value) {
    ObjectNode o = Json.object();
    o.put(field, value);
    return o;
  }
}
