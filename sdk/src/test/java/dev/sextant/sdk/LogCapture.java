package dev.sextant.sdk;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** Collects what the SDK logs while it is open. */
final class LogCapture extends Handler implements AutoCloseable {

  final List<String> messages = new CopyOnWriteArrayList<>();

  LogCapture() {
    SdkLog.LOGGER.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    messages.add(record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    SdkLog.LOGGER.removeHandler(this);
  }

  String all() {
    return String.join("\n", messages);
  }
}
