package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The UI login: JSON only, throttled per account and per address, as slow for an unknown user as
 * for a wrong password, checked on a bounded pool; and the session cookie it gives: CSRF header on
 * state changes, expiry and revocation on the server.
 */
class ITLogin {
  static TestServer.Response loginAs(TestServer s, String contentType, String body) {
    return s.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/v1/auth/login"))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static TestServer.Response login(TestServer s, String user, String password) {
    return loginAs(s, "application/json", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
  }

  static String cookie(TestServer.Response login) {
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    String setCookie = login.header("set-cookie");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  static TestServer.Response withCookie(TestServer s, String method, String path, String cookie, String body,
      boolean csrfHeader) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).header("Cookie", cookie)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (csrfHeader) b.header("X-Sextant-Csrf", "1");
    return s.send(b.build());
  }

  @Test
  void aLoginThatIsNotJson_is415() {
    try (TestServer s = TestServer.start()) {
      TestServer.Response r = loginAs(s, "text/plain", "{\"username\":\"admin\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}");
      assertError(r, 415, "unsupported_media_type");
      assertThat(r.body()).contains("send Content-Type: application/json");
      assertError(loginAs(s, "application/x-www-form-urlencoded", "username=admin&password=x"), 415,
          "unsupported_media_type");
    }
  }

  @Test
  void wrongPasswords_areThrottledPerAccount_evenForTheRightPasswordAfterwards() {
    try (TestServer s = TestServer.start()) {
      for (int i = 0; i < 5; i++) assertError(login(s, "admin", "wrong-" + i), 401, "unauthorized");
      TestServer.Response locked = login(s, "admin", TestServer.ADMIN_PASSWORD);
      assertError(locked, 429, "too_many_logins");
      assertThat(Integer.parseInt(locked.header("retry-after"))).isBetween(850, 900);
      assertThat(locked.body()).contains("too many failed logins for this account or from this address");
      // an unknown account is throttled the same way, so the answer does not tell it exists
      for (int i = 0; i < 5; i++) assertError(login(s, "nobody", "wrong-" + i), 401, "unauthorized");
      assertError(login(s, "nobody", "x"), 429, "too_many_logins");
    }
  }

  @Test
  void wrongPasswords_areThrottledPerAddress_acrossAccounts() {
    try (TestServer s = TestServer.start()) {
      for (int i = 0; i < 20; i++) assertError(login(s, "user-" + i, "wrong"), 401, "unauthorized");
      assertError(login(s, "admin", TestServer.ADMIN_PASSWORD), 429, "too_many_logins");
    }
  }

  @Test
  void anUnknownUser_takesAsLongAsAWrongPassword() {
    try (TestServer s = TestServer.start()) {
      login(s, "warm-up", "x");
      long[] known = new long[4];
      long[] unknown = new long[4];
      for (int i = 0; i < 4; i++) {
        long t0 = System.nanoTime();
        assertError(login(s, "admin", "wrong-" + i), 401, "unauthorized");
        known[i] = System.nanoTime() - t0;
        t0 = System.nanoTime();
        assertError(login(s, "ghost-" + i, "wrong"), 401, "unauthorized");
        unknown[i] = System.nanoTime() - t0;
      }
      Arrays.sort(known);
      Arrays.sort(unknown);
      // before, an unknown user answered about 20 times faster
      assertThat((double) unknown[2] / known[2]).as("unknown %s ns vs known %s ns", unknown[2], known[2])
          .isGreaterThan(0.5);
    }
  }

  @Test
  void manyLoginsAtOnce_areRefusedPastTheCheckingQueue_notQueuedWithoutBound() throws Exception {
    try (TestServer s = TestServer.start()) {
      ExecutorService pool = Executors.newFixedThreadPool(64);
      List<CompletableFuture<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String user = "flood-" + i;
        answers.add(CompletableFuture.supplyAsync(() -> login(s, user, "wrong").status(), pool));
      }
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<Integer> a : answers) statuses.add(a.get());
      pool.shutdown();
      assertThat(statuses).as(statuses.toString()).contains(503).allMatch(c -> c == 401 || c == 429 || c == 503);
      // ingest is still served while logins are refused
      assertThat(s.post("/v1/ingest", "{\"runs\":[]}").status()).isEqualTo(200);
    }
  }

  @Test
  void aSessionCookie_needsTheCsrfHeaderToChangeState_butAnApiKeyDoesNot() {
    try (TestServer s = TestServer.start()) {
      String cookie = cookie(login(s, "admin", TestServer.ADMIN_PASSWORD));
      TestServer.Response forged = withCookie(s, "PATCH", "/v1/projects/default", cookie, "{\"name\":\"x\"}", false);
      assertError(forged, 403, "csrf");
      assertThat(forged.body()).contains("needs the header X-Sextant-Csrf: 1");
      assertThat(withCookie(s, "PATCH", "/v1/projects/default", cookie, "{\"name\":\"x\"}", true).status()).isEqualTo(200);
      assertThat(withCookie(s, "GET", "/v1/runs", cookie, null, false).status()).isEqualTo(200);
      assertThat(s.patch("/v1/projects/default", "{\"name\":\"y\"}").status()).isEqualTo(200);
      assertError(withCookie(s, "POST", "/v1/auth/logout", cookie, null, false), 403, "csrf");
    }
  }

  @Test
  void aSessionEnds_atLogoutAndAtExpiry_onTheServer() throws SQLException {
    try (TestServer s = TestServer.start()) {
      String first = cookie(login(s, "admin", TestServer.ADMIN_PASSWORD));
      assertThat(withCookie(s, "POST", "/v1/auth/logout", first, null, true).status()).isEqualTo(204);
      // the old cookie, replayed after logout, is refused: the session is gone on the server
      assertError(withCookie(s, "GET", "/v1/auth/me", first, null, false), 401, "unauthorized");

      String second = cookie(login(s, "admin", TestServer.ADMIN_PASSWORD));
      assertThat(withCookie(s, "GET", "/v1/auth/me", second, null, false).status()).isEqualTo(200);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s.dataDir().resolve("sextant.db"));
          Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 5000");
        assertThat(st.executeUpdate("UPDATE sessions SET expires_ns = 1")).isEqualTo(1);
      }
      assertError(withCookie(s, "GET", "/v1/auth/me", second, null, false), 401, "unauthorized");
    }
  }
}
