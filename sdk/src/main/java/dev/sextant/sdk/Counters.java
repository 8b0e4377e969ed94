package dev.sextant.sdk;

import java.util.concurrent.atomic.LongAdder;

/**
 * The self-statistics behind {@link Stats}; adders, because many threads produce at once. Records
 * the async queue accepts are counted by the queue's own index instead of {@code produced}, which
 * saves a contended increment per step; {@link Sextant#stats()} adds the two.
 */
final class Counters {
  final LongAdder produced = new LongAdder();
  final LongAdder exported = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder eventsDropped = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder internalErrors = new LongAdder();

  long settled() {
    return exported.sum() + dropped.sum() + failed.sum();
  }
}
