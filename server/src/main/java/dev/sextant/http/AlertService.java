package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.alert.AlertEvaluator;
import dev.sextant.alert.AlertEvent;
import dev.sextant.alert.AlertRule;
import dev.sextant.alert.AlertState;
import dev.sextant.alert.Channel;
import dev.sextant.alert.ChannelNotifier;
import dev.sextant.alert.Silence;
import dev.sextant.model.Json;
import dev.sextant.model.Times;
import dev.sextant.protocol.JsonFields;
import dev.sextant.store.AlertStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Alerting of the caller's project ({@code /v1/alerts…}): rules, current alerts, history, silences, channels. */
final class AlertService {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_LOG = 1000;

  private final AlertStore store;
  private final ChannelNotifier notifier;
  private final Clock clock;
  private final AuditLog audit;

  AlertService(AlertStore store, ChannelNotifier notifier, Clock clock, AuditLog audit) {
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
    this.audit = audit;
  }

  // ---- rules

  HttpResponse createRule(Call call) {
    AlertRule rule = rule(call, id("rule"));
    return Responses.json(HttpStatus.CREATED, rule.toJson());
  }

  HttpResponse putRule(Call call) {
    String id = call.path("ruleId");
    existing(call, AlertEvaluator.RULE, id, "rule");
    return Responses.ok(rule(call, id).toJson());
  }

  private AlertRule rule(Call call, String id) {
    JsonNode body = Bodies.jsonObject(call);
    AlertRule rule = parsed(() -> AlertRule.parse(id, body));
    String project = call.project().projectId();
    for (String ch : rule.channels()) {
      if (store.alertDoc(project, ChannelNotifier.CHANNEL, ch).isEmpty()) {
        throw HttpFailure.badRequest("channels: no channel " + ch + " in this project; create it with POST /v1/alerts/channels");
      }
    }
    store.putAlertDoc(project, AlertEvaluator.RULE, id, Json.write(rule));
    audit.record(call, "alert_rule.put", project, id, rule.toJson());
    return rule;
  }

  HttpResponse listRules(Call call) {
    return list(call, AlertEvaluator.RULE, "rules", json -> AlertRule.fromJson(json).toJson());
  }

  HttpResponse getRule(Call call) {
    return Responses.ok(AlertRule.fromJson(existing(call, AlertEvaluator.RULE, call.path("ruleId"), "rule")).toJson());
  }

  HttpResponse deleteRule(Call call) {
    String project = call.project().projectId();
    String id = call.path("ruleId");
    if (!store.deleteAlertDoc(project, AlertEvaluator.RULE, id)) throw HttpFailure.notFound("no alert rule " + id);
    for (String json : store.alertDocs(project, AlertEvaluator.STATE)) {
      AlertState s = AlertState.fromJson(json);
      if (id.equals(s.ruleId())) store.deleteAlertDoc(project, AlertEvaluator.STATE, s.docId());
    }
    audit.record(call, "alert_rule.delete", project, id, null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  /** The project's documents of {@code kind}, each rendered, as {@code {"<field>": [...]}}. */
  private HttpResponse list(Call call, String kind, String field, Function<String, JsonNode> render) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray(field);
    for (String json : store.alertDocs(call.project().projectId(), kind)) items.add(render.apply(json));
    return Responses.ok(body);
  }

  /** Deletes the document of {@code kind} named by the path parameter {@code param}; 404 says "no {what}". */
  private HttpResponse delete(Call call, String kind, String param, String what, String action) {
    String project = call.project().projectId();
    String id = call.path(param);
    if (!store.deleteAlertDoc(project, kind, id)) throw HttpFailure.notFound("no " + what + " " + id);
    audit.record(call, action, project, id, null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  // ---- alerts and history

  /** {@code GET /v1/alerts}: the alerts of enabled rules pending or firing now. */
  HttpResponse current(Call call) {
    String project = call.project().projectId();
    Map<String, AlertRule> rules = new HashMap<>();
    for (String json : store.alertDocs(project, AlertEvaluator.RULE)) {
      AlertRule r = AlertRule.fromJson(json);
      rules.put(r.id(), r);
    }
    long now = Times.toNanos(clock.instant());
    List<Silence> silences = store.alertDocs(project, AlertEvaluator.SILENCE).stream().map(Silence::fromJson).toList();
    ObjectNode body = Json.object();
    ArrayNode alerts = body.putArray("alerts");
    for (String json : store.alertDocs(project, AlertEvaluator.STATE)) {
      AlertState s = AlertState.fromJson(json);
      AlertRule r = rules.get(s.ruleId());
      if (r == null || !r.enabled() || !(s.state().equals("pending") || s.state().equals("firing"))) continue;
      ObjectNode o = alerts.addObject();
      o.put("rule_id", s.ruleId());
      o.put("rule_name", r.name());
      o.put("kind", r.kind());
      o.put("key", s.key());
      o.put("state", s.state());
      o.put("since", Times.toInstant(s.sinceNs()).toString());
      o.put("starts_at", s.startsAtNs() == 0 ? null : Times.toInstant(s.startsAtNs()).toString());
      o.put("value", s.value());
      o.put("threshold", s.threshold());
      o.put("silenced", silences.stream().anyMatch(x -> x.covers(s.ruleId(), now)));
    }
    return Responses.ok(body);
  }

  HttpResponse history(Call call) {
    return log(call, AlertEvaluator.HISTORY, "history");
  }

  HttpResponse deliveries(Call call) {
    return log(call, ChannelNotifier.DELIVERIES, "deliveries");
  }

  private HttpResponse log(Call call, String log, String field) {
    int limit = 100;
    String l = call.param("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LOG) throw HttpFailure.badRequest("limit must be from 1 to " + MAX_LOG + ", got " + l);
    }
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray(field);
    for (String json : store.alertLog(call.project().projectId(), log, limit)) items.add(Json.read(json));
    return Responses.ok(body);
  }

  // ---- silences

  HttpResponse createSilence(Call call) {
    JsonNode body = Bodies.jsonObject(call);
    String project = call.project().projectId();
    String ruleId = JsonFields.text(body, "rule_id");
    if (ruleId != null && store.alertDoc(project, AlertEvaluator.RULE, ruleId).isEmpty()) {
      throw HttpFailure.badRequest("rule_id: no alert rule " + ruleId + " in this project");
    }
    String ends = JsonFields.text(body, "ends_at");
    if (ends == null) {
      throw HttpFailure.badRequest("ends_at is required, as an RFC 3339 time such as 2026-01-01T12:00:00Z");
    }
    Instant endsAt;
    try {
      endsAt = Instant.parse(ends);
    } catch (DateTimeParseException e) {
      throw HttpFailure.badRequest("ends_at must be an RFC 3339 time such as 2026-01-01T12:00:00Z, got \""
          + ends + "\"");
    }
    if (!endsAt.isAfter(clock.instant())) throw HttpFailure.badRequest("ends_at must be in the future");
    String comment = JsonFields.text(body, "comment");
    Silence s = new Silence(id("silence"), ruleId, Times.toNanos(endsAt), comment, Times.toNanos(clock.instant()));
    store.putAlertDoc(project, AlertEvaluator.SILENCE, s.id(), Json.write(s));
    audit.record(call, "alert_silence.put", project, s.id(), null);
    return Responses.json(HttpStatus.CREATED, silence(s));
  }

  HttpResponse listSilences(Call call) {
    return list(call, AlertEvaluator.SILENCE, "silences", json -> silence(Silence.fromJson(json)));
  }

  HttpResponse deleteSilence(Call call) {
    return delete(call, AlertEvaluator.SILENCE, "silenceId", "silence", "alert_silence.delete");
  }

  private ObjectNode silence(Silence s) {
    ObjectNode o = Json.object();
    o.put("id", s.id());
    o.put("rule_id", s.ruleId());
    o.put("ends_at", Times.toInstant(s.endsAtNs()).toString());
    o.put("comment", s.comment());
    o.put("created_at", Times.toInstant(s.createdAtNs()).toString());
    o.put("active", s.endsAtNs() > Times.toNanos(clock.instant()));
    return o;
  }

  // ---- channels

  HttpResponse createChannel(Call call) {
    return Responses.json(HttpStatus.CREATED, channel(saveChannel(call, id("channel"), null)));
  }

  /**
   * {@code PUT /v1/alerts/channels/{id}}: replaces the channel; a body without {@code secret} keeps
   * the secret it had (reads never show it), {@code "secret": null} removes it.
   */
  HttpResponse putChannel(Call call) {
    String id = call.path("channelId");
    Channel old = Channel.fromJson(existing(call, ChannelNotifier.CHANNEL, id, "channel"));
    return Responses.ok(channel(saveChannel(call, id, old)));
  }

  /** Stores the channel the body describes as {@code id}; {@code old} is the one it replaces, if any. */
  private Channel saveChannel(Call call, String id, Channel old) {
    JsonNode body = Bodies.jsonObject(call);
    Channel ch = parsed(() -> Channel.parse(id, body));
    if (old != null && !body.has("secret")) {
      ch = new Channel(id, ch.name(), ch.type(), ch.url(), old.secret(), ch.timeoutMs(), ch.maxAttempts(),
          ch.backoffMs());
    }
    String project = call.project().projectId();
    store.putAlertDoc(project, ChannelNotifier.CHANNEL, id, Json.write(ch));
    audit.record(call, "alert_channel.put", project, id, null);
    return ch;
  }

  /** What {@code parse} makes of a request body; its {@link IllegalArgumentException} is the client's 400. */
  private static <T> T parsed(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw HttpFailure.badRequest(e.getMessage());
    }
  }

  HttpResponse getChannel(Call call) {
    return Responses.ok(channel(Channel.fromJson(existing(call, ChannelNotifier.CHANNEL, call.path("channelId"), "channel"))));
  }

  HttpResponse listChannels(Call call) {
    return list(call, ChannelNotifier.CHANNEL, "channels", json -> channel(Channel.fromJson(json)));
  }

  HttpResponse deleteChannel(Call call) {
    return delete(call, ChannelNotifier.CHANNEL, "channelId", "channel", "alert_channel.delete");
  }

  /** {@code POST /v1/alerts/channels/{id}/test}: delivers a test notification now and answers its delivery entry. */
  HttpResponse testChannel(Call call) {
    String project = call.project().projectId();
    String id = call.path("channelId");
    existing(call, ChannelNotifier.CHANNEL, id, "channel");
    long now = Times.toNanos(clock.instant());
    AlertEvent test = new AlertEvent(project, "test", "Test notification", "test", "firing", 0, 0,
        Map.of("test", "true"), now, now, "[test] a test notification from Sextant");
    return Responses.ok(notifier.deliver(test, id));
  }

  private static ObjectNode channel(Channel ch) {
    ObjectNode o = Json.MAPPER.valueToTree(ch);
    o.remove("secret");
    o.put("has_secret", ch.secret() != null);
    return o;
  }

  private String existing(Call call, String kind, String id, String what) {
    return store.alertDoc(call.project().projectId(), kind, id)
        .orElseThrow(() -> HttpFailure.notFound("no alert " + what + " " + id));
  }

  private static String id(String prefix) {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return prefix + "_" + HexFormat.of().formatHex(b);
  }
}
