package dev.sextant.bench;

import dev.sextant.cost.PriceTable;
import dev.sextant.store.WriteBatch;
import dev.sextant.store.sqlite.SqliteStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * One build's single writer, for {@link WriterAB}: a SQLite store of its own ({@code
 * synchronous=OFF}, so the disk's waits stay out) fed {@link IngestLoad}'s bodies through the
 * request path. {@link #applyAsLong} makes {@code groups} commit groups of {@code group} requests
 * (each prepared as a request thread would), then writes them, and answers the CPU time of the
 * writes alone, in nanoseconds of the calling thread. Public, with a constructor of three plain
 * arguments, so that a class loader of another build can make one.
 */
public final class WriterCpu implements IntToLongFunction {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final RequestPath requests;
  private final SqliteStore store;
  private final int group;

  public WriterCpu(String protocol, int runs, int group) throws IOException {
    this.requests = new RequestPath(protocol, runs, 20);
    this.group = group;
    this.store = SqliteStore.builder().file(Files.createTempDirectory("sextant-writer-ab").resolve("sextant.db"))
        .synchronous("OFF").prices(PriceTable.builtIn()).build();
    store.migrate();
  }

  @Override
  public long applyAsLong(int groups) {
    List<List<WriteBatch>> writes = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      List<WriteBatch> write = new ArrayList<>(group);
      for (int i = 0; i < group; i++) {
        WriteBatch b = requests.next();
        store.prepare(b);
        write.add(b);
      }
      writes.add(write);
    }
    long start = THREADS.getCurrentThreadCpuTime();
    for (List<WriteBatch> write : writes) store.write(write);
    return THREADS.getCurrentThreadCpuTime() - start;
  }
}
