package dev.sextant.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real npm client packages from the compatibility-test folders: installs them with
 * {@code npm ci} from the committed lock file when needed, then runs one script with env.
 */
public final class Node {
  private Node() {}

  /** The repository folder {@code compat-tests/<name>}, found from the server module's working dir. */
  public static Path project(String name) {
    Path p = Path.of("..", "compat-tests", name).toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) throw new IllegalStateException("no compat-tests folder " + p);
    return p;
  }

  /** Runs {@code npm ci} when node_modules is missing or older than package-lock.json. */
  public static synchronized void install(Path project) {
    Path modules = project.resolve("node_modules");
    Path lock = project.resolve("package-lock.json");
    try {
      if (Files.isDirectory(modules)
          && Files.getLastModifiedTime(modules).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
        return;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Result r = run(project, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 600);
    if (r.exit != 0) throw new IllegalStateException("npm ci failed in " + project + ":\n" + r.output);
  }

  /** Runs {@code node script args...} in {@code project} with extra environment variables. */
  public static Result script(Path project, String script, Map<String, String> env, long timeoutSeconds,
      String... args) {
    List<String> cmd = new ArrayList<>(List.of("node", script));
    cmd.addAll(List.of(args));
    return run(project, cmd, env, timeoutSeconds);
  }

  private static Result run(Path dir, List<String> cmd, Map<String, String> env, long timeoutSeconds) {
    try {
      File log = Files.createTempFile("sextant-node", ".log").toFile();
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log);
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + read(log));
      }
      return new Result(p.exitValue(), read(log));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(File f) throws IOException {
    String s = Files.readString(f.toPath(), StandardCharsets.UTF_8);
    f.delete();
    return s;
  }

  /** Exit code and combined output. */
  public record Result(int exit, String output) {}
}
