package dev.sextant.store;

import dev.sextant.model.ProjectRole;
import java.time.Instant;

/**
 * A one-time link that lets its holder create an account with {@code role} in {@code projectId}.
 * Only the SHA-256 of the link's token is stored.
 *
 * @param inviteId a public id to list and revoke the invite by (not the token)
 * @param usedBy the username created with it, or null while it is unused
 */
public record Invite(
    String inviteId, String tokenHash, String projectId, ProjectRole role, String createdBy, Instant createdAt,
    Instant expiresAt, Instant usedAt, String usedBy) {

  public boolean usableAt(Instant now) {
    return usedAt == null && now.isBefore(expiresAt);
  }
}
