package io.opentelemetry.api.internal;

import java.util.Properties;

/**
 * Test-only bridge. The newest OpenAI Java instrumentation on our Maven mirror (2.31.1-alpha)
 * brings the 1.65 API incubator, which calls this class; OpenTelemetry 1.67 moved it to
 * {@code io.opentelemetry.common.impl.ConfigUtil}. Forwarding here lets the compatibility test run
 * the instrumentation on the 1.67 SDK that users of the exporters have. Remove it once an
 * instrumentation release built on 1.67 is available.
 */
public final class ConfigUtil {
  private ConfigUtil() {}

  public static Properties safeSystemProperties() {
    return io.opentelemetry.common.impl.ConfigUtil.safeSystemProperties();
  }

  public static String getString(String key, String defaultValue) {
    return io.opentelemetry.common.impl.ConfigUtil.getString(key, defaultValue);
  }

  public static String normalizeEnvironmentVariableKey(String key) {
    return io.opentelemetry.common.impl.ConfigUtil.normalizeEnvironmentVariableKey(key);
  }

  public static String normalizePropertyKey(String key) {
    return io.opentelemetry.common.impl.ConfigUtil.normalizePropertyKey(key);
  }

  public static <T> T defaultIfNull(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }
}
