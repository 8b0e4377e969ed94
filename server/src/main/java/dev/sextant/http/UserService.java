package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Principal;
import dev.sextant.model.Json;
import dev.sextant.model.ProjectRole;
import dev.sextant.store.Membership;
import dev.sextant.store.Accounts;
import dev.sextant.store.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Users (instance owners: list, disable, enable, make owner, remove) and the members of a project
 * (project admins: list, add or change a role, remove).
 */
final class UserService {
  private final Accounts store;
  private final Clock clock;
  private final AuditLog audit;

  UserService(Accounts store, Clock clock, AuditLog audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  HttpResponse list(Call call) {
    requireInstanceAdmin(call.principal());
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("users");
    for (User u : store.users()) {
      ObjectNode o = userJson(u);
      ArrayNode projects = o.putArray("projects");
      for (Membership m : store.membershipsOf(u.username())) {
        projects.addObject().put("project_id", m.projectId()).put("role", m.role().wire());
      }
      arr.add(o);
    }
    return Responses.ok(body);
  }

  HttpResponse update(Call call) {
    requireInstanceAdmin(call.principal());
    User user = existing(call.path("username"));
    JsonNode body = Bodies.jsonObject(call);
    User changed = user;
    if (body.has("disabled")) changed = changed.withDisabled(bool(body, "disabled"));
    if (body.has("owner")) changed = changed.withOwner(bool(body, "owner"));
    boolean self = user.username().equals(call.principal().username());
    if (self && (changed.disabled() || !changed.owner())) {
      throw HttpFailure.badRequest("you cannot disable yourself or give up your own owner role; ask another owner");
    }
    if ((user.owner() && !user.disabled()) && (changed.disabled() || !changed.owner())) requireAnotherOwner(user);
    store.putUser(changed);
    if (changed.disabled()) store.deleteSessionsOf(user.username());
    if (changed.disabled() != user.disabled()) {
      audit.record(call, changed.disabled() ? "user.disable" : "user.enable", null, user.username(), null);
    }
    if (changed.owner() != user.owner()) {
      audit.record(call, "user.owner", null, user.username(), AuditLog.detail("owner", Boolean.toString(changed.owner())));
    }
    return Responses.ok(userJson(changed));
  }

  HttpResponse remove(Call call) {
    requireInstanceAdmin(call.principal());
    User user = existing(call.path("username"));
    if (user.username().equals(call.principal().username())) {
      throw HttpFailure.badRequest("you cannot remove yourself; ask another owner");
    }
    if (user.owner() && !user.disabled()) requireAnotherOwner(user);
    store.deleteUser(user.username());
    audit.record(call, "user.remove", null, user.username(), null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  HttpResponse members(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_PROJECT);
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("members");
    for (Membership m : store.members(id)) {
      Optional<User> u = store.user(m.username());
      arr.addObject().put("username", m.username()).put("role", m.role().wire())
          .put("disabled", u.map(User::disabled).orElse(false)).put("sso", u.map(x -> x.ssoSubject() != null).orElse(false))
          .put("created_at", KeyService.time(m.createdAt()));
    }
    return Responses.ok(body);
  }

  HttpResponse putMember(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_PROJECT);
    String username = call.path("username");
    JsonNode body = Bodies.jsonObject(call);
    ProjectRole role = role(body.path("role").asText(""));
    if (store.user(username).isEmpty()) {
      throw HttpFailure.notFound("there is no user " + username + "; invite them with POST /v1/projects/" + id
          + "/invites");
    }
    Optional<Membership> old = store.members(id).stream().filter(m -> m.username().equals(username)).findFirst();
    store.putMembership(new Membership(id, username, role, old.map(Membership::createdAt).orElse(clock.instant())));
    ObjectNode detail = Json.object();
    detail.putArray("role").add(old.map(m -> m.role().wire()).orElse(null)).add(role.wire());
    audit.record(call, "member.role", id, username, detail);
    return Responses.ok(Json.object().put("project_id", id).put("username", username).put("role", role.wire()));
  }

  HttpResponse removeMember(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_PROJECT);
    String username = call.path("username");
    if (!store.deleteMembership(id, username)) {
      throw HttpFailure.notFound(username + " is not a member of project " + id);
    }
    audit.record(call, "member.remove", id, username, null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  static ProjectRole role(String text) {
    ProjectRole role = ProjectRole.parse(text);
    if (role == null) throw HttpFailure.badRequest("role must be viewer, member or admin, got \"" + text + "\"");
    return role;
  }

  static void requireInstanceAdmin(Principal p) {
    if (!p.isInstanceAdmin()) {
      throw new HttpFailure(HttpStatus.FORBIDDEN, "forbidden",
          "managing users needs an instance owner (or an admin key of project default)");
    }
  }

  private User existing(String username) {
    return store.user(username).orElseThrow(() -> HttpFailure.notFound("there is no user " + username));
  }

  /** Refuses a change that would leave the instance without an enabled owner. */
  private void requireAnotherOwner(User leaving) {
    if (isLastEnabledOwner(store, leaving)) {
      throw new HttpFailure(HttpStatus.CONFLICT, "conflict",
          leaving.username() + " is the last enabled owner; make another user an owner first");
    }
  }

  /** Whether {@code user} is an enabled owner and no other enabled owner exists. */
  static boolean isLastEnabledOwner(Accounts store, User user) {
    return user.owner() && !user.disabled() && store.users().stream()
        .noneMatch(u -> u.owner() && !u.disabled() && !u.username().equals(user.username()));
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (!v.isBoolean()) throw HttpFailure.badRequest(field + " must be true or false, got " + v);
    return v.booleanValue();
  }

  static ObjectNode userJson(User u) {
    ObjectNode o = Json.object();
    o.put("username", u.username());
    o.put("owner", u.owner());
    o.put("disabled", u.disabled());
    o.put("sso", u.ssoSubject() != null);
    o.put("created_at", KeyService.time(u.createdAt()));
    return o;
  }
}
