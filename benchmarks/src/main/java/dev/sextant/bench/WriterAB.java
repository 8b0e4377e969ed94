package dev.sextant.bench;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The single writer's CPU per step of two builds, measured in one JVM, turn about: each build is
 * loaded by a class loader of its own (its benchmarks jar, with {@link WriterCpu}), gets a store of
 * its own, and writes ten commit groups per turn, the first build first on even turns and second on
 * odd ones. Whatever slows the machine during the run slows both alike, so the two sums compare
 * where separate runs of the same build differ by 10-30 % here. The first fifth of the turns warms
 * up and is not counted. It needs nothing but the JDK on its own class path, so that it can compare
 * builds older than itself; {@code benchmarks/writer-ab.sh} builds two revisions and runs it.
 *
 * <pre>
 * java -cp DIR_OF_THIS_CLASS dev.sextant.bench.WriterAB A_CLASSPATH B_CLASSPATH [protocol runs group turns]
 * </pre>
 */
public final class WriterAB {
  private static final int GROUPS_PER_TURN = 10;
  private static final int STEPS = 20;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: WriterAB A_CLASSPATH B_CLASSPATH [protocol runs-per-request requests-per-group turns]");
      System.exit(2);
    }
    String protocol = args.length > 2 ? args[2] : "native";
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int group = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    int turns = args.length > 5 ? Integer.parseInt(args[5]) : 200;
    IntToLongFunction[] builds = {load(args[0], protocol, runs, group), load(args[1], protocol, runs, group)};
    long[] cpu = new long[2];
    long steps = 0;
    for (int turn = 0; turn < turns; turn++) {
      boolean counted = turn >= turns / 5;
      for (int k = 0; k < 2; k++) {
        int build = turn % 2 == 0 ? k : 1 - k;
        long ns = builds[build].applyAsLong(GROUPS_PER_TURN);
        if (counted) cpu[build] += ns;
      }
      if (counted) steps += (long) GROUPS_PER_TURN * group * runs * STEPS;
    }
    double a = cpu[0] / 1000.0 / steps;
    double b = cpu[1] / 1000.0 / steps;
    System.out.printf("%s, %d runs x %d steps per request, %d requests per commit, %d steps per build counted%n",
        protocol, runs, STEPS, group, steps);
    System.out.printf("writer CPU per step: A %.3f us, B %.3f us, B/A %.3f%n", a, b, b / a);
  }

  /** A {@link WriterCpu} of the build on {@code classpath}, with its own SQLite driver and native library. */
  private static IntToLongFunction load(String classpath, String protocol, int runs, int group) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String part : classpath.split(File.pathSeparator)) urls.add(new File(part).toURI().toURL());
    URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    // DriverManager hands a class only the drivers its own loader registered
    Class.forName("org.sqlite.JDBC", true, loader);
    return (IntToLongFunction) loader.loadClass("dev.sextant.bench.WriterCpu")
        .getConstructor(String.class, int.class, int.class).newInstance(protocol, runs, group);
  }
}
