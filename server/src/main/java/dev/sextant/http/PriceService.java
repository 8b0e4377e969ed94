package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import dev.sextant.cost.ModelPrice;
import dev.sextant.cost.PriceTable;
import dev.sextant.model.Json;
import dev.sextant.protocol.JsonFields;
import dev.sextant.store.ModelPriceStore;
import dev.sextant.store.Stats;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Model prices of the caller's project ({@code /v1/prices}): the table its costs are computed
 * with, the project's own rows, and the models it used that have no price.
 */
final class PriceService {
  private static final int MAX_PER_REQUEST = 500;

  private final ModelPriceStore store;
  private final AuditLog audit;

  PriceService(ModelPriceStore store, AuditLog audit) {
    this.store = store;
    this.audit = audit;
  }

  /** {@code GET /v1/prices}: every row in force for the project, each with its source. */
  HttpResponse list(Call call) {
    String project = call.project().projectId();
    Set<List<Object>> own = new HashSet<>();
    for (ModelPrice p : store.priceOverrides(project)) own.add(key(p));
    ObjectNode body = Json.object();
    body.put("unit", "USD per million tokens");
    ArrayNode rows = body.putArray("prices");
    for (ModelPrice p : store.prices(project).rows()) rows.add(json(p, own.contains(key(p)) ? "project" : "server"));
    return Responses.ok(body);
  }

  /** {@code PUT /v1/prices}: one price object, or {@code {"prices":[…]}}; adds or replaces the project's rows. */
  HttpResponse put(Call call) {
    JsonNode body = Bodies.jsonObject(call);
    List<JsonNode> items = new ArrayList<>();
    if (body.has("prices")) {
      if (!body.get("prices").isArray()) throw HttpFailure.badRequest("prices must be an array of price objects");
      body.get("prices").forEach(items::add);
    } else {
      items.add(body);
    }
    if (items.isEmpty()) throw HttpFailure.badRequest("prices is empty; send at least one price");
    if (items.size() > MAX_PER_REQUEST) {
      throw HttpFailure.badRequest("at most " + MAX_PER_REQUEST + " prices per request, got " + items.size());
    }
    List<ModelPrice> prices = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        prices.add(parse(items.get(i)));
      } catch (IllegalArgumentException e) {
        throw HttpFailure.badRequest((items.size() > 1 ? "prices[" + i + "]: " : "") + e.getMessage());
      }
    }
    String project = call.project().projectId();
    for (ModelPrice p : prices) {
      store.putPrice(project, p);
      audit.record(call, "price.put", project, p.model(), json(p, "project"));
    }
    ObjectNode out = Json.object();
    out.put("accepted", prices.size());
    return Responses.ok(out);
  }

  /** {@code DELETE /v1/prices?model=…&effective_from=…}: removes one of the project's rows. */
  HttpResponse delete(Call call) {
    String model = call.param("model");
    String from = call.param("effective_from");
    if (model == null || model.isBlank() || from == null) {
      throw HttpFailure.badRequest("model and effective_from are required, e.g. ?model=gpt-4o&effective_from=2025-01-01");
    }
    LocalDate day;
    try {
      day = day(from);
    } catch (IllegalArgumentException e) {
      throw HttpFailure.badRequest(e.getMessage());
    }
    String project = call.project().projectId();
    if (!store.deletePrice(project, model, day)) {
      throw HttpFailure.notFound("this project has no price of " + model + " from " + day
          + " (prices of the server's table cannot be deleted, only overridden)");
    }
    audit.record(call, "price.delete", project, model, null);
    return HttpResponse.of(HttpStatus.NO_CONTENT);
  }

  /** {@code GET /v1/prices/unknown}: models the project's steps named that no price covers. */
  HttpResponse unknown(Call call) {
    String project = call.project().projectId();
    PriceTable table = store.prices(project);
    ObjectNode body = Json.object();
    ArrayNode models = body.putArray("models");
    for (Stats.ModelCost m : store.modelUsage(project)) {
      if (table.prices(m.model())) continue;
      ObjectNode o = models.addObject();
      o.put("model", m.model());
      o.put("steps", m.steps());
      o.put("input_tokens", m.inputTokens());
      o.put("output_tokens", m.outputTokens());
      o.put("sent_cost_usd", m.costUsd());
    }
    return Responses.ok(body);
  }

  static ModelPrice parse(JsonNode o) {
    if (!o.isObject()) throw new IllegalArgumentException("a price must be a JSON object");
    return new ModelPrice(JsonFields.requiredText(o, "model"), JsonFields.text(o, "provider"),
        day(JsonFields.requiredText(o, "effective_from")), price(o, "input", true), price(o, "output", true),
        price(o, "cached_input", false), price(o, "reasoning", false));
  }

  /** A price field, in USD per million tokens: every complaint about it names the unit. */
  private static Double price(JsonNode o, String field, boolean required) {
    try {
      return required ? JsonFields.requiredNumber(o, field) : JsonFields.number(o, field);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (USD per million tokens)");
    }
  }

  private static LocalDate day(String v) {
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("effective_from must be a day as YYYY-MM-DD, got \"" + v + "\"");
    }
  }

  private static List<Object> key(ModelPrice p) {
    return List.of(PriceTable.normalize(p.model()), p.effectiveFrom());
  }

  private static ObjectNode json(ModelPrice p, String source) {
    ObjectNode o = Json.object();
    o.put("model", p.model());
    o.put("provider", p.provider());
    o.put("effective_from", p.effectiveFrom().toString());
    o.put("input", p.input());
    o.put("output", p.output());
    o.put("cached_input", p.cachedInput());
    o.put("reasoning", p.reasoning());
    o.put("source", source);
    return o;
  }
}
