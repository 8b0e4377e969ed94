package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.auth.Permission;
import dev.sextant.auth.Secrets;
import dev.sextant.model.Json;
import dev.sextant.model.ProjectRole;
import dev.sextant.store.Invite;
import dev.sextant.store.Project;
import dev.sextant.store.Accounts;
import dev.sextant.store.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One-time invite links. A project admin creates one with a role; whoever opens it chooses a
 * username and password and becomes a member with that role. The link carries a random token;
 * only its SHA-256 is stored, and it works once, until it expires.
 */
final class InviteService {
  static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._@-]{0,63}$");
  static final int MIN_PASSWORD = 10;
  private static final int DEFAULT_HOURS = 72;
  private static final int MAX_HOURS = 720;
  private static final String INVALID = "this invite link is not valid: it was used or revoked, or it expired;"
      + " ask a project admin for a new one";

  private final Accounts store;
  private final Clock clock;
  private final AuditLog audit;

  InviteService(Accounts store, Clock clock, AuditLog audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  HttpResponse create(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_PROJECT);
    JsonNode body = Bodies.jsonObject(call);
    ProjectRole role = UserService.role(body.path("role").asText(""));
    int hours = DEFAULT_HOURS;
    if (body.has("expires_in_hours")) {
      JsonNode h = body.get("expires_in_hours");
      if (!h.canConvertToInt() || !h.isIntegralNumber() || h.intValue() < 1 || h.intValue() > MAX_HOURS) {
        throw HttpFailure.badRequest("expires_in_hours must be an integer from 1 to " + MAX_HOURS + ", got " + h);
      }
      hours = h.intValue();
    }
    Instant now = clock.instant();
    String token = Secrets.random(40);
    Invite invite = new Invite("inv-" + Secrets.random(12).toLowerCase(), Secrets.sha256(token), id, role,
        call.principal().actor(), now, now.plus(Duration.ofHours(hours)), null, null);
    store.putInvite(invite);
    audit.record(call, "invite.create", id, invite.inviteId(), AuditLog.detail("role", role.wire()));
    ObjectNode out = json(invite);
    out.put("token", token);
    // the token travels in the fragment, which browsers never send to a server or in a Referer
    out.put("path", "/invite#" + token);
    return Responses.json(HttpStatus.CREATED, out);
  }

  HttpResponse list(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_PROJECT);
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("invites");
    for (Invite i : store.openInvites(id, clock.instant())) arr.add(json(i));
    return Responses.ok(body);
  }

  HttpResponse revoke(Call call) {
    String id = call.path("projectId");
    call.project(id, Permission.MANAGE_PROJECT);
    String inviteId = call.path("inviteId");
    if (!store.deleteInvite(id, inviteId)) {
      throw HttpFailure.notFound("project " + id + " has no open invite " + inviteId);
    }
    audit.record(call, "invite.revoke", id, inviteId, null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  /** {@code POST /v1/invites/inspect}: what an invite offers, for the page that redeems it. */
  HttpResponse inspect(Call call) {
    Invite invite = usable(token(Bodies.jsonObject(call)));
    ObjectNode out = json(invite);
    out.put("project_name", store.project(invite.projectId()).map(Project::name).orElse(invite.projectId()));
    out.remove("created_by");
    return Responses.ok(out);
  }

  /** {@code POST /v1/invites/accept}: creates the account. */
  HttpResponse accept(Call call) {
    JsonNode body = Bodies.jsonObject(call);
    String token = token(body);
    Invite invite = usable(token);
    String username = body.path("username").asText("");
    if (!USERNAME.matcher(username).matches()) {
      throw HttpFailure.badRequest("username must be 1 to 64 lower-case letters, digits and . _ @ -, starting with a"
          + " letter or digit, got \"" + username + "\"");
    }
    String password = body.path("password").asText("");
    checkPassword(password);
    Instant now = clock.instant();
    User user = new User(username, Secrets.hashPassword(password), now);
    switch (store.redeemInvite(Secrets.sha256(token), user, now)) {
      case USERNAME_TAKEN -> throw new HttpFailure(HttpStatus.CONFLICT, "conflict",
          "the username " + username + " is taken; choose another");
      case INVALID -> throw HttpFailure.notFound(INVALID);
      default -> { }
    }
    audit.record(username, call.address(), "invite.accept", invite.projectId(), invite.inviteId(),
        AuditLog.detail("role", invite.role().wire()));
    ObjectNode out = UserService.userJson(user);
    out.putArray("projects").addObject().put("project_id", invite.projectId()).put("role", invite.role().wire());
    return Responses.json(HttpStatus.CREATED, out);
  }

  static void checkPassword(String password) {
    if (password.length() < MIN_PASSWORD) {
      throw HttpFailure.badRequest("the password must have at least " + MIN_PASSWORD + " characters");
    }
    int bytes = password.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Secrets.MAX_PASSWORD_BYTES) {
      throw HttpFailure.badRequest("the password must be at most " + Secrets.MAX_PASSWORD_BYTES
          + " bytes in UTF-8, got " + bytes);
    }
  }

  private static String token(JsonNode body) {
    String token = body.path("token").asText("");
    if (token.isEmpty()) throw HttpFailure.badRequest("token is required: the part of the invite link after #");
    return token;
  }

  private Invite usable(String token) {
    Optional<Invite> invite = store.inviteByTokenHash(Secrets.sha256(token));
    if (invite.isEmpty() || !invite.get().usableAt(clock.instant())) throw HttpFailure.notFound(INVALID);
    return invite.get();
  }

  private static ObjectNode json(Invite i) {
    ObjectNode o = Json.object();
    o.put("invite_id", i.inviteId());
    o.put("project_id", i.projectId());
    o.put("role", i.role().wire());
    o.put("created_by", i.createdBy());
    o.put("created_at", KeyService.time(i.createdAt()));
    o.put("expires_at", KeyService.time(i.expiresAt()));
    return o;
  }
}
