package dev.sextant.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Async export: producers put records into a bounded lock-free queue and return; one daemon worker
 * takes batches (by size, or after the flush interval) and exports them. A full queue drops and
 * counts, it never blocks. Producers wake the worker only when a full batch is waiting, so a step
 * costs no context switch; and while records keep coming (the last wait ended with a full batch) the
 * worker looks again after a short timed sleep instead of asking to be woken, so under load
 * producers do not pay for waking it either.
 *
 * <p>Every record ends in exactly one counter: {@code exported}, {@code failed}, or {@code dropped}.
 * Records produced after {@code close()} began are dropped; records still queued when the worker
 * stops are drained by {@code close()} and dropped.
 */
final class AsyncPipeline extends Pipeline {

  private final MpscQueue<Object> queue;
  private final int maxBatch;
  private final long flushIntervalNanos;
  private final ReentrantLock consumerLock = new ReentrantLock();
  /** The batch the worker took last and the one before; guarded by the consumer lock. */
  private List<Object> lastBatch;
  private List<Object> previousBatch;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closeStarted = new AtomicBoolean();
  private final Object settledSignal = new Object();
  private final String queueFullMessage;
  /** How long the worker sleeps between looks while records keep coming; well below the time a burst takes to fill the queue. */
  private static final long BUSY_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  /** Looks without a full batch after which the worker asks producers to wake it again. */
  private static final int BUSY_POLLS = 5;

  private volatile Thread worker;
  /** Set by the worker before it parks; the producer that clears it is the one that wakes it. */
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private volatile boolean flushRequested;
  private volatile boolean closing;
  private volatile boolean terminated;

  AsyncPipeline(Sextant sdk, Exporter exporter) {
    super(sdk, exporter);
    this.queue = new MpscQueue<>(sdk.config.queueCapacity());
    this.maxBatch = sdk.config.maxBatchSize();
    this.flushIntervalNanos = sdk.config.flushInterval().toNanos();
    this.queueFullMessage = "the export queue is full (" + queue.capacity()
        + " records); new records are dropped until the exporter catches up. Is the collector down or slow?";
  }

  @Override
  void stepEnded(SpanRun run, SpanStep step) {
    if (run.announce()) {
      // under the run's monitor, so a "running" snapshot can never be queued after the final one
      synchronized (run) {
        if (!run.isEnded()) {
          add(run.snapshot(RunStatus.RUNNING));
        }
      }
    }
    add(step);
  }

  @Override
  void runEnded(SpanRun run, RunData snapshot) {
    run.announce();
    add(snapshot);
  }

  /** Records accepted by the queue are counted by the queue itself; the rest here. */
  private void add(Object record) {
    if (closing || !queue.offer(record)) {
      drop();
      return;
    }
    if (terminated) {
      drainAsDropped();
      return;
    }
    Thread w = worker;
    if (w == null) {
      startWorker();
    } else if (sleeping.get() && queue.size() >= maxBatch && sleeping.compareAndSet(true, false)) {
      LockSupport.unpark(w);
    }
  }

  private void drop() {
    counters.produced.increment();
    counters.dropped.increment();
    if (!closing) {
      sdk.log.warn("queue-full", queueFullMessage);
    }
  }

  private void startWorker() {
    if (started.compareAndSet(false, true)) {
      Thread thread = new Thread(this::work, "sextant-exporter");
      thread.setDaemon(true);
      // not the context class loader of whichever application thread happened to start it
      thread.setContextClassLoader(AsyncPipeline.class.getClassLoader());
      thread.setUncaughtExceptionHandler((t, e) -> sdk.internalError(e));
      worker = thread;
      thread.start();
    }
  }

  private void work() {
    List<Object> records = new ArrayList<>(maxBatch);
    List<Object> spare = new ArrayList<>(maxBatch);
    boolean busy = false;
    while (!terminated && !Thread.currentThread().isInterrupted()) {
      try {
        busy = awaitWork(busy);
        int n;
        do {
          n = drain(records);
          if (n > 0) {
            export(records);
            signalSettled();
            // the two lists take turns, so the batch just sent stays searchable until the next
            // but one drain (see lastEndedStep)
            List<Object> sent = records;
            records = spare;
            spare = sent;
          }
        } while (n > 0
            && !terminated
            && !Thread.currentThread().isInterrupted()
            && (queue.size() >= maxBatch || closing || flushRequested));
        if (queue.size() == 0) {
          if (closing) {
            break;
          }
          if (flushRequested) {
            flushRequested = false;
            if (queue.size() > 0) {
              flushRequested = true;
            }
            signalSettled();
          }
        }
      } catch (Throwable t) {
        records.clear();
        sdk.internalError(t);
      }
    }
    signalSettled();
  }

  /**
   * Returns when a full batch waits, the flush interval passed, or a flush or close was asked for.
   * {@code busy}: the previous wait ended with a full batch, so the worker first polls a few times
   * with short timed sleeps, during which producers never wake it. Returns whether this wait ended
   * with a full batch.
   */
  private boolean awaitWork(boolean busy) {
    long deadline = System.nanoTime() + flushIntervalNanos;
    int polls = busy ? BUSY_POLLS : 0;
    while (!closing && !flushRequested && !terminated) {
      if (queue.size() >= maxBatch) {
        return true;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      if (polls > 0) {
        polls--;
        LockSupport.parkNanos(this, Math.min(remaining, BUSY_POLL_NANOS));
        continue;
      }
      sleeping.set(true);
      try {
        if (!closing && !flushRequested && queue.size() < maxBatch) {
          LockSupport.parkNanos(this, remaining);
        }
      } finally {
        sleeping.set(false);
      }
    }
    return false;
  }

  /** Fills {@code out}, which holds the batch before last (or nothing), under the consumer lock. */
  private int drain(List<Object> out) {
    consumerLock.lock();
    try {
      out.clear();
      int n = 0;
      Object record;
      while (n < maxBatch && (record = queue.poll()) != null) {
        out.add(record);
        n++;
      }
      if (n > 0) {
        previousBatch = lastBatch;
        lastBatch = out;
      }
      inFlight.addAndGet(n);
      return n;
    } finally {
      consumerLock.unlock();
    }
  }

  private void export(List<Object> records) {
    int n = records.size();
    try {
      exportAndCount(batch(records), n);
    } finally {
      inFlight.addAndGet(-n);
    }
  }

  /** Steps and run snapshots in queue order, with only the newest snapshot of each run. */
  private static Batch batch(List<Object> records) {
    List<RunData> runs = new ArrayList<>();
    List<StepData> steps = new ArrayList<>(records.size());
    for (Object record : records) {
      if (record instanceof StepData step) {
        steps.add(step);
      } else {
        runs.add((RunData) record);
      }
    }
    if (runs.size() > 1) {
      runs = latestPerRun(runs);
    }
    return new Batch(Collections.unmodifiableList(runs), Collections.unmodifiableList(steps));
  }

  /**
   * Keeps only the newest snapshot of each run: a short run's {@code running} snapshot and its final
   * one often land in the same batch, and the final one says everything the first did. A replaced
   * snapshot counts as exported with the one that replaced it.
   */
  static List<RunData> latestPerRun(List<RunData> runs) {
    java.util.LinkedHashMap<String, RunData> latest = new java.util.LinkedHashMap<>();
    for (RunData run : runs) {
      latest.remove(run.runId());
      latest.put(run.runId(), run);
    }
    return latest.size() == runs.size() ? runs : new ArrayList<>(latest.values());
  }

  private void drainAsDropped() {
    consumerLock.lock();
    try {
      long n = 0;
      while (queue.poll() != null) {
        n++;
      }
      counters.dropped.add(n);
    } finally {
      consumerLock.unlock();
    }
  }

  private void signalSettled() {
    synchronized (settledSignal) {
      settledSignal.notifyAll();
    }
  }

  @Override
  boolean flush(long timeoutNanos) {
    long target = counters.produced.sum() + queue.offered();
    long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
    flushRequested = true;
    Thread w = worker;
    if (w != null) {
      LockSupport.unpark(w);
    }
    synchronized (settledSignal) {
      while (counters.settled() < target) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        if (worker == null || terminated) {
          return counters.settled() >= target;
        }
        try {
          settledSignal.wait(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(remaining))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  @Override
  void close(long timeoutNanos) {
    if (!closeStarted.compareAndSet(false, true)) {
      return;
    }
    closing = true;
    Thread w = worker;
    boolean workerStopped = true;
    if (w != null && w != Thread.currentThread()) {
      LockSupport.unpark(w);
      workerStopped = join(w, timeoutNanos);
      if (!workerStopped) {
        w.interrupt();
        workerStopped = join(w, Math.min(timeoutNanos, TimeUnit.SECONDS.toNanos(1)));
      }
    }
    terminated = true;
    drainAsDropped();
    signalSettled();
    if (workerStopped) {
      closeExporter();
    } else {
      sdk.log.warn("exporter-stuck", "the exporter did not return within the close timeout; its batch is"
          + " counted when it does");
    }
  }

  private static boolean join(Thread thread, long timeoutNanos) {
    try {
      long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  /**
   * Queued steps are newer than those the worker took, so the queue is searched first, newest to
   * oldest, then the last two batches the worker took, newest first. The consumer lock keeps the
   * worker from taking anything or reusing a batch list meanwhile. The worker itself notes nothing
   * per step: on two cores, even a type lookup per step on the worker slowed producers measurably.
   */
  @Override
  SpanStep lastEndedStep(SpanRun run, int typeIndex) {
    java.util.function.Predicate<Object> match =
        r -> r instanceof SpanStep s && s.run == run && Failures.typeIndex(s.type) == typeIndex;
    consumerLock.lock();
    try {
      Object found = queue.findNewest(match);
      if (found == null) found = newest(lastBatch, match);
      if (found == null) found = newest(previousBatch, match);
      return (SpanStep) found;
    } finally {
      consumerLock.unlock();
    }
  }

  private static Object newest(List<Object> batch, java.util.function.Predicate<Object> match) {
    if (batch != null) {
      for (int i = batch.size() - 1; i >= 0; i--) {
        if (match.test(batch.get(i))) return batch.get(i);
      }
    }
    return null;
  }

  /**
   * Only a step still in the queue can change: the worker takes it under the consumer lock held
   * here, so it reads the new values. A step the worker took already is left as it was sent.
   */
  @Override
  void failEnded(SpanRun run, SpanStep step, StepError failure) {
    consumerLock.lock();
    try {
      if (queue.findNewest(r -> r == step) != null) {
        step.failEnded(failure);
      }
    } finally {
      consumerLock.unlock();
    }
  }

  @Override
  long accepted() {
    return queue.offered();
  }

  @Override
  long pending() {
    return queue.size() + inFlight.get();
  }
}
