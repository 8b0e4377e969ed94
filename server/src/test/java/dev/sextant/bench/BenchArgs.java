package dev.sextant.bench;

/** Command-line options of the benchmark mains: {@code --name value} pairs. */
public final class BenchArgs {
  private BenchArgs() {}

  /** The value after {@code name}, or {@code fallback} when it is not given. */
  public static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }
}
