package dev.sextant.auth;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.model.Scope;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Session;
import dev.sextant.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a request's credential: {@code Authorization: Bearer}, {@code x-api-key},
 * {@code Authorization: Basic base64(public:secret)} or the UI session cookie. Key lookups are
 * cached briefly so that ingest does not read the store on every request.
 */
public final class Authenticator {
  public static final String SESSION_COOKIE = "sextant_session";
  private static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final int CACHE_MAX = 10_000;

  private record Cached(Optional<ApiKey> key, Instant expires) {}

  private final Store store;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public Authenticator(Store store, Clock clock) {
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
    Cached c = cache.get(hash);
    if (c == null || c.expires.isBefore(now)) {
      if (cache.size() > CACHE_MAX) cache.clear();
      c = new Cached(store.apiKeyBySecretHash(hash), now.plus(CACHE_TTL));
      cache.put(hash, c);
    }
    return c.key
        .filter(k -> publicId == null || publicId.equals(k.publicId()))
        .map(k -> new Principal(k.projectId(), k.scopes(), null, k.publicId()));
  }

  private Optional<Principal> bySession(String token) {
    Optional<Session> s = store.session(Secrets.sha256(token));
    if (s.isEmpty() || s.get().expiresAt().isBefore(clock.instant())) return Optional.empty();
    return Optional.of(new Principal(null, EnumSet.of(Scope.READ, Scope.ADMIN), s.get().username(), null));
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
