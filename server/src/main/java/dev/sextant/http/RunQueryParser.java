package dev.sextant.http;

import dev.sextant.model.RunStatus;
import dev.sextant.model.Times;
import dev.sextant.store.RunQuery;
import java.util.ArrayList;
import java.util.List;

/** Reads the filters and paging of {@code GET /v1/runs} (and friends) from query parameters. */
final class RunQueryParser {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private RunQueryParser() {}

  static RunQuery parse(Call call) {
    String status = call.param("status");
    if (status != null && RunStatus.parse(status) == null) {
      throw HttpFailure.badRequest("status must be one of success, failure, partial, running, got \"" + status + "\"");
    }
    List<RunQuery.LabelFilter> labels = new ArrayList<>();
    for (String l : call.ctx().queryParams().getAll("label")) {
      int colon = l.indexOf(':');
      if (colon <= 0) throw HttpFailure.badRequest("label must be key:value, got \"" + l + "\"");
      labels.add(new RunQuery.LabelFilter(l.substring(0, colon), l.substring(colon + 1)));
    }
    Long from = time(call, "from");
    Long to = time(call, "to");
    if (from != null && to != null && to <= from) throw HttpFailure.badRequest("to must be after from");
    String sortParam = call.param("sort");
    RunQuery.Sort sort;
    if (sortParam == null || sortParam.equals("start_time")) sort = RunQuery.Sort.START_TIME;
    else if (sortParam.equals("duration")) sort = RunQuery.Sort.DURATION;
    else if (sortParam.equals("cost")) sort = RunQuery.Sort.COST;
    else throw HttpFailure.badRequest("sort must be start_time, duration or cost, got \"" + sortParam + "\"");
    int limit = intParam(call, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    return new RunQuery(call.param("agent"), call.param("version"), call.param("environment"),
        status == null ? null : RunStatus.parse(status).wire(), call.param("failure_type"),
        call.param("failure_code"), call.param("session"), labels, call.param("q"), from, to,
        number(call, "min_duration_ms"), number(call, "max_duration_ms"), sort, limit, call.param("cursor"),
        scores(call));
  }

  /** {@code score} (repeatable): {@code name}, {@code name>=x}, {@code name<=x} or {@code name=x}. */
  static List<RunQuery.ScoreFilter> scores(Call call) {
    List<RunQuery.ScoreFilter> out = new ArrayList<>();
    for (String s : call.ctx().queryParams().getAll("score")) {
      int op = indexOfAny(s, "<>=");
      String name = (op < 0 ? s : s.substring(0, op)).trim();
      if (name.isEmpty()) throw HttpFailure.badRequest("score must be name, name>=x, name<=x or name=x, got \"" + s + "\"");
      if (op < 0) {
        out.add(new RunQuery.ScoreFilter(name, null, null));
        continue;
      }
      String rest = s.substring(op);
      String operator = rest.startsWith(">=") || rest.startsWith("<=") ? rest.substring(0, 2)
          : rest.startsWith("=") ? "=" : null;
      Double value = null;
      if (operator != null) {
        try {
          value = Double.parseDouble(rest.substring(operator.length()).trim());
        } catch (NumberFormatException e) {
          value = null;
        }
      }
      if (value == null || value.isNaN() || value.isInfinite()) {
        throw HttpFailure.badRequest("score must be name, name>=x, name<=x or name=x with x a number, got \"" + s + "\"");
      }
      out.add(new RunQuery.ScoreFilter(name, operator.equals("<=") ? null : value, operator.equals(">=") ? null : value));
    }
    return out;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
    return -1;
  }

  /** An optional integer parameter from 1 to {@code max}. */
  static int intParam(Call call, String name, int fallback, int max) {
    String v = call.param(name);
    if (v == null) return fallback;
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > max) {
      throw HttpFailure.badRequest(name + " must be an integer from 1 to " + max + ", got \"" + v + "\"");
    }
    return n;
  }

  /** An optional RFC 3339 time parameter, as epoch nanoseconds. */
  static Long time(Call call, String name) {
    String v = call.param(name);
    if (v == null) return null;
    try {
      return Times.parseBound(v);
    } catch (IllegalArgumentException e) {
      throw HttpFailure.badRequest(name + " " + e.getMessage());
    }
  }

  private static Double number(Call call, String name) {
    String v = call.param(name);
    if (v == null) return null;
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d) || d < 0) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest(name + " must be a number 0 or greater, got \"" + v + "\"");
    }
  }
}
