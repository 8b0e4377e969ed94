package dev.sextant.durability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sextant serve} as a JVM of its own, on a free port, with its API key bootstrapped: for
 * tests that kill it, restart it on the same data directory, or read its memory from {@code /proc}.
 * Its log is drained so that the pipe never fills; the lines logged at {@code ERROR} are kept.
 *
 * @param port the API port, read from the log line that announces it
 */
record ServerProcess(Process process, int port, List<String> errors) {
  private static final Pattern LISTENING = Pattern.compile("Listening: http on http://[^:]+:(\\d+)");

  /** Starts the server on {@code dataDir} with {@code key} as its API key and the given JVM options. */
  static ServerProcess start(Path dataDir, String key, List<String> jvmOptions) throws IOException {
    return start(dataDir, key, jvmOptions, List.of());
  }

  /** As {@link #start(Path, String, List)}, with more options for {@code serve} (another store). */
  static ServerProcess start(Path dataDir, String key, List<String> jvmOptions, List<String> serveOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sextant.cli.Main", "serve",
        "--port", "0", "--otlp-http-port", "-1", "--otlp-grpc-port", "-1", "--data-dir", dataDir.toString()));
    command.addAll(serveOptions);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SEXTANT_BOOTSTRAP_API_KEY", key);
    pb.environment().put("SEXTANT_BOOTSTRAP_ADMIN_PASSWORD", "process-test");
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    StringBuilder log = new StringBuilder();
    for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
      log.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        List<String> errors = new CopyOnWriteArrayList<>();
        Thread drain = new Thread(() -> {
          try {
            for (String l; (l = out.readLine()) != null; ) {
              if (l.contains(" ERROR ")) errors.add(l);
            }
          } catch (IOException ignored) {
            // the process ended
          }
        }, "server-log");
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(p, Integer.parseInt(m.group(1)), errors);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("server did not start:\n" + log);
  }

  /** Asks the server to shut down (SIGTERM); whether it ended within 30 s. */
  boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }
}
