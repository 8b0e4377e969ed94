package dev.sextant.protocol.langsmith;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code ; key=value} parameters of a header such as Content-Disposition or Content-Type,
 * with quoted values (backslash escapes included). Keys are lower-cased; the first wins.
 */
final class HeaderParams {
  private HeaderParams() {}

  static Map<String, String> parse(String header) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = header.indexOf(';');
    if (i < 0) return out;
    int n = header.length();
    i++;
    while (i < n) {
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t' || header.charAt(i) == ';')) i++;
      int keyStart = i;
      while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') i++;
      String key = header.substring(keyStart, i).trim().toLowerCase(Locale.ROOT);
      String value = "";
      if (i < n && header.charAt(i) == '=') {
        i++;
        while (i < n && header.charAt(i) == ' ') i++;
        if (i < n && header.charAt(i) == '"') {
          StringBuilder sb = new StringBuilder();
          i++;
          while (i < n && header.charAt(i) != '"') {
            char c = header.charAt(i);
            if (c == '\\' && i + 1 < n) c = header.charAt(++i);
            sb.append(c);
            i++;
          }
          i++;
          value = sb.toString();
          while (i < n && header.charAt(i) != ';') i++;
        } else {
          int valueStart = i;
          while (i < n && header.charAt(i) != ';') i++;
          value = header.substring(valueStart, i).trim();
        }
      }
      if (!key.isEmpty()) out.putIfAbsent(key, value);
    }
    return out;
  }
}
