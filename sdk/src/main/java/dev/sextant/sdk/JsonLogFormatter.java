package dev.sextant.sdk;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} formatter that writes each record as one JSON line carrying the run and
 * step current on the logging thread:
 *
 * <pre>{@code
 * {"time":"2026-11-22T10:00:00.123000000Z","level":"INFO","logger":"billing","thread":"main",
 *  "message":"invoice fetched","run_id":"…","step_id":"…"}
 * }</pre>
 *
 * Set it with {@code java.util.logging.ConsoleHandler.formatter=dev.sextant.sdk.JsonLogFormatter} in
 * {@code logging.properties}, or {@code handler.setFormatter(new JsonLogFormatter())}. The ids are read
 * when the record is formatted, so a handler that formats on another thread (an async handler) sees
 * that thread's run instead.
 */
public final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    JsonWriter w = new JsonWriter(256);
    w.beginObject();
    java.time.Instant at = record.getInstant();
    w.name("time").time(at.getEpochSecond() * 1_000_000_000L + at.getNano());
    w.name("level").value(record.getLevel().getName());
    if (record.getLoggerName() != null) {
      w.name("logger").value(record.getLoggerName());
    }
    w.name("thread").value(Thread.currentThread().getName());
    String message = formatMessage(record);
    w.name("message").value(message == null ? "" : message);
    Current current = Sextant.current();
    if (current.runId() != null) {
      w.name("run_id").value(current.runId());
    }
    if (current.stepId() != null) {
      w.name("step_id").value(current.stepId());
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      w.name("error").value(trace.toString());
    }
    w.endObject();
    return new String(w.toByteArray(), StandardCharsets.UTF_8) + System.lineSeparator();
  }
}
