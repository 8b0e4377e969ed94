package dev.sextant.auth;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.model.ProjectRole;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Membership;
import dev.sextant.store.Session;
import dev.sextant.store.Accounts;
import dev.sextant.store.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a request's credential: {@code Authorization: Bearer}, {@code x-api-key},
 * {@code Authorization: Basic base64(public:secret)} or the UI session cookie. Every request reads
 * the key or session from the store (one primary-key lookup), with no cache in the process, so a
 * revoked key, an expired key, a disabled user or a changed role takes effect at once on every
 * node that shares the store.
 */
public final class Authenticator {
  public static final String SESSION_COOKIE = "sextant_session";
  /** A key's last-used time is written at most this often, so busy keys do not write on every request. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private final Accounts store;
  private final Clock clock;

  public Authenticator(Accounts store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Returns the caller, or empty when no valid credential was presented. */
  public Optional<Principal> authenticate(RequestHeaders headers) {
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      String value = authorization.trim();
      if (startsWithIgnoreCase(value, "Bearer ")) return byKey(value.substring(7).trim(), null);
      if (startsWithIgnoreCase(value, "Basic ")) return basic(value.substring(6).trim());
      return Optional.empty();
    }
    String apiKey = headers.get("x-api-key");
    if (apiKey != null) return byKey(apiKey.trim(), null);
    String cookie = cookie(headers.get(HttpHeaderNames.COOKIE), SESSION_COOKIE);
    if (cookie != null) return bySession(cookie);
    return Optional.empty();
  }

  /** True when some credential was presented at all (to tell 401 "missing" from "wrong"). */
  public static boolean presented(RequestHeaders headers) {
    return headers.contains(HttpHeaderNames.AUTHORIZATION) || headers.contains("x-api-key")
        || cookie(headers.get(HttpHeaderNames.COOKIE), SESSION_COOKIE) != null;
  }

  private Optional<Principal> basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) return Optional.empty();
    return byKey(decoded.substring(colon + 1), decoded.substring(0, colon));
  }

  private Optional<Principal> byKey(String secret, String publicId) {
    if (secret.isEmpty()) return Optional.empty();
    String hash = Secrets.sha256(secret);
    Instant now = clock.instant();
    Optional<ApiKey> found = store.apiKeyBySecretHash(hash)
        .filter(k -> k.validAt(now))
        .filter(k -> publicId == null || publicId.equals(k.publicId()));
    if (found.isEmpty()) return Optional.empty();
    ApiKey k = found.get();
    if (k.lastUsedAt() == null || k.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
      store.touchApiKey(hash, now);
    }
    return Optional.of(Principal.key(k.projectId(), k.scopes(), k.publicId()));
  }

  private Optional<Principal> bySession(String token) {
    Optional<Session> s = store.session(Secrets.sha256(token));
    if (s.isEmpty() || s.get().expiresAt().isBefore(clock.instant())) return Optional.empty();
    Optional<User> user = store.user(s.get().username()).filter(u -> !u.disabled());
    if (user.isEmpty()) return Optional.empty();
    Map<String, ProjectRole> roles = new HashMap<>();
    for (Membership m : store.membershipsOf(user.get().username())) roles.put(m.projectId(), m.role());
    return Optional.of(Principal.user(user.get().username(), user.get().owner(), roles));
  }

  static String cookie(String header, String name) {
    if (header == null) return null;
    for (String part : header.split(";")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).equals(name)) return p.substring(eq + 1);
    }
    return null;
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
