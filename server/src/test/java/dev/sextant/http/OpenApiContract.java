package dev.sextant.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a response body against the schema {@code openapi.json} gives for its operation and
 * status: types (with {@code null}), properties, items, {@code $ref}, {@code allOf}, {@code oneOf},
 * {@code enum}, {@code const}, {@code required}, bounds. Stricter than JSON Schema in one way: an
 * object schema that lists {@code properties} and says nothing of {@code additionalProperties}
 * admits no other field, so a field the code adds without documenting it fails.
 */
final class OpenApiContract {
  private final JsonNode spec;

  OpenApiContract() {
    try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream("openapi.json")) {
      spec = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode spec() {
    return spec;
  }

  /** The operation's path template that {@code path} (without query) matches, or null. */
  String template(String method, String path) {
    for (Iterator<String> it = spec.path("paths").fieldNames(); it.hasNext(); ) {
      String t = it.next();
      if (!spec.path("paths").path(t).has(method)) continue;
      String re = "^" + Pattern.quote(t).replaceAll("\\{[^}]+\\}", "\\\\E[^/]+\\\\Q") + "$";
      if (path.matches(re)) return t;
    }
    return null;
  }

  /** What is wrong with {@code body} as the answer {@code status} of {@code method template}; empty when nothing. */
  List<String> check(String method, String template, int status, JsonNode body) {
    List<String> problems = new ArrayList<>();
    JsonNode response = spec.path("paths").path(template).path(method).path("responses").path(String.valueOf(status));
    if (response.isMissingNode()) {
      problems.add(method.toUpperCase() + " " + template + " does not document status " + status);
      return problems;
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      problems.add(method.toUpperCase() + " " + template + " " + status + " documents no JSON body");
      return problems;
    }
    validate(schema, body, "$", problems, true);
    return problems;
  }

  private JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      if (!ref.startsWith("#/")) throw new IllegalArgumentException("unsupported $ref " + ref);
      schema = spec.at(ref.substring(1));
      if (schema.isMissingNode()) throw new IllegalArgumentException("dangling $ref " + ref);
    }
    return schema;
  }

  /** The property names {@code schema} declares, its {@code allOf} members' included. */
  private void declared(JsonNode schema, java.util.Set<String> names) {
    schema = resolve(schema);
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    for (JsonNode s : schema.path("allOf")) declared(s, names);
  }

  /** @param closed whether fields the schema does not declare are problems (false inside {@code allOf}) */
  private void validate(JsonNode schema, JsonNode v, String at, List<String> problems, boolean closed) {
    schema = resolve(schema);
    if (schema.has("allOf")) {
      for (JsonNode s : schema.get("allOf")) validate(s, v, at, problems, false);
    }
    if (schema.has("oneOf") || schema.has("anyOf")) {
      JsonNode options = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
      boolean any = false;
      List<String> first = null;
      for (JsonNode s : options) {
        List<String> p = new ArrayList<>();
        validate(s, v, at, p, closed);
        if (p.isEmpty()) any = true;
        else if (first == null) first = p;
      }
      if (!any) problems.add(at + ": matches none of the alternatives, e.g. " + first);
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
      problems.add(at + ": " + kind(v) + " where the schema says " + schema.get("type"));
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) if (e.equals(v)) found = true;
      if (!found) problems.add(at + ": " + v + " is not one of " + schema.get("enum"));
    }
    if (schema.has("const") && !schema.get("const").equals(v)) problems.add(at + ": " + v + " is not " + schema.get("const"));
    if (v.isNumber()) {
      if (schema.has("minimum") && v.asDouble() < schema.get("minimum").asDouble()) problems.add(at + ": below minimum");
      if (schema.has("maximum") && v.asDouble() > schema.get("maximum").asDouble()) problems.add(at + ": above maximum");
    }
    if (v.isObject()) {
      JsonNode props = schema.path("properties");
      java.util.Set<String> names = new java.util.HashSet<>();
      declared(schema, names);
      for (JsonNode r : schema.path("required")) {
        if (!v.has(r.asText())) problems.add(at + ": required field " + r.asText() + " is missing");
      }
      JsonNode additional = schema.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String where = at + "." + f.getKey();
        if (props.has(f.getKey())) {
          validate(props.get(f.getKey()), f.getValue(), where, problems, true);
        } else if (additional != null && additional.isObject()) {
          validate(additional, f.getValue(), where, problems, true);
        } else if (closed && !names.isEmpty() && !names.contains(f.getKey())
            && (additional == null || additional.isBoolean() && !additional.asBoolean())) {
          problems.add(where + ": not in the schema (document it in openapi.json)");
        }
      }
    }
    if (v.isArray() && schema.has("items")) {
      for (int i = 0; i < v.size(); i++) validate(schema.get("items"), v.get(i), at + "[" + i + "]", problems, true);
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode v) {
    if (type.isArray()) {
      for (JsonNode t : type) if (typeMatches(t, v)) return true;
      return false;
    }
    return switch (type.asText()) {
      case "null" -> v.isNull();
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "boolean" -> v.isBoolean();
      case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
      case "number" -> v.isNumber();
      default -> false;
    };
  }

  private static String kind(JsonNode v) {
    return v.isNull() ? "null" : v.isObject() ? "an object" : v.isArray() ? "an array" : v.isTextual() ? "a string"
        : v.isBoolean() ? "a boolean" : v.isNumber() ? "a number" : v.getNodeType().toString();
  }
}
