package dev.sextant.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Projects, API keys, users, sessions, memberships and invites: who may do what. */
public interface Accounts {
  List<Project> projects();

  Optional<Project> project(String projectId);

  /** Inserts or replaces a project. */
  void putProject(Project project);

  /**
   * The project's pseudonymisation secret: stores {@code candidate} when the project has none yet
   * and returns the stored secret, so every node sharing the store gets the same one, for good.
   */
  byte[] projectSecret(String projectId, byte[] candidate);

  /** Inserts a key; fails with {@link StoreException} if the public id or hash exists. */
  void putApiKey(ApiKey key);

  Optional<ApiKey> apiKeyBySecretHash(String secretHash);

  Optional<ApiKey> apiKeyByPublicId(String publicId);

  /** True when any API key exists (used by bootstrap). */
  boolean hasApiKeys();

  Optional<User> user(String username);

  void putUser(User user);

  void putSession(Session session);

  Optional<Session> session(String tokenHash);

  void deleteSession(String tokenHash);


  /** Every user, by username. */
  List<User> users();

  /** The user provisioned from the single sign-on identity {@code subject} ({@code issuer|sub}). */
  Optional<User> userBySsoSubject(String subject);

  /** Deletes the user with their memberships and sessions; false when there was none. */
  boolean deleteUser(String username);

  /** Ends every session of {@code username} (on every node: sessions live in the store). */
  void deleteSessionsOf(String username);

  /** The user's memberships, by project id. */
  List<Membership> membershipsOf(String username);

  /** The members of a project, by username. */
  List<Membership> members(String projectId);

  /** Adds the member or changes their role. */
  void putMembership(Membership membership);

  boolean deleteMembership(String projectId, String username);

  /** Replaces every membership of {@code username} with {@code memberships} in one transaction. */
  void replaceMemberships(String username, List<Membership> memberships);

  void putInvite(Invite invite);

  Optional<Invite> inviteByTokenHash(String tokenHash);

  /** The project's invites that are neither used nor expired at {@code now}, newest first. */
  List<Invite> openInvites(String projectId, Instant now);

  boolean deleteInvite(String projectId, String inviteId);

  /** What {@link #redeemInvite} did. */
  enum Redeemed { OK, INVALID, USERNAME_TAKEN }

  /**
   * In one transaction: checks the invite is unused and unexpired at {@code now}, creates
   * {@code user} with the invite's role in its project, and marks the invite used, so a link works
   * exactly once however many nodes receive it.
   */
  Redeemed redeemInvite(String tokenHash, User user, Instant now);

  /** The project's keys, revoked ones included, newest first. */
  List<ApiKey> apiKeys(String projectId);

  /** Marks the key revoked at {@code at}; false when the project has no such live key. */
  boolean revokeApiKey(String projectId, String publicId, Instant at);

  /** Records that the key authenticated a request at {@code at}. */
  void touchApiKey(String secretHash, Instant at);
}
