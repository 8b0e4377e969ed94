package dev.sextant.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.model.ContentPolicy;
import dev.sextant.model.ProjectRole;
import dev.sextant.model.Scope;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for team access: users, memberships, invites, key management and the
 * audit log. Every backend extends it, as with {@link StoreConformance}.
 */
public abstract class TeamConformance {
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
  protected Store store;

  protected abstract Store newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    store.migrate();
    store.putProject(new Project("a", "A", ContentPolicy.METADATA_ONLY, T));
    store.putProject(new Project("b", "B", ContentPolicy.METADATA_ONLY, T));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void users_allFieldsRoundTrip() {
    User sso = new User("carol", "", T, false, false, "https://idp|123");
    store.putUser(new User("bob", "$2a$12$x", T));
    store.putUser(sso);
    store.putUser(new User("alice", "h", T, true, false, null));
    assertThat(store.users()).extracting(User::username).containsExactly("alice", "bob", "carol");
    assertThat(store.user("carol")).contains(sso);
    assertThat(store.userBySsoSubject("https://idp|123")).contains(sso);
    assertThat(store.userBySsoSubject("https://idp|999")).isEmpty();
    store.putUser(store.user("bob").orElseThrow().withDisabled(true).withOwner(true));
    assertThat(store.user("bob").orElseThrow()).matches(User::disabled).matches(User::owner);
  }

  @Test
  void deleteUser_takesMembershipsAndSessions() {
    store.putUser(new User("bob", "h", T));
    store.putMembership(new Membership("a", "bob", ProjectRole.MEMBER, T));
    store.putSession(new Session("tok", "bob", T.plusSeconds(60)));
    assertThat(store.deleteUser("bob")).isTrue();
    assertThat(store.deleteUser("bob")).isFalse();
    assertThat(store.user("bob")).isEmpty();
    assertThat(store.members("a")).isEmpty();
    assertThat(store.session("tok")).isEmpty();
  }

  @Test
  void memberships_putChangeRemoveReplace() {
    store.putUser(new User("bob", "h", T));
    store.putMembership(new Membership("a", "bob", ProjectRole.VIEWER, T));
    store.putMembership(new Membership("b", "bob", ProjectRole.MEMBER, T));
    store.putMembership(new Membership("a", "bob", ProjectRole.ADMIN, T));
    assertThat(store.membershipsOf("bob")).containsExactly(new Membership("a", "bob", ProjectRole.ADMIN, T),
        new Membership("b", "bob", ProjectRole.MEMBER, T));
    assertThat(store.members("b")).extracting(Membership::username).containsExactly("bob");
    assertThat(store.deleteMembership("b", "bob")).isTrue();
    assertThat(store.deleteMembership("b", "bob")).isFalse();
    store.replaceMemberships("bob", List.of(new Membership("b", "bob", ProjectRole.VIEWER, T)));
    assertThat(store.membershipsOf("bob")).containsExactly(new Membership("b", "bob", ProjectRole.VIEWER, T));
    store.putSession(new Session("t1", "bob", T));
    store.deleteSessionsOf("bob");
    assertThat(store.session("t1")).isEmpty();
  }

  @Test
  void invites_redeemOnceBeforeExpiry() {
    Invite invite = new Invite("inv-1", "hash-1", "a", ProjectRole.MEMBER, "admin", T, T.plusSeconds(3600), null, null);
    store.putInvite(invite);
    store.putInvite(new Invite("inv-2", "hash-2", "a", ProjectRole.VIEWER, "admin", T, T.plusSeconds(10), null, null));
    assertThat(store.inviteByTokenHash("hash-1")).contains(invite);
    assertThat(store.openInvites("a", T.plusSeconds(60))).extracting(Invite::inviteId).containsExactly("inv-1");

    assertThat(store.redeemInvite("hash-2", new User("late", "h", T), T.plusSeconds(60)))
        .isEqualTo(Store.Redeemed.INVALID);
    store.putUser(new User("taken", "h", T));
    assertThat(store.redeemInvite("hash-1", new User("taken", "h", T), T)).isEqualTo(Store.Redeemed.USERNAME_TAKEN);
    assertThat(store.redeemInvite("hash-1", new User("dave", "h", T), T)).isEqualTo(Store.Redeemed.OK);
    assertThat(store.redeemInvite("hash-1", new User("eve", "h", T), T)).isEqualTo(Store.Redeemed.INVALID);
    assertThat(store.user("eve")).isEmpty();
    assertThat(store.membershipsOf("dave")).containsExactly(new Membership("a", "dave", ProjectRole.MEMBER, T));
    assertThat(store.inviteByTokenHash("hash-1").orElseThrow().usedBy()).isEqualTo("dave");
    assertThat(store.openInvites("a", T)).extracting(Invite::inviteId).containsExactly("inv-2");
    assertThat(store.deleteInvite("a", "inv-1")).as("a used invite is history, not revocable").isFalse();
    assertThat(store.deleteInvite("b", "inv-2")).isFalse();
    assertThat(store.deleteInvite("a", "inv-2")).isTrue();
  }

  @Test
  void redeemInvite_concurrently_succeedsOnce() throws Exception {
    store.putInvite(new Invite("inv-1", "hash-1", "a", ProjectRole.VIEWER, "admin", T, T.plusSeconds(3600), null, null));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Store.Redeemed>> tries = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String name = "user" + i;
        tries.add(() -> {
          try {
            return store.redeemInvite("hash-1", new User(name, "h", T), T);
          } catch (StoreException e) {
            return Store.Redeemed.INVALID; // a serialization failure is a lost race too
          }
        });
      }
      int ok = 0;
      for (Future<Store.Redeemed> f : pool.invokeAll(tries)) if (f.get() == Store.Redeemed.OK) ok++;
      assertThat(ok).isEqualTo(1);
      assertThat(store.members("a")).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void apiKeys_listRevokeTouchExpiry() {
    ApiKey k1 = new ApiKey("pk-1", "h1", "a", EnumSet.of(Scope.INGEST), "ci", T, "alice", null, T.plusSeconds(99), null);
    ApiKey k2 = new ApiKey("pk-2", "h2", "a", EnumSet.of(Scope.READ, Scope.ADMIN), null, T.plusSeconds(1), "bootstrap",
        null, null, null);
    store.putApiKey(k1);
    store.putApiKey(k2);
    store.putApiKey(new ApiKey("pk-3", "h3", "b", EnumSet.of(Scope.READ), null, T));
    assertThat(store.apiKeys("a")).containsExactly(k2, k1);
    assertThat(store.apiKeyByPublicId("pk-1")).contains(k1);

    store.touchApiKey("h1", T.plusSeconds(5));
    assertThat(store.apiKeyBySecretHash("h1").orElseThrow().lastUsedAt()).isEqualTo(T.plusSeconds(5));
    assertThat(store.revokeApiKey("b", "pk-1", T.plusSeconds(6))).as("another project's key").isFalse();
    assertThat(store.revokeApiKey("a", "pk-1", T.plusSeconds(6))).isTrue();
    assertThat(store.revokeApiKey("a", "pk-1", T.plusSeconds(7))).isFalse();
    ApiKey revoked = store.apiKeyBySecretHash("h1").orElseThrow();
    assertThat(revoked.revokedAt()).isEqualTo(T.plusSeconds(6));
    assertThat(revoked.validAt(T)).isFalse();
    assertThat(k1.validAt(T.plusSeconds(98))).isTrue();
    assertThat(k1.validAt(T.plusSeconds(99))).isFalse();
  }

  @Test
  void audit_filtersPagesAndPurges() {
    store.audit(new AuditEvent(0, T, "alice", "login.success", null, null, "127.0.0.1", null));
    store.audit(new AuditEvent(0, T.plusSeconds(10), "alice", "key.create", "a", "pk-1", "10.0.0.1",
        "{\"scopes\":[\"ingest\"]}"));
    store.audit(new AuditEvent(0, T.plusSeconds(20), "bob", "login.failure", null, null, "10.0.0.2", null));
    store.audit(new AuditEvent(0, T.plusSeconds(30), "key:pk-2", "key.revoke", "b", "pk-9", "::1", null));
    store.audit(new AuditEvent(0, T.plusSeconds(40), "x", "loginx", null, null, "::1", null));

    List<AuditEvent> all = store.auditEvents(new AuditQuery(null, null, null, null, null, 0, 100));
    assertThat(all).extracting(AuditEvent::action)
        .containsExactly("loginx", "key.revoke", "login.failure", "key.create", "login.success");
    assertThat(all.get(3)).isEqualTo(new AuditEvent(all.get(3).id(), T.plusSeconds(10), "alice", "key.create", "a",
        "pk-1", "10.0.0.1", "{\"scopes\":[\"ingest\"]}"));
    assertThat(store.auditEvents(new AuditQuery(null, null, "login", null, null, 0, 100)))
        .extracting(AuditEvent::action).containsExactly("login.failure", "login.success");
    assertThat(store.auditEvents(new AuditQuery("a", null, null, null, null, 0, 100))).hasSize(1);
    assertThat(store.auditEvents(new AuditQuery(null, "alice", null, T.plusSeconds(5), T.plusSeconds(11), 0, 100)))
        .extracting(AuditEvent::action).containsExactly("key.create");
    List<AuditEvent> page = store.auditEvents(new AuditQuery(null, null, null, null, null, all.get(1).id(), 2));
    assertThat(page).extracting(AuditEvent::action).containsExactly("login.failure", "key.create");

    assertThat(store.purgeAudit(T.plusSeconds(20))).isEqualTo(2);
    assertThat(store.auditEvents(new AuditQuery(null, null, null, null, null, 0, 100))).hasSize(3);
  }
}
