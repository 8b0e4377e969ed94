package dev.sextant.sdk;

import java.nio.file.Path;

/**
 * Where finished records go. An exporter is called from one thread at a time (the SDK's worker
 * thread in async mode, the thread that ends a run in inline mode) and may block and throw: the SDK
 * catches everything it throws, counts the batch as failed and goes on.
 *
 * <p>The SDK calls {@link #exportWithResult}, which by default calls {@link #export} and counts the
 * whole batch as exported. An exporter that can deliver part of a batch overrides it to say so, and
 * {@link Sextant#stats()} counts those records as failed or dropped instead.
 */
@FunctionalInterface
public interface Exporter {

  /** Sends or writes one batch; returns normally only when the batch is delivered. */
  void export(Batch batch) throws Exception;

  /**
   * Sends or writes one batch and says which of its records were not delivered; the rest count as
   * exported. Throwing counts the whole batch as failed. The default calls {@link #export} and
   * reports everything delivered. An exporter that overrides this should make {@link #export} do the
   * same, ignoring the result.
   */
  default Result exportWithResult(Batch batch) throws Exception {
    export(batch);
    return Result.DELIVERED;
  }

  /**
   * What became of a batch's records that were not delivered. Counts above the batch's size are
   * capped at it.
   *
   * @param rejected records the receiver refused; counted in {@link Stats#failed()}
   * @param dropped records the exporter discarded itself, for example over a buffer limit; counted
   *     in {@link Stats#dropped()}
   */
  record Result(int rejected, int dropped) {

    /** Every record delivered. */
    public static final Result DELIVERED = new Result(0, 0);

    public Result {
      rejected = Math.max(0, rejected);
      dropped = Math.max(0, dropped);
    }
  }

  /** Releases resources; called once when the SDK closes. */
  default void close() throws Exception {}

  /**
   * An exporter that appends each batch as one line of JSON to {@code file}, in exactly the body
   * format of {@code POST /v1/ingest}, so a line can be replayed to a server as it is.
   */
  static Exporter jsonLines(Path file) {
    return new JsonLinesExporter(file);
  }

  /**
   * An exporter that hands every batch to each of {@code exporters} in turn. A failing exporter is
   * logged and skipped; the batch counts as exported when at least one delivered it, as failed when
   * all threw. {@code close()} closes each of them.
   */
  static Exporter composite(Exporter... exporters) {
    return new CompositeExporter(java.util.List.of(exporters));
  }

  /**
   * An exporter that writes each finished run to {@code <dir>/<run_id>.json} with its steps as a
   * nested tree ({@code {"run": {…}, "steps": [{…, "children": […]}]}}). The SDK adds one by itself
   * when {@code SEXTANT_RUN_DIR} names a directory.
   */
  static Exporter runFiles(Path dir) {
    return new RunFileExporter(dir);
  }
}
