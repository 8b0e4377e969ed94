package dev.sextant.store;

import dev.sextant.model.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * An API key of one project. Only the SHA-256 of the secret is stored.
 *
 * @param createdBy who created it: a username, {@code key:<public id>}, or {@code bootstrap}
 * @param lastUsedAt when it last authenticated a request (to the minute), or null
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null while it is live
 */
public record ApiKey(
    String publicId, String secretHash, String projectId, Set<Scope> scopes, String name, Instant createdAt,
    String createdBy, Instant lastUsedAt, Instant expiresAt, Instant revokedAt) {

  /** A live key that never expires. */
  public ApiKey(String publicId, String secretHash, String projectId, Set<Scope> scopes, String name, Instant createdAt) {
    this(publicId, secretHash, projectId, scopes, name, createdAt, null, null, null, null);
  }

  /** Whether the key authenticates requests at {@code now}: not revoked and not expired. */
  public boolean validAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
