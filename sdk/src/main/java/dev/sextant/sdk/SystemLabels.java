package dev.sextant.sdk;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels the SDK sets on every run: which SDK, runtime, host, OS and process produced it. Read
 * once, on the first run rather than in the builder, because the host name may need a lookup.
 */
final class SystemLabels {

  private SystemLabels() {}

  private static final class Holder {
    static final Map<String, String> LABELS = read(System.getenv());
  }

  static Map<String, String> get() {
    return Holder.LABELS;
  }

  static Map<String, String> read(Map<String, String> env) {
    Map<String, String> labels = new LinkedHashMap<>();
    String version = Sextant.class.getPackage().getImplementationVersion();
    labels.put("sextant_sdk_version", version == null ? "dev" : version);
    labels.put("sextant_runtime", "java-" + Runtime.version());
    String host = host(env);
    if (host != null) {
      labels.put("sextant_host", Values.truncate(host, Values.MAX_LABEL_VALUE_CHARS));
    }
    labels.put("sextant_os", (System.getProperty("os.name", "unknown") + "-" + System.getProperty("os.arch", "unknown"))
        .toLowerCase(Locale.ROOT).replace(' ', '_'));
    labels.put("sextant_pid", Long.toString(ProcessHandle.current().pid()));
    return java.util.Collections.unmodifiableMap(labels);
  }

  private static String host(Map<String, String> env) {
    for (String name : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }
}
