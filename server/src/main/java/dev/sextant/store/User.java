package dev.sextant.store;

import java.time.Instant;

/**
 * A UI user.
 *
 * @param passwordHash a bcrypt hash (older stores: a salted PBKDF2 hash), or empty for a user who
 *     signs in only through single sign-on
 * @param owner whether the user is an instance owner: every project, every user, the whole audit log
 * @param disabled a disabled user cannot sign in and loses every session
 * @param ssoSubject {@code issuer|sub} of the OpenID Connect identity the user was provisioned
 *     from, or null for a local user
 */
public record User(
    String username, String passwordHash, Instant createdAt, boolean owner, boolean disabled, String ssoSubject) {

  /** A local, enabled user who is not an owner. */
  public User(String username, String passwordHash, Instant createdAt) {
    this(username, passwordHash, createdAt, false, false, null);
  }

  public boolean hasPassword() {
    return passwordHash != null && !passwordHash.isEmpty();
  }

  public User withPasswordHash(String hash) {
    return new User(username, hash, createdAt, owner, disabled, ssoSubject);
  }

  public User withOwner(boolean value) {
    return new User(username, passwordHash, createdAt, value, disabled, ssoSubject);
  }

  public User withDisabled(boolean value) {
    return new User(username, passwordHash, createdAt, owner, value, ssoSubject);
  }
}
