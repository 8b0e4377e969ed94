package dev.sextant.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sextant.model.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code redacted} policy: replaces personal data and secrets inside content with markers such
 * as {@code [email]}. Values under keys that name a secret are replaced whole.
 */
final class Redactor {
  private record Rule(String marker, Pattern pattern) {}

  private static final List<Rule> RULES = List.of(
      new Rule("[private_key]", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----")),
      new Rule("[jwt]", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}")),
      new Rule("[secret]", Pattern.compile(
          "\\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|\\bAKIA[0-9A-Z]{16}\\b|\\bgh[pousr]_[A-Za-z0-9]{30,}|\\bxox[abprs]-[A-Za-z0-9-]{10,}")),
      new Rule("[secret]", Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{12,}")),
      new Rule("[email]", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")),
      new Rule("[card]", Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b")),
      new Rule("[iban]", Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\\b")),
      new Rule("[ip]", Pattern.compile("\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b")),
      new Rule("[phone]", Pattern.compile("(?<![\\w.])\\+?\\d[\\d ().-]{7,}\\d(?![\\w.])")));

  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|authorization|cookie|credential).*");

  JsonNode redact(JsonNode node) {
    if (node == null) return null;
    if (node.isTextual()) return TextNode.valueOf(redactText(node.textValue()));
    if (node.isObject()) {
      ObjectNode out = Json.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        boolean secret = SECRET_KEY.matcher(e.getKey()).matches() && !e.getValue().isContainerNode()
            && !e.getValue().isNumber() && !e.getValue().isBoolean();
        out.set(e.getKey(), secret ? TextNode.valueOf("[secret]") : redact(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.NODES.arrayNode(node.size());
      for (JsonNode x : node) out.add(redact(x));
      return out;
    }
    return node;
  }

  String redactText(String text) {
    if (text == null) return null;
    String out = text;
    for (Rule rule : RULES) {
      Matcher m = rule.pattern.matcher(out);
      if (m.find()) out = m.replaceAll(Matcher.quoteReplacement(rule.marker));
    }
    return out;
  }

}
