package dev.sextant.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.IngestResult;
import dev.sextant.ingest.Overloaded;
import dev.sextant.model.Batch;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Json;
import dev.sextant.model.Position;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.protocol.BadRequest;
import dev.sextant.protocol.sextant.NativeDecoder;
import dev.sextant.store.Project;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;

/**
 * Reads an export or a seed SDK's file and ingests it through the pipeline, so validation, the
 * content policy and idempotent merging hold exactly as on {@code POST /v1/ingest}. Records go in
 * chunks of {@link #CHUNK} items, each committed before the next is read, so memory stays bounded
 * for native JSON Lines however long the file.
 */
public final class Importer {
  static final int CHUNK = 1000;

  private final IngestPipeline pipeline;
  private final NativeDecoder nativeDecoder;

  public Importer(IngestPipeline pipeline) {
    this.pipeline = pipeline;
    this.nativeDecoder = new NativeDecoder(pipeline.limits());
  }

  /** What an import committed, and each problem with where in the input it was. */
  public record Result(long runs, long steps, List<Problem> errors) {}

  /** One rejected item: {@code line} for JSON Lines (1-based), else 0; {@code kind} run or step. */
  public record Problem(long line, String kind, String message) {}

  /** Where an item waiting to be ingested came from: its input line (0 when not JSON Lines) and kind. */
  private record Source(long line, String kind) {}

  /**
   * Imports {@code in} in {@code format} into {@code project}.
   *
   * @param progress called with the number of input bytes consumed so far
   * @throws BadRequest when the input as a whole cannot be read in that format
   */
  public Result importFrom(Project project, ImportFormat format, InputStream in, LongConsumer progress) {
    Counting counted = new Counting(in, progress);
    Chunks chunks = new Chunks(project);
    if (format == ImportFormat.NATIVE) {
      readLines(counted, chunks);
    } else {
      ObjectMapper mapper = Json.create(pipeline.limits());
      Batch<Position> batch = format.decoder().decode(mapper, counted);
      for (ItemError<Position> e : batch.errors()) chunks.problems.add(new Problem(0, e.ref().kind(), e.message()));
      for (RunRecord r : batch.runRecords()) chunks.add(r, 0);
      for (StepRecord s : batch.stepRecords()) chunks.add(s, 0);
    }
    chunks.flush();
    return new Result(chunks.runsDone, chunks.stepsDone, chunks.problems);
  }

  private void readLines(InputStream in, Chunks chunks) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) continue;
        Batch<Position> b;
        try {
          b = nativeDecoder.decode(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
        } catch (BadRequest e) {
          chunks.problems.add(new Problem(n, "line", e.getMessage()));
          continue;
        }
        for (ItemError<Position> e : b.errors()) chunks.problems.add(new Problem(n, e.ref().kind(), e.message()));
        for (RunRecord run : b.runRecords()) chunks.add(run, n);
        for (StepRecord step : b.stepRecords()) chunks.add(step, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records waiting to be ingested, with the input line of each. */
  private final class Chunks {
    final Project project;
    final List<Item<RunRecord, Source>> runs = new ArrayList<>();
    final List<Item<StepRecord, Source>> steps = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    long runsDone;
    long stepsDone;

    Chunks(Project project) {
      this.project = project;
    }

    void add(RunRecord r, long line) {
      runs.add(new Item<>(r, new Source(line, "run")));
      if (runs.size() + steps.size() >= CHUNK) flush();
    }

    void add(StepRecord s, long line) {
      steps.add(new Item<>(s, new Source(line, "step")));
      if (runs.size() + steps.size() >= CHUNK) flush();
    }

    void flush() {
      if (runs.isEmpty() && steps.isEmpty()) return;
      IngestResult<Source> r = ingest(new Batch<>(runs, steps, List.of()));
      runsDone += r.acceptedRuns();
      stepsDone += r.acceptedSteps();
      for (ItemError<Source> e : r.errors()) problems.add(new Problem(e.ref().line(), e.ref().kind(), e.message()));
      runs.clear();
      steps.clear();
    }

    /** Waits while the write queue is full: an import is a bulk load, not a client to refuse. */
    private IngestResult<Source> ingest(Batch<Source> batch) {
      for (int attempt = 0; ; attempt++) {
        try {
          return pipeline.ingest(project, batch, "import").join();
        } catch (Overloaded e) {
          if (e.reason() != Overloaded.Reason.QUEUE_FULL || attempt == 600) throw e;
          sleep(100);
        } catch (CompletionException e) {
          if (e.getCause() instanceof RuntimeException re) throw re;
          throw e;
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the write queue was full", e);
    }
  }

  /** Counts the bytes read, for a progress bar. */
  private static final class Counting extends java.io.FilterInputStream {
    private final LongConsumer progress;
    private long read;

    Counting(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) progress.accept(++read);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) progress.accept(read += n);
      return n;
    }
  }
}
