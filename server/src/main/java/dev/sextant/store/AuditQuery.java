package dev.sextant.store;

import java.time.Instant;

/**
 * Filters of the audit log; null means "any". Entries come newest first.
 *
 * @param actionPrefix matches {@code action} exactly or as a dotted prefix ({@code login} matches
 *     {@code login.failure})
 * @param beforeId only entries with a smaller id (the paging cursor), or 0
 */
public record AuditQuery(
    String projectId, String actor, String actionPrefix, Instant from, Instant to, long beforeId, int limit) {}
