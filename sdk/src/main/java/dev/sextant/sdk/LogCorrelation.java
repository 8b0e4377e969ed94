package dev.sextant.sdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Puts the current run and step ids into SLF4J's MDC ({@code sextant_run_id}, {@code
 * sextant_step_id}) whenever they change on a thread, so log lines carry them. Found by reflection:
 * the SDK stays JDK-only, and without SLF4J on the class path (or with {@code SEXTANT_LOG_MDC=false})
 * this costs one static check. An entry that ends on another thread leaves the MDC as it was until
 * the owning thread changes its current entry again.
 */
final class LogCorrelation {

  static final String RUN_KEY = "sextant_run_id";
  static final String STEP_KEY = "sextant_step_id";

  private static final MethodHandle PUT;
  private static final MethodHandle REMOVE;

  static {
    MethodHandle put = null;
    MethodHandle remove = null;
    if (!"false".equalsIgnoreCase(String.valueOf(System.getenv("SEXTANT_LOG_MDC")).strip())) {
      try {
        Class<?> mdc = Class.forName("org.slf4j.MDC", true, LogCorrelation.class.getClassLoader());
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        put = lookup.findStatic(mdc, "put", MethodType.methodType(void.class, String.class, String.class));
        remove = lookup.findStatic(mdc, "remove", MethodType.methodType(void.class, String.class));
      } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
        put = null;
        remove = null;
      }
    }
    PUT = put;
    REMOVE = remove;
  }

  private LogCorrelation() {}

  static boolean enabled() {
    return PUT != null;
  }

  /** Makes the MDC show {@code top}, the thread's current entry now (or {@code null}). */
  static void show(ScopeNode top) {
    if (PUT == null) {
      return;
    }
    try {
      if (top instanceof SpanStep step) {
        PUT.invokeExact(RUN_KEY, step.run.id);
        PUT.invokeExact(STEP_KEY, Ids.hex(step.id));
      } else if (top instanceof SpanRun run) {
        PUT.invokeExact(RUN_KEY, run.id);
        REMOVE.invokeExact(STEP_KEY);
      } else {
        REMOVE.invokeExact(RUN_KEY);
        REMOVE.invokeExact(STEP_KEY);
      }
    } catch (Throwable ignored) {
      // a broken logging set-up must not reach the application
    }
  }
}
