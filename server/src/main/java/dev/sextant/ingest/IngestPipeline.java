package dev.sextant.ingest;

import dev.sextant.model.RequestTooLarge;
import dev.sextant.model.StepTypes;
import dev.sextant.forward.Forwarder;
import dev.sextant.model.Batch;
import dev.sextant.model.Item;
import dev.sextant.model.ItemError;
import dev.sextant.model.Limits;
import dev.sextant.model.RunRecord;
import dev.sextant.model.StepRecord;
import dev.sextant.model.Validator;
import dev.sextant.store.Project;
import dev.sextant.store.Score;
import dev.sextant.store.WriteBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared part of every ingest path: validate each item (a bad item is rejected, the rest goes
 * on), normalise, apply the project's content policy ({@link Scrubber}, to every string of every
 * record), then queue for a durable group commit.
 * Decoders turn their protocol into a {@link Batch}; everything after that happens here, once.
 * Each rejected item is reported under the reference its decoder gave it.
 *
 * <p>At most as many requests as there are processors are validated and scrubbed at once (the
 * longest part of a request after its decoding, a scan of every string). Under overload more
 * requests at once would only share the processors, and the writer with them: each would take as
 * much longer, and the oldest would be acknowledged last. The gate is fair, so requests go on in
 * the order they reached it.
 *
 * <p>With {@link #poolRequests()} the ingest endpoints authenticate and decode their requests on a
 * pool of as many threads as processors (at least two), for the same reason: on two processors,
 * sixteen requests at once on as many threads of the blocking executor kept the single writer
 * waiting for a processor a quarter of the time (server/RATIONALE.md, "Ingest requests on a pool
 * of their own").
 */
public final class IngestPipeline implements AutoCloseable {
  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
  private final Semaphore scrubbing = new Semaphore(PROCESSORS, true);
  private volatile ExecutorService requests;

  private final Limits limits;
  private final Validator validator;
  private final Scrubber scrubber;
  private final BatchQueue queue;
  private final MeterRegistry metrics;
  private final Forwarder forwarder;

  public IngestPipeline(Limits limits, Pseudonyms pseudonyms, BatchQueue queue, MeterRegistry metrics) {
    this(limits, pseudonyms, queue, metrics, null);
  }

  /** @param forwarder gets every committed batch, or null when nothing is forwarded */
  public IngestPipeline(Limits limits, Pseudonyms pseudonyms, BatchQueue queue, MeterRegistry metrics,
      Forwarder forwarder) {
    this.forwarder = forwarder;
    this.limits = limits;
    this.validator = new Validator(limits);
    this.scrubber = new Scrubber(pseudonyms);
    this.queue = queue;
    this.metrics = metrics;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Gives ingest requests a pool of their own ({@link #requests}). For a store on the same machine:
   * the pool's threads also wait for the store's reads (the credential, the project), which are
   * quick there.
   */
  public synchronized IngestPipeline poolRequests() {
    if (requests == null) {
      AtomicInteger n = new AtomicInteger();
      ExecutorService threads = Executors.newFixedThreadPool(Math.max(2, PROCESSORS), r -> {
        Thread t = new Thread(r, "sextant-ingest-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      // sextant_ingest_executor_*{name="requests"}: its threads, its queue, the time waited in it
      requests = ExecutorServiceMetrics.monitor(metrics, threads, "requests", "sextant.ingest");
    }
    return this;
  }

  /**
   * Where ingest endpoints authenticate and decode a request, after {@link #poolRequests}: a fixed
   * pool of as many threads as processors, at least two, started by the first requests, taking
   * requests in the order they come; null without it (the endpoints use the blocking executor).
   * Once the pipeline is closed it refuses requests as {@link Overloaded}.
   */
  public Executor requests() {
    ExecutorService pool = requests;
    if (pool == null) return null;
    return request -> {
      try {
        pool.execute(request);
      } catch (RejectedExecutionException e) {
        throw Overloaded.shuttingDown();
      }
    };
  }

  /** Stops the request pool: requests already handed to it are still decoded, later ones refused (503). */
  @Override
  public synchronized void close() {
    if (requests != null) requests.shutdown();
  }

  /** {@code score} under the project's content policy, as it may be stored. */
  public Score scrub(Project project, Score score) {
    return scrubber.apply(project, score);
  }

  /**
   * Ingests one decoded request for {@code project}. The future completes after the accepted items
   * are committed.
   *
   * @param protocol label for metrics, e.g. {@code native}, {@code otlp}
   * @throws RequestTooLarge when the request has more items than a request may carry
   * @throws Overloaded when the queue is full (the request is refused whole)
   */
  public <R> CompletableFuture<IngestResult<R>> ingest(Project project, Batch<R> batch, String protocol) {
    if (batch.sentRuns() > limits.maxRunsPerRequest()) {
      throw new RequestTooLarge("the request has " + batch.sentRuns() + " runs; at most "
          + limits.maxRunsPerRequest() + " are accepted per request, split it");
    }
    if (batch.sentSteps() > limits.maxStepsPerRequest()) {
      throw new RequestTooLarge("the request has " + batch.sentSteps() + " steps; at most "
          + limits.maxStepsPerRequest() + " are accepted per request, split it");
    }
    List<ItemError<R>> errors = new ArrayList<>(batch.errors());
    List<RunRecord> runs = new ArrayList<>(batch.runs().size());
    List<StepRecord> steps = new ArrayList<>(batch.steps().size());
    scrubbing.acquireUninterruptibly();
    try {
      admit(project, batch, errors, runs, steps);
    } finally {
      scrubbing.release();
    }
    Counter.builder("sextant_ingest_rejected_items").tag("protocol", protocol).register(metrics)
        .increment(errors.size());
    IngestResult<R> result = new IngestResult<>(runs.size(), steps.size(), List.copyOf(errors));
    if (runs.isEmpty() && steps.isEmpty()) return CompletableFuture.completedFuture(result);
    WriteBatch write = new WriteBatch(project.projectId(), runs, steps);
    CompletableFuture<Void> committed = queue.submit(write);
    return committed.thenApply(ignored -> {
      if (forwarder != null) forwarder.offer(project.projectId(), write);
      Counter.builder("sextant_ingest_accepted_items").tag("protocol", protocol).tag("kind", "run")
          .register(metrics).increment(runs.size());
      Counter.builder("sextant_ingest_accepted_items").tag("protocol", protocol).tag("kind", "step")
          .register(metrics).increment(steps.size());
      return result;
    });
  }

  /** Validates, normalises and scrubs every item: the valid ones into {@code runs} and {@code steps}. */
  private <R> void admit(Project project, Batch<R> batch, List<ItemError<R>> errors, List<RunRecord> runs,
      List<StepRecord> steps) {
    for (Item<RunRecord, R> item : batch.runs()) {
      String problem = validator.checkRun(item.record());
      if (problem != null) {
        errors.add(new ItemError<>(item.ref(), problem));
        continue;
      }
      runs.add(scrubber.apply(project, item.record()));
    }
    for (Item<StepRecord, R> item : batch.steps()) {
      StepRecord s = item.record();
      String problem = validator.checkStep(s);
      if (problem != null) {
        errors.add(new ItemError<>(item.ref(), problem));
        continue;
      }
      steps.add(scrubber.apply(project, s.toBuilder().type(StepTypes.normalize(s.type())).build()));
    }
  }
}
