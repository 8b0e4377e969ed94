package dev.sextant.sdk;

import java.util.List;
import java.util.logging.Level;

/**
 * Hands every batch to several exporters in turn. One exporter's failure is logged and does not keep
 * the batch from the others; the batch counts as exported when at least one exporter delivered it,
 * and as failed only when all of them threw.
 */
final class CompositeExporter implements Exporter {

  private final List<Exporter> exporters;

  CompositeExporter(List<Exporter> exporters) {
    this.exporters = List.copyOf(exporters);
  }

  @Override
  public void export(Batch batch) throws Exception {
    exportWithResult(batch);
  }

  @Override
  public Result exportWithResult(Batch batch) throws Exception {
    Result best = null;
    Exception first = null;
    for (Exporter exporter : exporters) {
      try {
        Result result = exporter.exportWithResult(batch);
        if (best == null || undelivered(result) < undelivered(best)) {
          best = result;
        }
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
        SdkLog.LOGGER.log(Level.WARNING, "Sextant: exporter " + exporter.getClass().getName()
            + " failed; the other exporters still got the batch", e);
      }
    }
    if (best == null) {
      throw new ExportException("all " + exporters.size() + " exporters failed; the first with: " + first);
    }
    return best;
  }

  private static int undelivered(Result result) {
    return result.rejected() + result.dropped();
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (Exporter exporter : exporters) {
      try {
        exporter.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
