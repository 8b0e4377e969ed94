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
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.auth.Secrets;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Json;
import dev.sextant.model.ProjectRole;
import dev.sextant.store.Project;
import dev.sextant.store.Session;
import dev.sextant.store.Store;
import dev.sextant.store.User;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** UI login sessions and projects. */
final class AccountService {
  private static final Duration SESSION_TTL = Duration.ofDays(7);
  private static final Pattern PROJECT_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");
  private final Store store;
  private final Clock clock;
  private final AuditLog audit;

  AccountService(Store store, Clock clock, AuditLog audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  HttpResponse login(Call call) {
    JsonNode body = Bodies.jsonObject(call);
    String username = body.path("username").asText("");
    String password = body.path("password").asText("");
    if (username.isEmpty() || password.isEmpty()) {
      throw HttpFailure.badRequest("username and password are required");
    }
    Optional<User> user = store.user(username);
    if (user.isEmpty() || !Secrets.verifyPassword(password, user.get().passwordHash())) {
      audit.record(username, call.address(), "login.failure", null, null,
          AuditLog.detail("reason", user.isEmpty() ? "unknown user" : "wrong password"));
      throw new HttpFailure(HttpStatus.UNAUTHORIZED, "unauthorized", "wrong username or password");
    }
    if (user.get().disabled()) {
      audit.record(username, call.address(), "login.failure", null, null, AuditLog.detail("reason", "disabled"));
      throw new HttpFailure(HttpStatus.FORBIDDEN, "account_disabled",
          "this account is disabled; an instance owner can enable it again");
    }
    if (Secrets.needsRehash(user.get().passwordHash())) {
      store.putUser(user.get().withPasswordHash(Secrets.hashPassword(password)));
    }
    audit.record(username, call.address(), "login.success", null, null, AuditLog.detail("method", "password"));
    return startSession(username);
  }

  /** Creates a session for {@code username}; the response sets its cookie and carries {@link #me}. */
  HttpResponse startSession(String username) {
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8)
            .add(HttpHeaderNames.SET_COOKIE, sessionCookie(username)).build(),
        HttpData.ofUtf8(Json.write(me(store.user(username).orElseThrow()))));
  }

  /** Stores a new session for {@code username} and returns the {@code Set-Cookie} value that hands it over. */
  String sessionCookie(String username) {
    String token = Secrets.random(43);
    store.putSession(new Session(Secrets.sha256(token), username, clock.instant().plus(SESSION_TTL)));
    return Cookie.secureBuilder(Authenticator.SESSION_COOKIE, token)
        .path("/").httpOnly(true).sameSite("Strict").secure(false).maxAge(SESSION_TTL.toSeconds()).build()
        .toSetCookieHeader();
  }

  HttpResponse logout(Call call) {
    String header = call.request().headers().get(HttpHeaderNames.COOKIE);
    if (header != null) {
      for (Cookie c : Cookie.fromCookieHeader(header)) {
        if (c.name().equals(Authenticator.SESSION_COOKIE)) store.deleteSession(Secrets.sha256(c.value()));
      }
    }
    Cookie expired = Cookie.secureBuilder(Authenticator.SESSION_COOKIE, "").path("/").httpOnly(true)
        .sameSite("Strict").secure(false).maxAge(0).build();
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
    Project p = new Project(id, body.path("name").asText(id), policy(body, ContentPolicy.METADATA_ONLY), clock.instant());
    store.putProject(p);
    audit.record(call, "project.create", id, id, projectJson(p).retain("name", "content_policy"));
    return Responses.json(HttpStatus.CREATED, projectJson(p));
  }

  HttpResponse updateProject(Call call) {
    String id = call.path("projectId");
    Project old = call.project(id, Permission.MANAGE_PROJECT);
    JsonNode body = Bodies.jsonObject(call);
    Project p = new Project(id, body.hasNonNull("name") ? body.get("name").asText() : old.name(),
        policy(body, old.contentPolicy()), old.createdAt());
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

  static ObjectNode projectJson(Project p) {
    ObjectNode o = Json.object();
    o.put("project_id", p.projectId());
    o.put("name", p.name());
    o.put("content_policy", p.contentPolicy().wire());
    o.put("created_at", p.createdAt().toString());
    return o;
  }
}
