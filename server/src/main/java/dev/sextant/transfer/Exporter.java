package dev.sextant.transfer;

import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.protocol.sextant.NativeEncoder;
import dev.sextant.store.RecordSink;
import dev.sextant.store.RunPage;
import dev.sextant.store.RunQuery;
import dev.sextant.store.RunSummary;
import dev.sextant.store.TraceReader;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * Writes the runs of a project that match a filter to a stream, as native JSON Lines (which
 * {@code POST /v1/ingest} and {@code sextant import} read back) or as CSV of the run list. Used by
 * {@code GET /v1/export} and by {@code sextant export --data-dir}. Memory is bounded by one page of
 * runs: nothing is collected before it is written.
 */
public final class Exporter {
  /** Runs per page read from the store for CSV. */
  private static final int PAGE = 500;

  private final TraceReader store;

  public Exporter(TraceReader store) {
    this.store = store;
  }

  /** The export formats. */
  public enum Format {
    JSONL("application/x-ndjson", "jsonl"),
    CSV("text/csv", "csv");

    public final String contentType;
    public final String extension;

    Format(String contentType, String extension) {
      this.contentType = contentType;
      this.extension = extension;
    }

    /** Parses {@code jsonl} (also {@code ndjson}) or {@code csv}. */
    public static Format parse(String s) {
      if (s == null || s.equals("jsonl") || s.equals("ndjson")) return JSONL;
      if (s.equals("csv")) return CSV;
      throw new IllegalArgumentException("format must be jsonl or csv, got \"" + s + "\"");
    }
  }

  /**
   * Writes every run matching {@code filter} (or only {@code runId} when it is not null).
   *
   * @param progress called with the number of runs written so far (after each run, or each page of CSV)
   * @return how many runs were written
   */
  public long write(String projectId, RunQuery filter, String runId, Format format, OutputStream out,
      LongConsumer progress) {
    return format == Format.CSV
        ? csv(projectId, filter, runId, out, progress)
        : jsonl(projectId, filter, runId, out, progress);
  }

  private long jsonl(String projectId, RunQuery filter, String runId, OutputStream out, LongConsumer progress) {
    long[] runs = {0};
    try (NativeEncoder encoder = new NativeEncoder(out)) {
      RecordSink sink = new RecordSink() {
        @Override
        public void run(RunRecord run) {
          encoder.run(run);
          progress.accept(++runs[0]);
        }

        @Override
        public void step(StepRecord step) {
          encoder.step(step);
        }
      };
      if (runId != null) store.exportRun(projectId, runId, sink);
      else store.exportRuns(projectId, filter, sink);
      encoder.flush();
    }
    return runs[0];
  }

  private long csv(String projectId, RunQuery filter, String runId, OutputStream out, LongConsumer progress) {
    RunsCsv csv = new RunsCsv(out);
    long n = 0;
    if (runId != null) {
      RunSummary run = store.getRun(projectId, runId).map(d -> d.run()).orElse(null);
      if (run != null) {
        csv.row(run);
        n = 1;
      }
    } else {
      String cursor = null;
      do {
        RunPage page = store.listRuns(projectId, filter.withPage(PAGE, cursor));
        for (RunSummary run : page.runs()) csv.row(run);
        n += page.runs().size();
        progress.accept(n);
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    csv.flush();
    return n;
  }
}
