package dev.sextant.bench;

import dev.sextant.ingest.IngestPipeline;
import dev.sextant.ingest.Pseudonyms;
import dev.sextant.model.Batch;
import dev.sextant.model.ContentPolicy;
import dev.sextant.model.Limits;
import dev.sextant.protocol.otlp.OtlpDecoder;
import dev.sextant.protocol.sextant.NativeDecoder;
import dev.sextant.store.Project;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request thread's part of ingest, in process: {@link IngestLoad}'s body with ids and times of
 * its own per request, decoded, validated, scrubbed under {@code redacted} and made into the
 * {@link WriteBatch} the writer would be given.
 */
final class RequestPath {
  private final String protocol;
  private final IngestLoad.Body body;
  private final IngestPipeline pipeline;
  private final NativeDecoder nativeDecoder = new NativeDecoder(Limits.DEFAULT);
  private final OtlpDecoder otlpDecoder = new OtlpDecoder(Limits.DEFAULT);
  private final Project project = new Project("bench", "bench", ContentPolicy.REDACTED, Instant.EPOCH);
  private final List<WriteBatch> queued = new ArrayList<>();
  private long seq;

  /** @param protocol {@code native} or {@code otlp}; each request holds {@code runs} runs of {@code steps} steps */
  RequestPath(String protocol, int runs, int steps) {
    this(protocol, runs, steps, false);
  }

  /** @param timeIds run ids that begin with the time ({@code IngestLoad --run-ids time}) rather than look random */
  RequestPath(String protocol, int runs, int steps, boolean timeIds) {
    this.protocol = protocol;
    this.body = IngestLoad.Body.of(protocol, "bench", 0, runs, steps, timeIds);
    byte[] secret = new byte[32];
    this.pipeline = new IngestPipeline(Limits.DEFAULT, new Pseudonyms((id, candidate) -> secret, () -> secret),
        batch -> {
          queued.add(batch);
          return CompletableFuture.completedFuture(null);
        }, new SimpleMeterRegistry());
  }

  /** The next request's write batch. */
  WriteBatch next() {
    body.patch(seq++, System.currentTimeMillis());
    ByteArrayInputStream in = new ByteArrayInputStream(body.bytes);
    Batch<?> batch = protocol.equals("otlp") ? otlpDecoder.decodeProtobuf(in) : nativeDecoder.decode(in);
    queued.clear();
    pipeline.ingest(project, batch, protocol).join();
    return queued.get(0);
  }
}
