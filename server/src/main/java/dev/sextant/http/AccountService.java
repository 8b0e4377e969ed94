package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.LoginThrottle;
import dev.sextant.auth.Permission;
import dev.sextant.auth.PasswordChecker;
import dev.sextant.auth.Principal;
import dev.sextant.auth.Secrets;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.ProjectRole;
import dev.sextant.store.Project;
import dev.sextant.store.Retention;
import dev.sextant.store.Session;
import dev.sextant.store.Accounts;
import dev.sextant.store.User;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/** UI login sessions and projects. */
final class AccountService {
  private static final Duration SESSION_TTL = Duration.ofDays(7);
  private static final Pattern PROJECT_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");
  /** A century: longer is a mistake rather than a policy. */
  private final Accounts store;
  private final Clock clock;
  private final AuditLog audit;
  private final LoginThrottle throttle;
  private final PasswordChecker passwords;
  private final boolean secureCookies;

  /** @param secureCookies whether the session cookie is marked {@code Secure} (the server serves TLS) */
  AccountService(Accounts store, Clock clock, boolean secureCookies, AuditLog audit) {
    this.store = store;
    this.clock = clock;
    this.throttle = new LoginThrottle(clock);
    this.passwords = new PasswordChecker();
    this.secureCookies = secureCookies;
    this.audit = audit;
  }

  /**
   * {@code POST /v1/auth/login}: JSON only (a cross-site form cannot send it), throttled per
   * account and per address before any password is checked, the check itself off the request
   * threads and as slow for an unknown user as for a wrong password. Every attempt is audited.
   */
  CompletableFuture<HttpResponse> login(Call call) {
    MediaType type = call.request().contentType();
    if (!Bodies.isJson(type)) {
      throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "the login takes a JSON body: send Content-Type: application/json, got " + (type == null ? "none" : type));
    }
    JsonNode body = Bodies.jsonObject(call);
    String username = body.path("username").asText("");
    String password = body.path("password").asText("");
    if (username.isEmpty() || password.isEmpty()) {
      throw HttpFailure.badRequest("username and password are required");
    }
    String address = call.address();
    long wait = throttle.retryAfterSeconds(username, address);
    if (wait > 0) {
      audit.record(username, address, "login.failure", null, null, AuditLog.detail("reason", "throttled"));
      return CompletableFuture.completedFuture(Responses.retryLater(HttpStatus.TOO_MANY_REQUESTS, "too_many_logins",
          "too many failed logins for this account or from this address; retry after " + wait + " s", (int) wait));
    }
    Optional<User> user = store.user(username);
    CompletableFuture<Boolean> match;
    try {
      match = passwords.check(password, user.map(User::passwordHash).orElse(null));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(Responses.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
          "too many logins are being checked at once; retry after 1 s", 1));
    }
    return match.thenApplyAsync(ok -> {
      if (!ok) {
        throttle.failed(username, address);
        audit.record(username, address, "login.failure", null, null,
            AuditLog.detail("reason", user.isEmpty() ? "unknown user" : "wrong password"));
        throw new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized", "wrong username or password");
      }
      throttle.succeeded(username);
      if (user.get().disabled()) {
        audit.record(username, address, "login.failure", null, null, AuditLog.detail("reason", "disabled"));
        throw new HttpFailure(HttpStatus.FORBIDDEN, "account_disabled",
            "this account is disabled; an instance owner can enable it again");
      }
      if (Secrets.needsRehash(user.get().passwordHash())) {
        store.putUser(user.get().withPasswordHash(Secrets.hashPassword(password)));
      }
      audit.record(username, address, "login.success", null, null, AuditLog.detail("method", "password"));
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8)
              .add(HttpHeaderNames.SET_COOKIE, sessionCookie(username)).build(),
          HttpData.ofUtf8(Json.write(me(store.user(username).orElseThrow()))));
    }, call.ctx().blockingTaskExecutor());
  }

  /** Stores a new session for {@code username} and returns the {@code Set-Cookie} value that hands it over. */
  String sessionCookie(String username) {
    String token = Secrets.random(43);
    store.putSession(new Session(Secrets.sha256(token), username, clock.instant().plus(SESSION_TTL)));
    return Cookie.secureBuilder(Authenticator.SESSION_COOKIE, token)
        .path("/").httpOnly(true).sameSite("Strict").secure(secureCookies).maxAge(SESSION_TTL.toSeconds()).build()
        .toSetCookieHeader();
  }

  /** Whether cookies are marked {@code Secure}: the server serves TLS. */
  boolean secureCookies() {
    return secureCookies;
  }

  HttpResponse logout(Call call) {
    String header = call.request().headers().get(HttpHeaderNames.COOKIE);
    if (header != null) {
      CsrfGuard.requireHeader(call.request().headers());
      for (Cookie c : Cookie.fromCookieHeader(header)) {
        if (c.name().equals(Authenticator.SESSION_COOKIE)) store.deleteSession(Secrets.sha256(c.value()));
      }
    }
    Cookie expired = Cookie.secureBuilder(Authenticator.SESSION_COOKIE, "").path("/").httpOnly(true)
        .sameSite("Strict").secure(secureCookies).maxAge(0).build();
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.NO_CONTENT)
        .add(HttpHeaderNames.SET_COOKIE, expired.toSetCookieHeader()).build());
  }

  HttpResponse whoami(Call call) {
    Principal p = call.principal();
    if (p.isSession()) return Responses.ok(me(store.user(p.username()).orElseThrow()));
    ObjectNode body = Json.object();
    body.putNull("username");
    body.put("key", p.keyPublicId());
    body.put("owner", false);
    ArrayNode scopes = body.putArray("scopes");
    p.scopes().forEach(s -> scopes.add(s.wire()));
    ArrayNode projects = body.putArray("projects");
    store.project(p.projectId()).ifPresent(pr -> projects.add(projectJson(pr)));
    return Responses.ok(body);
  }

  HttpResponse listProjects(Call call) {
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("projects");
    for (Project p : visibleProjects(call.principal())) arr.add(projectJson(p));
    return Responses.ok(body);
  }

  HttpResponse createProject(Call call) {
    Principal principal = call.principal();
    if (!principal.isInstanceAdmin()) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", principal.isSession()
          ? "creating projects needs an instance owner"
          : "this API key belongs to project " + principal.projectId()
              + "; creating projects needs an admin key of project default or the UI admin login");
    }
    JsonNode body = Bodies.jsonObject(call);
    String id = body.path("project_id").asText("");
    if (!PROJECT_ID.matcher(id).matches()) {
      throw HttpFailure.badRequest("project_id must match ^[a-z0-9][a-z0-9_-]{0,62}$, got \"" + id + "\"");
    }
    if (store.project(id).isPresent()) {
      throw new HttpFailure(HttpStatus.CONFLICT, "conflict", "project " + id + " already exists");
    }
    Project p = new Project(id, body.path("name").asText(id), policy(body, ContentPolicy.METADATA_ONLY), clock.instant(),
        retention(body, Retention.SERVER_DEFAULT));
    store.putProject(p);
    audit.record(call, "project.create", id, id, projectJson(p).retain("name", "content_policy"));
    return Responses.json(HttpStatus.CREATED, projectJson(p));
  }

  HttpResponse updateProject(Call call) {
    String id = call.path("projectId");
    Project old = call.project(id, Permission.MANAGE_PROJECT);
    JsonNode body = Bodies.jsonObject(call);
    Project p = new Project(id, body.hasNonNull("name") ? body.get("name").asText() : old.name(),
        policy(body, old.contentPolicy()), old.createdAt(), retention(body, old.retention()));
    store.putProject(p);
    ObjectNode before = projectJson(old);
    ObjectNode after = projectJson(p);
    ObjectNode changes = Json.object();
    after.fieldNames().forEachRemaining(f -> {
      if (!after.get(f).equals(before.get(f))) changes.putArray(f).add(before.get(f)).add(after.get(f));
    });
    if (!changes.isEmpty()) {
      audit.record(call, changes.has("content_policy") ? "project.policy" : "project.update", id, id, changes);
    }
    return Responses.ok(projectJson(p));
  }

  /** The signed-in user: name, whether an owner, and each visible project with the user's role in it. */
  private ObjectNode me(User user) {
    ObjectNode body = Json.object();
    body.put("username", user.username());
    body.put("owner", user.owner());
    body.put("sso", user.ssoSubject() != null);
    ArrayNode arr = body.putArray("projects");
    Map<String, ProjectRole> roles = new HashMap<>();
    store.membershipsOf(user.username()).forEach(m -> roles.put(m.projectId(), m.role()));
    for (Project pr : store.projects()) {
      ProjectRole role = user.owner() ? ProjectRole.ADMIN : roles.get(pr.projectId());
      if (role == null) continue;
      arr.add(projectJson(pr).put("role", role.wire()));
    }
    return body;
  }

  private List<Project> visibleProjects(Principal p) {
    if (p.isInstanceAdmin()) return store.projects();
    List<Project> out = new ArrayList<>();
    for (Project pr : store.projects()) {
      if (p.isSession() ? p.roles().containsKey(pr.projectId()) : pr.projectId().equals(p.projectId())) out.add(pr);
    }
    return out;
  }

  private static ContentPolicy policy(JsonNode body, ContentPolicy fallback) {
    if (!body.hasNonNull("content_policy")) return fallback;
    ContentPolicy p = ContentPolicy.parse(body.get("content_policy").asText());
    if (p == null) {
      throw HttpFailure.badRequest("content_policy must be metadata-only, redacted or full, got \""
          + body.get("content_policy").asText() + "\"");
    }
    return p;
  }

  /** The retention in {@code body}: a field left out keeps {@code old}'s, null means the server default. */
  private static Retention retention(JsonNode body, Retention old) {
    return new Retention(days(body, "raw_retention_days", old.rawDays()),
        days(body, "rollup_retention_days", old.rollupDays()));
  }

  private static Integer days(JsonNode body, String field, Integer old) {
    if (!body.has(field)) return old;
    JsonNode v = body.get(field);
    if (v.isNull()) return null;
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > Retention.MAX_DAYS) {
      throw HttpFailure.badRequest(field + " must be a whole number of days from 0 (keep forever) to "
          + Retention.MAX_DAYS + ", or null for the server's default, got " + v);
    }
    return v.asInt();
  }

  static ObjectNode projectJson(Project p) {
    ObjectNode o = Json.object();
    o.put("project_id", p.projectId());
    o.put("name", p.name());
    o.put("content_policy", p.contentPolicy().wire());
    o.put("created_at", p.createdAt().toString());
    putDays(o, "raw_retention_days", p.retention().rawDays());
    putDays(o, "rollup_retention_days", p.retention().rollupDays());
    return o;
  }

  private static void putDays(ObjectNode o, String field, Integer days) {
    if (days == null) o.putNull(field);
    else o.put(field, days);
  }
}
