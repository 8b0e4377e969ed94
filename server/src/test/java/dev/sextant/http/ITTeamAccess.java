package dev.sextant.http;

import static dev.sextant.http.ITNativeIngest.assertError;
import static dev.sextant.http.ITNativeIngest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.testing.Caller;
import dev.sextant.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Users, roles, invites, key management and the audit log, through the HTTP API. */
class ITTeamAccess {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Caller owner;

  @BeforeAll
  static void start() {
    owner = Caller.login(server, "admin", TestServer.ADMIN_PASSWORD);
    owner.post("/v1/projects", "{\"project_id\":\"team\"}");
  }

  /** Creates an account through a fresh invite to {@code project} and logs it in. */
  static Caller join(TestServer server, Caller admin, String project, String role, String username) {
    TestServer.Response invite = admin.post("/v1/projects/" + project + "/invites", "{\"role\":\"" + role + "\"}");
    assertThat(invite.status()).as(invite.body()).isEqualTo(201);
    String token = json(invite.body()).path("token").asText();
    TestServer.Response accepted = Caller.anonymous(server).post("/v1/invites/accept",
        "{\"token\":\"" + token + "\",\"username\":\"" + username + "\",\"password\":\"password-" + username + "\"}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    return Caller.login(server, username, "password-" + username);
  }

  @Test
  void invite_isOneTimeAndGivesTheRole() {
    TestServer.Response created = owner.post("/v1/projects/team/invites", "{\"role\":\"member\",\"expires_in_hours\":2}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode invite = json(created.body());
    String token = invite.path("token").asText();
    assertThat(invite.path("path").asText()).isEqualTo("/invite#" + token);
    assertThat(invite.path("invite_id").asText()).startsWith("inv-");
    assertThat(json(owner.get("/v1/projects/team/invites").body()).path("invites").toString())
        .contains(invite.path("invite_id").asText()).doesNotContain(token);

    Caller anyone = Caller.anonymous(server);
    JsonNode inspected = json(anyone.post("/v1/invites/inspect", "{\"token\":\"" + token + "\"}").body());
    assertThat(inspected.path("project_id").asText()).isEqualTo("team");
    assertThat(inspected.path("role").asText()).isEqualTo("member");

    TestServer.Response weak = anyone.post("/v1/invites/accept",
        "{\"token\":\"" + token + "\",\"username\":\"mia\",\"password\":\"short\"}");
    assertError(weak, 400, "invalid_parameter");
    assertThat(json(weak.body()).path("message").asText()).isEqualTo("the password must have at least 10 characters");
    TestServer.Response badName = anyone.post("/v1/invites/accept",
        "{\"token\":\"" + token + "\",\"username\":\"Mia Smith\",\"password\":\"long-enough-pw\"}");
    assertError(badName, 400, "invalid_parameter");
    TestServer.Response taken = anyone.post("/v1/invites/accept",
        "{\"token\":\"" + token + "\",\"username\":\"admin\",\"password\":\"long-enough-pw\"}");
    assertError(taken, 409, "conflict");
    assertThat(json(taken.body()).path("message").asText()).isEqualTo("the username admin is taken; choose another");

    TestServer.Response ok = anyone.post("/v1/invites/accept",
        "{\"token\":\"" + token + "\",\"username\":\"mia\",\"password\":\"long-enough-pw\"}");
    assertThat(ok.status()).isEqualTo(201);
    TestServer.Response again = anyone.post("/v1/invites/accept",
        "{\"token\":\"" + token + "\",\"username\":\"mia2\",\"password\":\"long-enough-pw\"}");
    assertError(again, 404, "not_found");
    assertThat(json(again.body()).path("message").asText()).startsWith("this invite link is not valid");

    Caller mia = Caller.login(server, "mia", "long-enough-pw");
    JsonNode me = json(mia.get("/v1/auth/me").body());
    assertThat(me.path("owner").asBoolean()).isFalse();
    assertThat(me.path("projects")).hasSize(1);
    assertThat(me.path("projects").get(0).path("project_id").asText()).isEqualTo("team");
    assertThat(me.path("projects").get(0).path("role").asText()).isEqualTo("member");
    assertThat(json(mia.get("/v1/projects").body()).path("projects")).extracting(p -> p.path("project_id").asText())
        .containsExactly("team");
    TestServer.Response other = mia.get("/v1/runs?project=default");
    assertError(other, 404, "not_found");
    assertThat(json(other.body()).path("message").asText())
        .isEqualTo("project default does not exist or you are not a member of it");
  }

  @Test
  void revokedInvite_stopsWorking() {
    JsonNode invite = json(owner.post("/v1/projects/team/invites", "{\"role\":\"viewer\"}").body());
    assertThat(owner.delete("/v1/projects/team/invites/" + invite.path("invite_id").asText()).status()).isEqualTo(204);
    assertError(Caller.anonymous(server).post("/v1/invites/inspect",
        "{\"token\":\"" + invite.path("token").asText() + "\"}"), 404, "not_found");
    assertError(owner.post("/v1/projects/team/invites", "{\"role\":\"boss\"}"), 400, "invalid_parameter");
    assertError(owner.post("/v1/projects/team/invites", "{\"role\":\"viewer\",\"expires_in_hours\":0}"), 400,
        "invalid_parameter");
  }

  @Test
  void roles_decideWhatAUserMayDo() {
    Caller vic = join(server, owner, "team", "viewer", "vic");
    assertThat(vic.get("/v1/runs?project=team").status()).isEqualTo(200);
    TestServer.Response key = vic.post("/v1/projects/team/api-keys", "{\"scopes\":[\"ingest\"]}");
    assertError(key, 403, "forbidden");
    assertThat(json(key.body()).path("message").asText())
        .isEqualTo("your role in project team is viewer; this needs the member role");

    assertThat(owner.send("PUT", "/v1/projects/team/members/vic", "{\"role\":\"member\"}").status()).isEqualTo(200);
    TestServer.Response ingestKey = vic.post("/v1/projects/team/api-keys", "{\"scopes\":[\"ingest\"],\"name\":\"ci\"}");
    assertThat(ingestKey.status()).as("a role change takes effect on the next request").isEqualTo(201);
    assertThat(json(ingestKey.body()).path("created_by").asText()).isEqualTo("vic");
    assertError(vic.post("/v1/projects/team/api-keys", "{\"scopes\":[\"admin\"]}"), 403, "forbidden");
    assertError(vic.send("PATCH", "/v1/projects/team", "{\"content_policy\":\"full\"}"), 403, "forbidden");

    assertThat(owner.delete("/v1/projects/team/members/vic").status()).isEqualTo(204);
    assertError(vic.get("/v1/runs?project=team"), 404, "not_found");
    assertError(owner.send("PUT", "/v1/projects/team/members/nobody", "{\"role\":\"viewer\"}"), 404, "not_found");
  }

  @Test
  void apiKeys_listRevokeExpire() {
    JsonNode created = json(owner.post("/v1/projects/team/api-keys",
        "{\"scopes\":[\"read\"],\"name\":\"dash\",\"expires_at\":\"2099-01-01T00:00:00Z\"}").body());
    String publicId = created.path("public_id").asText();
    Caller key = Caller.key(server, created.path("secret").asText());
    assertThat(key.get("/v1/runs").status()).isEqualTo(200);

    JsonNode listed = null;
    for (JsonNode k : json(owner.get("/v1/projects/team/api-keys").body()).path("api_keys")) {
      if (k.path("public_id").asText().equals(publicId)) listed = k;
    }
    assertThat(listed).isNotNull();
    assertThat(listed.has("secret")).isFalse();
    assertThat(listed.path("scopes").toString()).isEqualTo("[\"read\"]");
    assertThat(listed.path("created_by").asText()).isEqualTo("admin");
    assertThat(listed.path("expires_at").asText()).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(listed.path("last_used_at").isNull()).isFalse();
    assertThat(listed.path("status").asText()).isEqualTo("active");

    assertThat(owner.delete("/v1/projects/team/api-keys/" + publicId).status()).isEqualTo(204);
    assertError(key.get("/v1/runs"), 401, "unauthorized");
    assertError(owner.delete("/v1/projects/team/api-keys/" + publicId), 404, "not_found");
    assertError(owner.delete("/v1/projects/default/api-keys/" + publicId), 404, "not_found");

    TestServer.Response past = owner.post("/v1/projects/team/api-keys",
        "{\"scopes\":[\"read\"],\"expires_at\":\"2001-01-01T00:00:00Z\"}");
    assertError(past, 400, "invalid_parameter");
    assertThat(json(past.body()).path("message").asText()).isEqualTo("expires_at must be in the future, got 2001-01-01T00:00:00Z");
  }

  @Test
  void users_disableAndRemove() {
    Caller dan = join(server, owner, "team", "admin", "dan");
    assertThat(dan.get("/v1/projects/team/members").status()).isEqualTo(200);
    assertError(dan.get("/v1/users"), 403, "forbidden");

    JsonNode users = json(owner.get("/v1/users").body()).path("users");
    assertThat(users).extracting(u -> u.path("username").asText()).contains("admin", "dan");

    assertThat(owner.send("PATCH", "/v1/users/dan", "{\"disabled\":true}").status()).isEqualTo(200);
    assertError(dan.get("/v1/auth/me"), 401, "unauthorized");
    TestServer.Response login = Caller.anonymous(server).post("/v1/auth/login",
        "{\"username\":\"dan\",\"password\":\"password-dan\"}");
    assertError(login, 403, "account_disabled");
    assertThat(owner.send("PATCH", "/v1/users/dan", "{\"disabled\":false}").status()).isEqualTo(200);
    Caller.login(server, "dan", "password-dan");

    TestServer.Response self = owner.send("PATCH", "/v1/users/admin", "{\"disabled\":true}");
    assertError(self, 400, "invalid_parameter");
    assertThat(owner.delete("/v1/users/dan").status()).isEqualTo(204);
    assertError(owner.delete("/v1/users/dan"), 404, "not_found");
  }

  @Test
  void auditLog_recordsWhoWhatWhenWhere() {
    Caller.anonymous(server).post("/v1/auth/login", "{\"username\":\"admin\",\"password\":\"nope\"}");
    owner.send("PATCH", "/v1/projects/team", "{\"content_policy\":\"redacted\"}");

    JsonNode failures = json(owner.get("/v1/audit?action=login.failure&actor=admin").body()).path("events");
    assertThat(failures).isNotEmpty();
    assertThat(failures.get(0).path("address").asText()).isEqualTo("127.0.0.1");
    assertThat(failures.get(0).path("detail").path("reason").asText()).isEqualTo("wrong password");
    assertThat(failures.get(0).path("time").asText()).endsWith("Z");

    JsonNode policy = json(owner.get("/v1/audit?project=team&action=project.policy").body()).path("events").get(0);
    assertThat(policy.path("actor").asText()).isEqualTo("admin");
    assertThat(policy.path("detail").path("content_policy").toString()).isEqualTo("[\"metadata-only\",\"redacted\"]");

    JsonNode page = json(owner.get("/v1/audit?limit=1").body());
    assertThat(page.path("events")).hasSize(1);
    String cursor = page.path("next_cursor").asText();
    JsonNode next = json(owner.get("/v1/audit?limit=1&cursor=" + cursor).body()).path("events").get(0);
    assertThat(next.path("id").asLong()).isLessThan(page.path("events").get(0).path("id").asLong());
    assertError(owner.get("/v1/audit?cursor=abc"), 400, "invalid_parameter");
  }
}
