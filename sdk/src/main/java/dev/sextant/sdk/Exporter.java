package dev.sextant.sdk;

import java.nio.file.Path;

/**
 * Where finished records go. An exporter is called from one thread at a time (the SDK's worker
 * thread in async mode, the thread that ends a run in inline mode) and may block and throw: the SDK
 * catches everything it throws, counts the batch as failed and goes on.
 */
@FunctionalInterface
public interface Exporter {

  /** Sends or writes one batch; returns normally only when the batch is delivered. */
  void export(Batch batch) throws Exception;

  /** Releases resources; called once when the SDK closes. */
  default void close() throws Exception {}

  /**
   * An exporter that appends each batch as one line of JSON to {@code file}, in exactly the body
   * format of {@code POST /v1/ingest}, so a line can be replayed to a server as it is.
   */
  static Exporter jsonLines(Path file) {
    return new JsonLinesExporter(file);
  }
}
