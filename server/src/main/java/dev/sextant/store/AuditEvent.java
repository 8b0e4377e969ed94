package dev.sextant.store;

import java.time.Instant;

/**
 * One entry of the audit log: who did what, when and from where.
 *
 * @param id assigned by the store, increasing; 0 before it is stored
 * @param actor the username, {@code key:<public id>}, or for a failed login the name that was tried
 * @param action what happened, such as {@code login.success} or {@code key.revoke} (listed in docs/security.md)
 * @param projectId the project it concerns, or null for instance-wide changes
 * @param target what was acted on (a username, key public id, invite id, project id), or null
 * @param address the client's IP address
 * @param detail a short JSON object with what changed, or null
 */
public record AuditEvent(
    long id, Instant time, String actor, String action, String projectId, String target, String address,
    String detail) {}
