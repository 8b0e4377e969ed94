package dev.sextant.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import dev.sextant.server.AccessConfig;
import dev.sextant.auth.OidcConfig;
import dev.sextant.store.User;
import dev.sextant.testing.Caller;
import dev.sextant.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on against a real OpenID Connect provider (mock-oauth2-server, started here): the
 * whole authorization code flow with PKCE, as a browser that follows no redirects on its own.
 */
class ITOidcLogin {
  static final String CLIENT = "sextant-ui";
  static MockOAuth2Server provider;
  static TestServer server;
  static String issuer;
  static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws IOException {
    provider = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(),
        new NettyWrapper()));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    provider.start(InetAddress.getLoopbackAddress(), port);
    issuer = "http://127.0.0.1:" + port + "/corp";
    warmUp(issuer + "/.well-known/openid-configuration");
    warmUp(issuer + "/jwks");
    server = TestServer.start(c -> c.toBuilder().access(AccessConfig.DEFAULT.withOidc(new OidcConfig(issuer, CLIENT,
        "client-secret", null, List.of("openid", "profile"), "preferred_username", "groups", "Corp SSO"))).build());
    server.post("/v1/projects", "{\"project_id\":\"alpha\"}");
  }

  @AfterAll
  static void stop() {
    server.close();
    provider.shutdown();
  }

  /** The provider's first answers are slow (class loading, key generation); take them outside the timed flow. */
  static void warmUp(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(60))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(url).isEqualTo(200);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("the OpenID provider does not answer " + url, e);
    }
  }

  /** The provider's next ID token: subject {@code sub} with {@code claims}. */
  static void nextIdentity(String sub, Map<String, Object> claims) {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("corp", sub, "JWT", List.of(CLIENT), claims, 3600));
  }

  /** Runs the browser's part of a sign-in; returns the callback's answer. */
  static HttpResponse<String> signIn() throws Exception {
    HttpResponse<String> login = send(server.baseUrl() + "/v1/auth/oidc/login", null);
    assertThat(login.statusCode()).isEqualTo(302);
    String pending = cookie(login, "sextant_oidc");
    URI authorize = URI.create(login.headers().firstValue("location").orElseThrow());
    assertThat(authorize.toString()).startsWith(issuer + "/authorize").contains("code_challenge_method=S256")
        .contains("nonce=").contains("state=");
    HttpResponse<String> back = send(authorize.toString(), null);
    assertThat(back.statusCode()).isEqualTo(302);
    String callback = back.headers().firstValue("location").orElseThrow();
    assertThat(callback).startsWith(server.baseUrl() + "/v1/auth/oidc/callback?");
    return send(callback, pending);
  }

  static HttpResponse<String> send(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (cookie != null) b.header("Cookie", cookie);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cookie(HttpResponse<?> r, String name) {
    for (String c : r.headers().allValues("set-cookie")) {
      if (c.startsWith(name + "=") && !c.startsWith(name + "=;")) return c.substring(0, c.indexOf(';'));
    }
    return null;
  }

  static String ssoError(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(302);
    String location = r.headers().firstValue("location").orElseThrow();
    assertThat(location).startsWith("/login?sso_error=");
    return URLDecoder.decode(location.substring("/login?sso_error=".length()), StandardCharsets.UTF_8);
  }

  @Test
  void providers_nameTheButton() {
    JsonNode p = Json.read(Caller.anonymous(server).get("/v1/auth/providers").body());
    assertThat(p.path("oidc").path("name").asText()).isEqualTo("Corp SSO");
    assertThat(p.path("oidc").path("login_path").asText()).isEqualTo("/v1/auth/oidc/login");
  }

  @Test
  void firstSignIn_provisionsTheUser_andTheClaimSetsRoles() throws Exception {
    nextIdentity("sub-olivia", Map.of("preferred_username", "Olivia", "groups",
        List.of("alpha:member", "missing-project:admin", "alpha:boss", "engineering")));
    HttpResponse<String> done = signIn();
    assertThat(done.statusCode()).as(done.headers().map().toString()).isEqualTo(302);
    assertThat(done.headers().firstValue("location")).contains("/");
    String session = cookie(done, "sextant_session");
    assertThat(session).isNotNull();
    Caller olivia = new Caller(server, "Cookie", session);
    JsonNode me = Json.read(olivia.get("/v1/auth/me").body());
    assertThat(me.path("username").asText()).isEqualTo("olivia");
    assertThat(me.path("sso").asBoolean()).isTrue();
    assertThat(me.path("owner").asBoolean()).isFalse();
    assertThat(me.path("projects")).hasSize(1);
    assertThat(me.path("projects").get(0).path("role").asText()).isEqualTo("member");
    assertThat(olivia.get("/v1/runs?project=alpha").status()).isEqualTo(200);
    assertThat(olivia.get("/v1/runs?project=default").status()).isEqualTo(404);
    User stored = server.server().store().user("olivia").orElseThrow();
    assertThat(stored.ssoSubject()).isEqualTo(issuer + "|sub-olivia");
    assertThat(stored.hasPassword()).isFalse();

    // the claim is read again at every sign-in: the provider is where roles change
    nextIdentity("sub-olivia", Map.of("preferred_username", "olivia", "groups", List.of("owner")));
    Caller again = new Caller(server, "Cookie", cookie(signIn(), "sextant_session"));
    assertThat(Json.read(again.get("/v1/auth/me").body()).path("owner").asBoolean()).isTrue();
    assertThat(server.server().store().membershipsOf("olivia")).isEmpty();

    JsonNode audit = Json.read(server.get("/v1/audit?actor=olivia").body()).path("events");
    assertThat(audit).extracting(e -> e.path("action").asText()).contains("login.success", "user.provision");
    assertThat(audit.get(0).path("detail").path("method").asText()).isEqualTo("oidc");
  }

  @Test
  void theLastEnabledOwner_keepsTheOwnerRole_whenTheClaimDropsIt() throws Exception {
    nextIdentity("sub-omar", Map.of("preferred_username", "omar", "groups", List.of("owner")));
    assertThat(cookie(signIn(), "sextant_session")).isNotNull();
    var store = server.server().store();
    for (User u : store.users()) if (u.owner() && !u.username().equals("omar")) store.putUser(u.withOwner(false));

    nextIdentity("sub-omar", Map.of("preferred_username", "omar", "groups", List.of("alpha:viewer")));
    Caller omar = new Caller(server, "Cookie", cookie(signIn(), "sextant_session"));
    assertThat(Json.read(omar.get("/v1/auth/me").body()).path("owner").asBoolean()).isTrue();
    JsonNode audit = Json.read(server.get("/v1/audit?actor=omar").body()).path("events");
    assertThat(audit).extracting(e -> e.path("action").asText()).contains("user.owner.kept");

    // once another enabled owner exists, the claim is followed
    store.putUser(new User("backup-owner", "", Instant.now()).withOwner(true));
    nextIdentity("sub-omar", Map.of("preferred_username", "omar", "groups", List.of("alpha:viewer")));
    Caller demoted = new Caller(server, "Cookie", cookie(signIn(), "sextant_session"));
    assertThat(Json.read(demoted.get("/v1/auth/me").body()).path("owner").asBoolean()).isFalse();
    assertThat(store.user("omar").orElseThrow().owner()).isFalse();
  }

  @Test
  void anIdentity_cannotTakeOverALocalUser() throws Exception {
    server.server().store().putUser(new User("ursula", "", Instant.now()));
    nextIdentity("sub-other", Map.of("preferred_username", "ursula"));
    assertThat(ssoError(signIn())).isEqualTo("a Sextant user named ursula exists and is not linked to this identity;"
        + " an owner must remove it first");
  }

  @Test
  void aDisabledUser_isRefused() throws Exception {
    nextIdentity("sub-dora", Map.of("preferred_username", "dora"));
    assertThat(cookie(signIn(), "sextant_session")).isNotNull();
    assertThat(server.patch("/v1/users/dora", "{\"disabled\":true}").status()).isEqualTo(200);
    nextIdentity("sub-dora", Map.of("preferred_username", "dora"));
    assertThat(ssoError(signIn())).isEqualTo("the account dora is disabled in Sextant");
  }

  @Test
  void aForgedOrLostState_isRefused() throws Exception {
    HttpResponse<String> login = send(server.baseUrl() + "/v1/auth/oidc/login", null);
    String pending = cookie(login, "sextant_oidc");
    HttpResponse<String> back = send(login.headers().firstValue("location").orElseThrow(), null);
    String callback = back.headers().firstValue("location").orElseThrow();
    String forged = callback.replaceAll("state=[^&]+", "state=forged");
    assertThat(ssoError(send(forged, pending))).isEqualTo("the answer's state does not match this browser's sign-in;"
        + " try again");
    assertThat(ssoError(send(callback, null))).startsWith("the sign-in took longer than 10 minutes");
    JsonNode failures = Json.read(server.get("/v1/audit?action=login.failure&actor=oidc").body()).path("events");
    assertThat(failures).isNotEmpty();
  }
}
