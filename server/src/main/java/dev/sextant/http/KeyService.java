package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Secrets;
import dev.sextant.model.Json;
import dev.sextant.model.Scope;
import dev.sextant.model.Times;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Accounts;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A project's API keys: create, list, revoke. Members handle ingest and read keys; keys with the
 * admin scope need the project's admin role (or an admin key).
 */
final class KeyService {
  private final Accounts store;
  private final Clock clock;
  private final AuditLog audit;

  KeyService(Accounts store, Clock clock, AuditLog audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  HttpResponse create(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_KEYS);
    JsonNode body = Bodies.jsonObject(call);
    Set<Scope> scopes = scopes(body.get("scopes"));
    if (scopes.contains(Scope.ADMIN)) call.project(id, Permission.MANAGE_PROJECT);
    if (scopes.contains(Scope.METRICS) && !call.principal().isInstanceAdmin()) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", "the metrics scope reads every project's counters;"
          + " only an admin key of project default or an instance owner can give it");
    }
    Instant now = clock.instant();
    Instant expires = expiresAt(body, now);
    String secret = "sk-sextant-" + Secrets.random(32);
    String publicId = "pk-sextant-" + Secrets.random(12).toLowerCase();
    ApiKey key = new ApiKey(publicId, Secrets.sha256(secret), id, scopes, body.path("name").asText(null), now,
        call.principal().actor(), null, expires, null);
    store.putApiKey(key);
    ObjectNode out = json(key, now);
    out.put("secret", secret);
    audit.record(call, "key.create", id, publicId, (ObjectNode) json(key, now).retain("scopes", "name", "expires_at"));
    return Responses.json(HttpStatus.CREATED, out);
  }

  HttpResponse list(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_KEYS);
    Instant now = clock.instant();
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("api_keys");
    for (ApiKey k : store.apiKeys(id)) arr.add(json(k, now));
    return Responses.ok(body);
  }

  HttpResponse revoke(Call call) {
    String id = call.path("projectId");
    String publicId = call.path("publicId");
    call.project(id, Permission.MANAGE_KEYS);
    Optional<ApiKey> key = store.apiKeyByPublicId(publicId).filter(k -> k.projectId().equals(id));
    if (key.isEmpty() || key.get().revokedAt() != null) {
      throw HttpFailure.notFound("project " + id + " has no live API key " + publicId);
    }
    if (key.get().scopes().contains(Scope.ADMIN)) call.project(id, Permission.MANAGE_PROJECT);
    if (!store.revokeApiKey(id, publicId, clock.instant())) {
      throw HttpFailure.notFound("project " + id + " has no live API key " + publicId);
    }
    audit.record(call, "key.revoke", id, publicId, null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  private static Set<Scope> scopes(JsonNode s) {
    if (s == null || !s.isArray() || s.isEmpty()) {
      throw HttpFailure.badRequest("scopes must be a non-empty array of ingest, read, admin, metrics");
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (JsonNode x : s) {
      Scope scope = Scope.parse(x.asText());
      if (scope == null) {
        throw HttpFailure.badRequest("unknown scope \"" + x.asText() + "\"; use ingest, read, admin or metrics");
      }
      scopes.add(scope);
    }
    return scopes;
  }

  private static Instant expiresAt(JsonNode body, Instant now) {
    if (!body.hasNonNull("expires_at")) return null;
    String text = body.get("expires_at").asText();
    Instant t;
    try {
      t = Instant.parse(text);
    } catch (RuntimeException e) {
      throw HttpFailure.badRequest("expires_at must be an RFC 3339 time such as 2027-01-31T00:00:00Z, got \""
          + text + "\"");
    }
    if (!t.isAfter(now)) throw HttpFailure.badRequest("expires_at must be in the future, got " + text);
    return t;
  }

  static ObjectNode json(ApiKey k, Instant now) {
    ObjectNode o = Json.object();
    o.put("public_id", k.publicId());
    o.put("project_id", k.projectId());
    o.put("name", k.name());
    ArrayNode sc = o.putArray("scopes");
    k.scopes().forEach(x -> sc.add(x.wire()));
    o.put("created_by", k.createdBy());
    o.put("created_at", time(k.createdAt()));
    o.put("last_used_at", time(k.lastUsedAt()));
    o.put("expires_at", time(k.expiresAt()));
    o.put("revoked_at", time(k.revokedAt()));
    o.put("status", k.revokedAt() != null ? "revoked" : k.validAt(now) ? "active" : "expired");
    return o;
  }

  static String time(Instant t) {
    return t == null ? null : Times.format(Times.toNanos(t));
  }
}
