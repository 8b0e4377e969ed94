package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request a trace id — the W3C {@code traceparent} header's when the client sent one,
 * else a new one — returned as {@code x-trace-id} and put, with the project and run ids once they
 * are known, in the log context ({@link MDC}: {@code trace_id}, {@code project_id}, {@code run_id})
 * of whatever the request's handler logs. With the access log on, each request also logs one line
 * on logger {@code sextant.access}.
 */
public final class RequestLogging {
  static final AttributeKey<String> TRACE_ID = AttributeKey.valueOf(RequestLogging.class, "trace_id");
  static final AttributeKey<String> PROJECT_ID = AttributeKey.valueOf(RequestLogging.class, "project_id");
  static final AttributeKey<String> RUN_ID = AttributeKey.valueOf(RequestLogging.class, "run_id");
  private static final Logger access = LoggerFactory.getLogger("sextant.access");

  private RequestLogging() {}

  /** The decorator; bind it on every listener. */
  public static DecoratingHttpServiceFunction decorator(boolean accessLog) {
    return (delegate, ctx, req) -> {
      String traceId = traceId(req.headers().get(HttpHeaderNames.of("traceparent")));
      ctx.setAttr(TRACE_ID, traceId);
      ctx.addAdditionalResponseHeader("x-trace-id", traceId);
      if (accessLog) ctx.log().whenComplete().thenAccept(log -> logAccess(ctx, log));
      return delegate.serve(ctx, req);
    };
  }

  /** The trace id of a {@code traceparent} value, or a new random one when it is absent or malformed. */
  static String traceId(String traceparent) {
    if (traceparent != null) {
      String[] parts = traceparent.trim().split("-");
      if (parts.length >= 4 && parts[1].length() == 32 && parts[1].matches("[0-9a-f]{32}")
          && !parts[1].equals("0".repeat(32))) {
        return parts[1];
      }
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format(Locale.ROOT, "%016x%016x", r.nextLong(), r.nextLong());
  }

  /** Puts the request's ids in the log context of the current thread; pair with {@link #exit()}. */
  static void enter(ServiceRequestContext ctx) {
    put("trace_id", ctx.attr(TRACE_ID));
    put("project_id", ctx.attr(PROJECT_ID));
    put("run_id", ctx.attr(RUN_ID));
  }

  static void exit() {
    MDC.remove("trace_id");
    MDC.remove("project_id");
    MDC.remove("run_id");
  }

  /** Records the project a request acts on, for its log lines. */
  static void project(ServiceRequestContext ctx, String projectId) {
    ctx.setAttr(PROJECT_ID, projectId);
    put("project_id", projectId);
  }

  /** Records the run a request is about, for its log lines. */
  static void run(ServiceRequestContext ctx, String runId) {
    ctx.setAttr(RUN_ID, runId);
    put("run_id", runId);
  }

  private static void put(String key, String value) {
    if (value != null) MDC.put(key, value);
  }

  private static void logAccess(ServiceRequestContext ctx, RequestLog log) {
    enter(ctx);
    try {
      access.info("{} {} {} {} ms", ctx.method(), ctx.path(), log.responseHeaders().status().code(),
          String.format(Locale.ROOT, "%.1f", log.totalDurationNanos() / 1e6));
    } finally {
      exit();
    }
  }
}
