package dev.sextant.bench;

import dev.sextant.cost.PriceTable;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two halves of the server's ingest, apart, on one thread, with {@link IngestLoad}'s bodies
 * (5 runs of 20 steps per request): {@code request} is what a request's thread does (decode,
 * validate, scrub under {@code redacted}, build the {@link WriteBatch}); {@code write} is what the
 * single writer does with a group of 8 such requests ({@code SqliteStore.write}, one transaction,
 * into a SQLite file under {@code java.io.tmpdir}, with {@code synchronous=OFF} so that the disk
 * does not blur the CPU). Both figures are per step; the writer's store grows as it runs, by about
 * 2 M steps per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class IngestPathBenchmark {
  private static final int RUNS = 5;
  private static final int STEPS = 20;
  private static final int GROUP = 8;

  @Param({"native", "otlp"})
  public String protocol;

  private RequestPath requests;
  private Path dir;
  private SqliteStore store;
  private List<WriteBatch> group;

  @Setup
  public void setUp() throws IOException {
    requests = new RequestPath(protocol, RUNS, STEPS);
    dir = Files.createTempDirectory("sextant-ingest-path");
    store = SqliteStore.builder().file(dir.resolve("sextant.db")).synchronous("OFF").prices(PriceTable.builtIn())
        .build();
    store.migrate();
  }

  @TearDown
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  @Benchmark
  @OperationsPerInvocation(RUNS * STEPS)
  public WriteBatch request_perStep() {
    return requests.next();
  }

  @Setup(Level.Invocation)
  public void nextGroup() {
    group = new ArrayList<>(GROUP);
    for (int i = 0; i < GROUP; i++) group.add(requests.next());
  }

  @Benchmark
  @OperationsPerInvocation(GROUP * RUNS * STEPS)
  public void write_perStep() {
    store.write(group);
  }
}
