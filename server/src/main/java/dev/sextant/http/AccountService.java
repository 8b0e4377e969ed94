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
import dev.sextant.auth.PasswordChecker;
import dev.sextant.auth.Principal;
import dev.sextant.auth.Secrets;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.Scope;
import dev.sextant.store.ApiKey;
import dev.sextant.store.Project;
import dev.sextant.store.Retention;
import dev.sextant.store.Session;
import dev.sextant.store.Store;
import dev.sextant.store.User;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/** UI login sessions, projects and API keys. */
final class AccountService {
  private static final Duration SESSION_TTL = Duration.ofDays(7);
  private static final Pattern PROJECT_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");
  /** A century: longer is a mistake rather than a policy. */
  private static final int MAX_RETENTION_DAYS = 36_500;
  private final Store store;
  private final Clock clock;
  private final LoginThrottle throttle;
  private final PasswordChecker passwords;
  private final boolean secureCookies;

  /** @param secureCookies whether the session cookie is marked {@code Secure} (the server serves TLS) */
  AccountService(Store store, Clock clock, boolean secureCookies) {
    this.store = store;
    this.clock = clock;
    this.throttle = new LoginThrottle(clock);
    this.passwords = new PasswordChecker();
    this.secureCookies = secureCookies;
  }

  /**
   * {@code POST /v1/auth/login}: JSON only (a cross-site form cannot send it), throttled per
   * account and per address before any password is checked, the check itself off the request
   * threads and as slow for an unknown user as for a wrong password.
   */
  CompletableFuture<HttpResponse> login(Call call) {
    MediaType type = call.request().contentType();
    if (type == null || !type.subtype().toLowerCase(Locale.ROOT).endsWith("json")) {
      throw new HttpFailure(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "the login takes a JSON body: send Content-Type: application/json, got " + (type == null ? "none" : type));
    }
    JsonNode body = jsonBody(call);
    String username = body.path("username").asText("");
    String password = body.path("password").asText("");
    if (username.isEmpty() || password.isEmpty()) {
      throw HttpFailure.badRequest("username and password are required");
    }
    String address = call.ctx().clientAddress().getHostAddress();
    long wait = throttle.retryAfterSeconds(username, address);
    if (wait > 0) {
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
        throw new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized", "wrong username or password");
      }
      throttle.succeeded(username);
      String token = Secrets.random(43);
      store.putSession(new Session(Secrets.sha256(token), username, clock.instant().plus(SESSION_TTL)));
      Cookie cookie = Cookie.secureBuilder(Authenticator.SESSION_COOKIE, token)
          .path("/").httpOnly(true).sameSite("Strict").secure(secureCookies).maxAge(SESSION_TTL.toSeconds()).build();
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8)
              .add(HttpHeaderNames.SET_COOKIE, cookie.toSetCookieHeader()).build(),
          HttpData.ofUtf8(Json.write(me(username))));
    }, call.ctx().blockingTaskExecutor());
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
    if (p.isSession()) return Responses.ok(me(p.username()));
    ObjectNode body = Json.object();
    body.putNull("username");
    body.put("key", p.keyPublicId());
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
    if (!managesEveryProject(principal)) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", "this API key belongs to project "
          + principal.projectId() + "; creating projects needs an admin key of project default or the UI admin login");
    }
    JsonNode body = jsonBody(call);
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
    return Responses.json(HttpStatus.CREATED, projectJson(p));
  }

  HttpResponse updateProject(Call call) {
    String id = call.path("projectId");
    Project old = store.project(id).orElseThrow(() -> HttpFailure.notFound("project " + id + " does not exist"));
    checkProjectAccess(call.principal(), id);
    JsonNode body = jsonBody(call);
    Project p = new Project(id, body.hasNonNull("name") ? body.get("name").asText() : old.name(),
        policy(body, old.contentPolicy()), old.createdAt(), retention(body, old.retention()));
    store.putProject(p);
    return Responses.ok(projectJson(p));
  }

  HttpResponse createKey(Call call) {
    String id = call.path("projectId");
    if (store.project(id).isEmpty()) throw HttpFailure.notFound("project " + id + " does not exist");
    checkProjectAccess(call.principal(), id);
    JsonNode body = jsonBody(call);
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    JsonNode s = body.get("scopes");
    if (s == null || !s.isArray() || s.isEmpty()) {
      throw HttpFailure.badRequest("scopes must be a non-empty array of ingest, read, admin, metrics");
    }
    for (JsonNode x : s) {
      Scope scope = Scope.parse(x.asText());
      if (scope == null) {
        throw HttpFailure.badRequest("unknown scope \"" + x.asText() + "\"; use ingest, read, admin or metrics");
      }
      scopes.add(scope);
    }
    if (scopes.contains(Scope.METRICS) && !call.principal().isInstanceAdmin()) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden", "the metrics scope reads every project's counters;"
          + " only an admin key of project default or the UI login can give it");
    }
    String secret = "sk-sextant-" + Secrets.random(32);
    String publicId = "pk-sextant-" + Secrets.random(12).toLowerCase();
    store.putApiKey(new ApiKey(publicId, Secrets.sha256(secret), id, scopes, body.path("name").asText(null), clock.instant()));
    ObjectNode out = Json.object();
    out.put("public_id", publicId);
    out.put("secret", secret);
    out.put("project_id", id);
    ArrayNode sc = out.putArray("scopes");
    scopes.forEach(x -> sc.add(x.wire()));
    return Responses.json(HttpStatus.CREATED, out);
  }

  private ObjectNode me(String username) {
    ObjectNode body = Json.object();
    body.put("username", username);
    ArrayNode arr = body.putArray("projects");
    for (Project p : store.projects()) arr.add(projectJson(p));
    return body;
  }

  private java.util.List<Project> visibleProjects(Principal p) {
    if (managesEveryProject(p)) return store.projects();
    return store.project(p.projectId()).map(java.util.List::of).orElse(java.util.List.of());
  }

  /** The UI login and the admin keys of the default project manage every project. */
  private static boolean managesEveryProject(Principal p) {
    return p.isInstanceAdmin();
  }

  /** Other admin keys manage only their own project. */
  private static void checkProjectAccess(Principal p, String projectId) {
    if (managesEveryProject(p) || projectId.equals(p.projectId())) return;
    throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden",
        "this API key belongs to project " + p.projectId() + " and cannot manage project " + projectId);
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
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > MAX_RETENTION_DAYS) {
      throw HttpFailure.badRequest(field + " must be a whole number of days from 0 (keep forever) to "
          + MAX_RETENTION_DAYS + ", or null for the server's default, got " + v);
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

  private static JsonNode jsonBody(Call call) {
    try {
      JsonNode n = Json.MAPPER.readTree(Bodies.readAll(call.request(), 64 * 1024));
      if (n == null || !n.isObject()) throw HttpFailure.badRequest("the body must be a JSON object");
      return n;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_json", "the body is not valid JSON: " + Json.problem(e));
    } catch (IOException e) {
      throw new HttpFailure(HttpStatus.BAD_REQUEST, "invalid_body", "the body could not be read: " + e.getMessage());
    }
  }
}
